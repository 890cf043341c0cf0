package sqlite

// Group commit for intake.
//
// With synchronous=FULL every commit waits for the disk to flush the WAL, so
// storing each form submission in its own transaction makes the flush
// latency, not the CPU, the limit of intake. The intake writer below stores
// the submissions that arrive while one transaction commits together in the
// next one, so that one flush acknowledges many of them ("opportunistic"
// batching: no timer delays anyone; a lone submission is committed at once).
//
// Each submission gets its own SAVEPOINT inside the batch: when one fails
// (a constraint refuses it), only its changes are
// rolled back and its reference number is given to the next one, so
// numbering stays without gaps, and the others commit. A caller is
// answered only after the transaction holding its request committed: an
// acknowledged request is as durable as before.
//
// What the writer does in series is kept short: the mails are rendered by
// the callers before they queue, with a stand-in for the reference that
// the writer replaces; the batch's statements are prepared once
// (prepared.go); its references are counted in memory and the counter
// written once (refs.go).

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// maxIntakeBatch bounds the requests stored in one transaction, so that a
// burst does not hold the write lock, and the first callers of the batch,
// for long.
const maxIntakeBatch = 64

// The states of a submission waiting for the writer.
const (
	intakeQueued    int32 = iota // in the queue, not yet taken
	intakeTaken                  // in a batch: its caller waits for the outcome
	intakeAbandoned              // its caller gave up before it was taken: skipped
)

// intake is one CreateRequest call waiting for the writer.
type intake struct {
	r       *dsar.Request
	tok     dsar.Token
	ev      dsar.Event
	mail    dsar.Mail // rendered with standIn where the reference goes
	standIn string
	state   atomic.Int32
	done    chan error // buffered: the writer never blocks on a caller
}

// IntakeObserver is told of each batch the intake writer stored (or
// failed to store): how many requests it held, and how long its
// transaction took, COMMIT and its flush included.
type IntakeObserver func(size int, d time.Duration, err error)

// ObserveIntake sets who is told of each intake batch; nil: nobody.
func (db *DB) ObserveIntake(observe IntakeObserver) {
	if observe == nil {
		db.intakeObserver.Store(nil)
		return
	}
	db.intakeObserver.Store(&observe)
}

// intakeQueue holds a database's submissions waiting for its writer. The
// writer goroutine exists only while there is work, so Close needs no hook
// to stop it.
type intakeQueue struct {
	mu      sync.Mutex
	pending []*intake
	running bool // a writer goroutine is draining pending
	taken   int  // submissions taken into batches so far
}

// submitIntake queues in for the database's writer, starting the writer if
// none runs, and waits for the outcome. A caller whose context ends while
// its request is still queued gets the context's error and the request is
// never stored; once the request is in a batch the caller waits for the
// commit (one batch at most), so that a nil error always means stored.
func (db *DB) submitIntake(ctx context.Context, in *intake) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	in.done = make(chan error, 1)
	q := &db.intake
	q.mu.Lock()
	q.pending = append(q.pending, in)
	if !q.running {
		q.running = true
		go db.writeIntake(q)
	}
	q.mu.Unlock()

	select {
	case err := <-in.done:
		return err
	case <-ctx.Done():
		if in.state.CompareAndSwap(intakeQueued, intakeAbandoned) {
			return ctx.Err()
		}
		return <-in.done
	}
}

// writeIntake stores batches of q's submissions until q is empty, then
// forgets q and returns.
func (db *DB) writeIntake(q *intakeQueue) {
	for {
		batch := db.takeIntake(q)
		if batch == nil {
			return
		}
		db.commitIntake(batch)
	}
}

