package mail

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// Outbox is what the worker needs from storage; *sqlite.DB implements it.
type Outbox interface {
	DueMail(ctx context.Context, now time.Time, limit int) ([]dsar.Mail, error)
	NextMailAt(ctx context.Context) (time.Time, bool, error)
	MarkMailSent(ctx context.Context, id int64, at time.Time) error
	MarkMailRetry(ctx context.Context, id int64, next time.Time, reason string) error
	MarkMailFailed(ctx context.Context, id int64, reason string) error
}

// Defaults of Worker.
const (
	defaultPoll  = 30 * time.Second
	defaultBatch = 50
	// minWait keeps Run from spinning when mail stays due after a pass (a
	// database failure, a backoff of zero).
	minWait = time.Second
)

// Worker drains the outbox: it sends each due mail and records the outcome.
// A mail is marked sent only once the server accepted it, so a crash at the
// wrong moment sends a mail twice rather than never.
type Worker struct {
	Outbox  Outbox
	Sender  Sender
	Now     func() time.Time
	Logger  *slog.Logger
	Backoff func(attempts int) time.Duration // delay after attempts failed attempts; DefaultBackoff when nil
	Poll    time.Duration                    // upper bound on the sleep between passes (default 30s)
	Batch   int                              // mails read from the outbox at a time (default 50)
	// Journal, when set, records each acceptance on disk before the
	// database is told (see SentJournal); Replay must run before Run.
	Journal *SentJournal

	wake chan struct{}
	// unmarked holds the mails a server accepted, as the journal records,
	// that the database does not say are sent yet: they are marked, never
	// sent again.
	unmarked map[int64]bool
}

// Replay marks sent, in the database, the messages the journal says a
// server accepted before the last stop, then empties the journal.
func (w *Worker) Replay(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		if err := w.Outbox.MarkMailSent(ctx, id, w.now()); err != nil {
			return fmt.Errorf("replay sent journal: %w", err)
		}
	}
	if len(ids) > 0 {
		w.logger().Warn("Mails the server accepted before a stop were marked sent from the journal", "count", len(ids))
	}
	if w.Journal != nil {
		return w.Journal.Reset()
	}
	return nil
}

// NewWorker returns a worker with the default settings. Use it rather than a
// struct literal: Notify needs what it sets up.
func NewWorker(o Outbox, s Sender, logger *slog.Logger) *Worker {
	return &Worker{
		Outbox:  o,
		Sender:  s,
		Now:     time.Now,
		Logger:  logger,
		Backoff: DefaultBackoff,
		Poll:    defaultPoll,
		Batch:   defaultBatch,
		wake:    make(chan struct{}, 1),
	}
}

