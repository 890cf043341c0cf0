package mail_test

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/mail/smtptest"
	"github.com/vracoop/dsar/internal/sqlite"
)

// outboxTest is one worker test's world: the real store, the real SMTP
// server, a worker sending to it, and a clock the test moves by hand.
type outboxTest struct {
	t      *testing.T
	ctx    context.Context
	db     *sqlite.DB
	srv    *smtptest.Server
	logger *slog.Logger
	worker *mail.Worker
	now    time.Time
}

func newOutboxTest(t *testing.T) *outboxTest {
	ot := &outboxTest{t: t, ctx: context.Background(), db: openDB(t), srv: smtptest.Start(t), now: start}
	logger, logs := newLogger(t)
	ot.logger = logger
	ot.worker = ot.newWorker()
	// No test may leak an address into the log (a Message-ID holds an @
	// too, and must not be logged either).
	t.Cleanup(func() {
		if strings.Contains(logs.String(), "@") {
			t.Errorf("the log holds an email address:\n%s", logs.String())
		}
	})
	return ot
}

// newWorker returns a worker on the test's store, server and clock.
func (ot *outboxTest) newWorker() *mail.Worker {
	w := mail.NewWorker(ot.db, newSMTPSender(ot.t, ot.srv), ot.logger)
	w.Now = func() time.Time { return ot.now }
	return w
}

// enqueue puts a mail in the outbox at the test's current time.
func (ot *outboxTest) enqueue(m dsar.Mail) int64 {
	ot.t.Helper()
	id, err := ot.db.EnqueueMail(ot.ctx, m, ot.now)
	if err != nil {
		ot.t.Fatal(err)
	}
	return id
}

// flush runs one pass and checks how many mails it sent.
func (ot *outboxTest) flush(wantSent int) {
	ot.t.Helper()
	sent, err := ot.worker.Flush(ot.ctx)
	if err != nil {
		ot.t.Fatalf("Flush: %v", err)
	}
	if sent != wantSent {
		ot.t.Errorf("Flush sent %d, want %d", sent, wantSent)
	}
}

// checkState checks a mail's state and number of attempts, and returns its
// last error.
func (ot *outboxTest) checkState(id int64, wantState string, wantAttempts int) string {
	ot.t.Helper()
	state, attempts, lastErr, err := ot.db.MailState(ot.ctx, id)
	if err != nil {
		ot.t.Fatal(err)
	}
	if state != wantState || attempts != wantAttempts {
		ot.t.Errorf("mail %d: state %q after %d attempts, want %q after %d (last error %q)",
			id, state, attempts, wantState, wantAttempts, lastErr)
	}
	if strings.Contains(lastErr, "@") {
		ot.t.Errorf("mail %d: last error holds an address: %q", id, lastErr)
	}
	return lastErr
}

// dueIDs returns the IDs of the mails due at t.
func (ot *outboxTest) dueIDs(at time.Time) []int64 {
	ot.t.Helper()
	due, err := ot.db.DueMail(ot.ctx, at, 100)
	if err != nil {
		ot.t.Fatal(err)
	}
	var ids []int64
	for _, m := range due {
		ids = append(ids, m.ID)
	}
	return ids
}

func confirmation(to string) dsar.Mail {
	return dsar.Mail{
		To:      to,
		Subject: "Demande DSAR-2026-000001 : confirmez votre adresse e-mail",
		Text:    "Bonjour,\n\nPour confirmer votre demande, ouvrez ce lien :\nhttps://dsar.vracoop.fr/c/abc\n\nL'équipe VRACOOP — délégué à la protection des données\n",
		HTML:    "<p>Bonjour,</p>\n<p>Pour confirmer votre demande, <a href=\"https://dsar.vracoop.fr/c/abc\">ouvrez ce lien</a>.</p>\n<p>L'équipe VRACOOP — délégué à la protection des données</p>\n",
	}
}