// takeIntake removes up to maxIntakeBatch submissions from q, skipping those
// whose callers gave up. With none left it marks the writer stopped, under
// the same lock as submitIntake, so that no submission is left without a
// writer.
func (db *DB) takeIntake(q *intakeQueue) []*intake {
	q.mu.Lock()
	defer q.mu.Unlock()
	var batch []*intake
	n := 0
	for n < len(q.pending) && len(batch) < maxIntakeBatch {
		in := q.pending[n]
		q.pending[n] = nil
		n++
		if in.state.CompareAndSwap(intakeQueued, intakeTaken) {
			batch = append(batch, in)
		}
	}
	q.taken += len(batch)
	q.pending = q.pending[n:]
	if len(batch) == 0 {
		q.running = false
		q.pending = nil
		return nil
	}
	return batch
}

// errBatchAborted is what the others of a batch get when SQLite rolled the
// whole transaction back (disk full, I/O error): a retry may succeed.
var errBatchAborted = fmt.Errorf("%w: the batch this request was stored in was rolled back", dsar.ErrUnavailable)

// commitIntake stores a batch in one transaction, each submission under its
// own savepoint, commits, and answers every caller. The statements run
// under a context of their own: a caller's cancelled context would make the
// driver interrupt SQLite, which rolls back the whole transaction.
func (db *DB) commitIntake(batch []*intake) {
	ctx := context.Background()
	errs := make([]error, len(batch))
	start := time.Now()
	err := func() error {
		conn, err := db.db.Conn(ctx)
		if err != nil {
			return unavailable(fmt.Errorf("connect: %w", err))
		}
		defer conn.Close()
		// A savepoint keeps the pages it may have to restore in a statement
		// journal, by default a temporary file: in memory, the savepoints
		// cost next to nothing.
		if _, err := conn.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
			return unavailable(fmt.Errorf("temp_store: %w", err))
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return unavailable(fmt.Errorf("begin: %w", err))
		}
		ptx := newPreparedTx(tx)
		refs := newBatchRefs()
		for i, in := range batch {
			var abort error
			errs[i], abort = storeIntake(ctx, ptx, refs, in)
			if abort != nil {
				tx.Rollback()
				return abort
			}
		}
		if err := refs.save(ctx, ptx); err != nil {
			tx.Rollback()
			return unavailable(err)
		}
		if err := tx.Commit(); err != nil {
			return unavailable(fmt.Errorf("commit: %w", err))
		}
		return nil
	}()
	if observe := db.intakeObserver.Load(); observe != nil {
		(*observe)(len(batch), time.Since(start), err)
	}
	for i, in := range batch {
		if err != nil {
			// Nothing of the batch was stored: the references given out
			// are not theirs any more.
			in.r.Ref = ""
			if errs[i] == nil {
				errs[i] = err
			}
		}
		in.done <- errs[i]
	}
}

// storeIntake numbers one submission, puts the number in its mail, and
// stores both under a savepoint of tx. It returns the submission's own
// error, its changes then rolled back and its number given back to the
// next one, and abort when the transaction itself is lost and the batch
// must be given up.
func storeIntake(ctx context.Context, tx preparedTx, refs *batchRefs, in *intake) (err, abort error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT intake`); err != nil {
		return nil, unavailable(fmt.Errorf("savepoint: %w", err))
	}
	if in.r.Ref, err = refs.next(ctx, tx, in.r.CreatedAt); err == nil {
		if err = insertNew(ctx, tx, in.r, in.tok, in.ev, in.mail.WithRef(in.standIn, in.r.Ref)); err != nil {
			refs.giveBack(in.r.CreatedAt)
		}
	}
	if err != nil {
		in.r.Ref = ""
		if _, rbErr := tx.ExecContext(ctx, `ROLLBACK TO intake`); rbErr != nil {
			// SQLite already rolled the whole transaction back.
			return err, fmt.Errorf("%w (%w)", errBatchAborted, rbErr)
		}
	}
	if _, relErr := tx.ExecContext(ctx, `RELEASE intake`); relErr != nil {
		return err, fmt.Errorf("%w (%w)", errBatchAborted, relErr)
	}
	return err, nil
}

// unavailable marks err as one a retry may cure, unless mapError already
// did: beginning or committing fails when the database is locked, full,
// failing or closed.
func unavailable(err error) error {
	err = mapError(err)
	if errors.Is(err, dsar.ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", dsar.ErrUnavailable, err)
}