// Notify wakes Run up, after a mail was put in the outbox. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// Run sends mail until ctx is done, then returns nil. Between passes it
// sleeps until Notify, the next mail falls due, or Poll has passed. A failing
// database is logged and tried again, never fatal.
func (w *Worker) Run(ctx context.Context) error {
	for {
		if _, err := w.Flush(ctx); err != nil && ctx.Err() == nil {
			w.logger().Error("Mail outbox pass failed", "error", err)
		}
		if w.Journal != nil && len(w.unmarked) == 0 {
			// Everything the journal says is in the database too.
			if err := w.Journal.Reset(); err != nil {
				w.logger().Error("Sent journal not emptied", "error", err)
			}
		}
		timer := time.NewTimer(w.wait(ctx))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-w.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// wait returns how long Run may sleep before the next pass.
func (w *Worker) wait(ctx context.Context) time.Duration {
	d := w.Poll
	if d <= 0 {
		d = defaultPoll
	}
	next, ok, err := w.Outbox.NextMailAt(ctx)
	if err != nil {
		if ctx.Err() == nil {
			w.logger().Error("Mail outbox unreadable", "error", err)
		}
		return d
	}
	if ok {
		d = min(d, next.Sub(w.now()))
	}
	return max(d, minWait)
}

// Flush makes one pass: it sends every mail due now and records each
// outcome. It stops early, leaving the rest for later, when the mail server
// cannot be reached (the failed mail is still scheduled for a retry), and
// when the outbox cannot be read or written, which it returns as an error.
func (w *Worker) Flush(ctx context.Context) (sent int, err error) {
	batch := w.Batch
	if batch <= 0 {
		batch = defaultBatch
	}
	seen := make(map[int64]bool)
	for {
		due, err := w.Outbox.DueMail(ctx, w.now(), batch)
		if err != nil {
			return sent, fmt.Errorf("read due mail: %w", err)
		}
		progress := false
		for i, m := range due {
			if seen[m.ID] {
				continue // due again at once (a zero backoff): next pass
			}
			seen[m.ID] = true
			progress = true
			ok, stop, err := w.deliver(ctx, m)
			if ok {
				sent++
			}
			if err != nil {
				return sent, err
			}
			if stop {
				w.logger().Warn("Mail pass stopped: mail server unavailable", "outbox_id", m.ID, "left", len(due)-i-1)
				return sent, nil
			}
		}
		if len(due) < batch || !progress {
			return sent, nil
		}
	}
}

// deliver sends one mail and records the outcome. It reports whether the mail
// was sent, and whether the pass should stop because the failure would hit
// the next mail too; err is for a failure to record the outcome.
func (w *Worker) deliver(ctx context.Context, m dsar.Mail) (sent, stop bool, err error) {
	log := w.logger().With("outbox_id", m.ID, "request_id", m.RequestID)
	attempts := m.Attempts + 1
	journaled := false
	journal := func() {
		if w.Journal == nil || journaled {
			return
		}
		journaled = true
		if err := w.Journal.Record(m.ID); err != nil {
			log.Error("Sent journal not written; a crash now would send the mail again", "error", err)
			return
		}
		if w.unmarked == nil {
			w.unmarked = map[int64]bool{}
		}
		w.unmarked[m.ID] = true
	}
	// The outcome is recorded even if shutdown began meanwhile: a mail sent
	// but not marked would go out twice.
	record := context.WithoutCancel(ctx)
	if w.unmarked[m.ID] {
		// A server accepted it in an earlier pass, and only the database
		// was not told: tell it now, and do not send it again.
		return w.markSent(record, m, log, attempts)
	}
	// The sender journals the acceptance the moment the server gives it.
	sendErr := w.Sender.Send(withAccepted(ctx, journal), m)
	switch {
	case sendErr == nil:
		journal() // for senders that do not announce acceptance
		return w.markSent(record, m, log, attempts)
	case ctx.Err() != nil:
		// Shutting down: the mail is not at fault and stays due.
		return false, true, ctx.Err()
	case Permanent(sendErr):
		why := reason(sendErr)
		log.Error("Mail delivery failed permanently; kept in the outbox", "attempts", attempts, "error", why)
		if err := w.Outbox.MarkMailFailed(record, m.ID, why); err != nil {
			return false, true, fmt.Errorf("mark mail %d failed: %w", m.ID, err)
		}
		return false, false, nil
	default:
		why := reason(sendErr)
		next := w.now().Add(w.backoff(attempts))
		log.Warn("Mail delivery failed; will retry", "attempts", attempts, "retry_at", next, "error", why)
		if err := w.Outbox.MarkMailRetry(record, m.ID, next, why); err != nil {
			return false, true, fmt.Errorf("mark mail %d for retry: %w", m.ID, err)
		}
		return false, !concernsMessage(sendErr), nil
	}
}

// markSent records that m was sent. A mail journaled as accepted whose
// mark fails is marked at the next pass instead of sent again; without a
// journal it will be sent again, and the log says so.
func (w *Worker) markSent(ctx context.Context, m dsar.Mail, log *slog.Logger, attempts int) (sent, stop bool, err error) {
	if err := w.Outbox.MarkMailSent(ctx, m.ID, w.now()); err != nil {
		if w.unmarked[m.ID] {
			log.Error("Mail sent but not recorded; it will be marked sent at the next pass", "error", err)
		} else {
			log.Error("Mail sent but not recorded; it will be sent again", "error", err)
		}
		return true, true, fmt.Errorf("mark mail %d sent: %w", m.ID, err)
	}
	delete(w.unmarked, m.ID)
	log.Info("Mail sent", "attempts", attempts)
	return true, false, nil
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func (w *Worker) backoff(attempts int) time.Duration {
	if w.Backoff == nil {
		return DefaultBackoff(attempts)
	}
	return w.Backoff(attempts)
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger == nil {
		return slog.Default()
	}
	return w.Logger
}