func TestWorkerDelivers(t *testing.T) {
	ot := newOutboxTest(t)
	first := confirmation("camille@example.org")
	second := dsar.Mail{
		To:      "jerome@example.org",
		Subject: "Réponse à votre demande DSAR-2026-000002 : données transmises",
		Text:    "Voici vos données.\n",
		HTML:    "<p>Voici vos données.</p>\n",
	}
	id1, id2 := ot.enqueue(first), ot.enqueue(second)

	ot.flush(2)
	got := ot.srv.Wait(t, 2, 5*time.Second)
	for i, c := range []struct {
		id   int64
		want dsar.Mail
	}{{id1, first}, {id2, second}} {
		m := got[i]
		if len(m.To) != 1 || m.To[0] != c.want.To {
			t.Errorf("mail %d: envelope to %q, want %q", c.id, m.To, c.want.To)
		}
		if m.From != "dpo@vracoop.fr" {
			t.Errorf("mail %d: envelope from %q", c.id, m.From)
		}
		if m.Subject != c.want.Subject {
			t.Errorf("mail %d: subject %q, want %q", c.id, m.Subject, c.want.Subject)
		}
		if m.Text != c.want.Text {
			t.Errorf("mail %d: text %q, want %q", c.id, m.Text, c.want.Text)
		}
		if m.HTML != c.want.HTML {
			t.Errorf("mail %d: HTML %q, want %q", c.id, m.HTML, c.want.HTML)
		}
		if id := m.Header.Get("Message-ID"); !strings.HasPrefix(id, "<dsar-outbox-"+strconv.FormatInt(c.id, 10)+".") {
			t.Errorf("mail %d: Message-ID %q", c.id, id)
		}
		ot.checkState(c.id, "sent", 1)
	}

	ot.flush(0)
	if n := len(ot.srv.Messages()); n != 2 {
		t.Errorf("server got %d messages, want 2", n)
	}
}

func TestWorkerServerDown(t *testing.T) {
	ot := newOutboxTest(t)
	var backoffs []int
	ot.worker.Backoff = func(attempts int) time.Duration {
		backoffs = append(backoffs, attempts)
		return time.Duration(attempts) * time.Minute
	}
	id1 := ot.enqueue(confirmation("camille@example.org"))
	id2 := ot.enqueue(confirmation("jerome@example.org"))
	ot.srv.Stop()

	t.Run("nothing sent, one retry scheduled, pass stopped", func(t *testing.T) {
		ot.flush(0)
		if reason := ot.checkState(id1, "pending", 1); reason == "" {
			t.Error("no failure reason recorded")
		}
		ot.checkState(id2, "pending", 0) // not tried: the server was known down
		if got := ot.dueIDs(ot.now.Add(59 * time.Second)); !slices.Equal(got, []int64{id2}) {
			t.Errorf("due before the backoff: %v, want [%d]", got, id2)
		}
		if got := ot.dueIDs(ot.now.Add(time.Minute)); len(got) != 2 {
			t.Errorf("due after the backoff: %v, want both", got)
		}
	})

	t.Run("the mail not tried goes first next time", func(t *testing.T) {
		ot.now = ot.now.Add(time.Minute)
		ot.flush(0)
		ot.checkState(id1, "pending", 1)
		ot.checkState(id2, "pending", 1)
	})

	t.Run("second failure backs off further", func(t *testing.T) {
		ot.flush(0)
		ot.checkState(id1, "pending", 2)
		if got, want := backoffs, []int{1, 1, 2}; !slices.Equal(got, want) {
			t.Errorf("backoff asked for attempts %v, want %v", got, want)
		}
		if got := ot.dueIDs(ot.now.Add(2*time.Minute - time.Second)); !slices.Equal(got, []int64{id2}) {
			t.Errorf("due before the second backoff: %v, want [%d]", got, id2)
		}
		next, ok, err := ot.db.NextMailAt(ot.ctx)
		if want := ot.now.Add(time.Minute); err != nil || !ok || !next.Equal(want) {
			t.Errorf("NextMailAt = %v, %v, %v; want %v", next, ok, err, want)
		}
	})

	t.Run("server back: each mail delivered exactly once", func(t *testing.T) {
		ot.srv.Restart(t)
		ot.now = ot.now.Add(time.Hour)
		ot.flush(2)
		ot.srv.Wait(t, 2, 5*time.Second)
		ot.checkState(id1, "sent", 3)
		ot.checkState(id2, "sent", 2)
		ot.now = ot.now.Add(24 * time.Hour)
		ot.flush(0)
		if n := len(ot.srv.Messages()); n != 2 {
			t.Errorf("server got %d messages, want 2", n)
		}
	})
}

func TestWorkerTemporaryRefusal(t *testing.T) {
	ot := newOutboxTest(t)
	id1 := ot.enqueue(confirmation("camille@example.org"))
	id2 := ot.enqueue(confirmation("jerome@example.org"))
	ot.srv.FailRecipients(451)

	ot.flush(0)
	// A 451 concerns one recipient: the pass went on to the next mail.
	for _, id := range []int64{id1, id2} {
		if reason := ot.checkState(id, "pending", 1); !strings.Contains(reason, "451") {
			t.Errorf("mail %d: reason %q does not give the server's code", id, reason)
		}
	}
	if got := ot.dueIDs(ot.now); len(got) != 0 {
		t.Errorf("due right after the refusal: %v", got)
	}
	next, ok, err := ot.db.NextMailAt(ot.ctx)
	if err != nil || !ok {
		t.Fatalf("NextMailAt: %v, %v", ok, err)
	}
	// The default backoff: 30s plus up to a tenth.
	if d := next.Sub(ot.now); d < 30*time.Second || d > 33*time.Second {
		t.Errorf("retry in %v, want 30s to 33s", d)
	}

	ot.srv.FailRecipients(0)
	ot.now = ot.now.Add(time.Minute)
	ot.flush(2)
	ot.checkState(id1, "sent", 2)
	ot.checkState(id2, "sent", 2)
}

func TestWorkerPermanentRefusal(t *testing.T) {
	ot := newOutboxTest(t)
	refused := ot.enqueue(confirmation("nobody@example.org"))
	ot.srv.FailRecipients(550)
	ot.flush(0)
	if reason := ot.checkState(refused, "failed", 1); !strings.Contains(reason, "550") {
		t.Errorf("reason %q does not give the server's code", reason)
	}
	if _, ok, _ := ot.db.NextMailAt(ot.ctx); ok {
		t.Error("a failed mail is still scheduled")
	}

	ot.srv.FailRecipients(0)
	invalid := ot.enqueue(confirmation("not an address"))
	good := ot.enqueue(confirmation("camille@example.org"))
	ot.now = ot.now.Add(24 * time.Hour)
	ot.flush(1)
	ot.checkState(refused, "failed", 1) // kept, not retried
	ot.checkState(invalid, "failed", 1)
	ot.checkState(good, "sent", 1)
	if n := len(ot.srv.Messages()); n != 1 {
		t.Errorf("server got %d messages, want 1", n)
	}
}

func TestWorkerRestart(t *testing.T) {
	ot := newOutboxTest(t)
	id := ot.enqueue(confirmation("camille@example.org"))
	ot.flush(1)

	ot.worker = ot.newWorker() // as after a restart of the service
	ot.now = ot.now.Add(time.Hour)
	ot.flush(0)
	ot.checkState(id, "sent", 1)
	if n := len(ot.srv.Messages()); n != 1 {
		t.Errorf("server got %d messages, want 1", n)
	}
}

func TestWorkerBatches(t *testing.T) {
	ot := newOutboxTest(t)
	ot.worker.Batch = 2
	for range 5 {
		ot.enqueue(confirmation("camille@example.org"))
	}
	ot.flush(5)
	ot.srv.Wait(t, 5, 5*time.Second)
}

func TestWorkerRun(t *testing.T) {
	db := openDB(t)
	srv := smtptest.Start(t)
	logger, _ := newLogger(t)
	w := mail.NewWorker(db, newSMTPSender(t, srv), logger)
	w.Poll = time.Hour // only Notify can wake it in time

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()

	for i := range 2 {
		if _, err := db.EnqueueMail(ctx, confirmation("camille@example.org"), time.Now()); err != nil {
			t.Fatal(err)
		}
		w.Notify()
		srv.Wait(t, i+1, 5*time.Second)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestDefaultBackoff(t *testing.T) {
	for _, c := range []struct {
		attempts int
		base     time.Duration
	}{
		{0, 30 * time.Second},
		{1, 30 * time.Second},
		{2, time.Minute},
		{3, 2 * time.Minute},
		{7, 32 * time.Minute},
		{8, time.Hour},
		{1000, time.Hour},
	} {
		for range 20 {
			got := mail.DefaultBackoff(c.attempts)
			if got < c.base || got > c.base+c.base/10 {
				t.Errorf("DefaultBackoff(%d) = %v, want %v to %v", c.attempts, got, c.base, c.base+c.base/10)
			}
		}
	}
}

func TestWorkerServerClosing(t *testing.T) {
	ot := newOutboxTest(t)
	id1 := ot.enqueue(confirmation("camille@example.org"))
	id2 := ot.enqueue(confirmation("jerome@example.org"))
	ot.srv.FailRecipients(421) // service closing: the next mail would fail too
	ot.flush(0)
	ot.checkState(id1, "pending", 1)
	ot.checkState(id2, "pending", 0)
}

func TestWorkerDatabaseDown(t *testing.T) {
	db := openDB(t)
	srv := smtptest.Start(t)
	logger, logs := newLogger(t)
	w := mail.NewWorker(db, newSMTPSender(t, srv), logger)
	if _, err := db.EnqueueMail(context.Background(), confirmation("camille@example.org"), time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if _, err := w.Flush(context.Background()); err == nil {
		t.Error("Flush on a closed database: got no error")
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "Mail outbox pass failed") {
		if time.Now().After(deadline) {
			t.Fatal("Run logged no failure")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
}
