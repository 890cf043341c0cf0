package sqlite

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/dsar"
)

var intakeT0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func openIntakeDB(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newSubmission returns a request as the form builds it, and its
// confirmation token.
func newSubmission(t testing.TB, i int) (*dsar.Request, dsar.Token) {
	t.Helper()
	sub := dsar.Submission{Name: fmt.Sprintf("Personne %d", i), Email: fmt.Sprintf("p%d@example.fr", i),
		Relationship: dsar.RelCustomer, Kinds: []dsar.Kind{dsar.KindAccess}, Lang: "fr"}
	r := dsar.NewRequest(uuid.NewString(), sub, dsar.ChannelWeb, intakeT0)
	tok, err := dsar.NewToken(r.ID, dsar.TokenConfirm, intakeT0.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return &r, tok
}

func intakeMail(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
	return dsar.Mail{RequestID: r.ID, To: r.Email, Subject: "[" + r.Ref + "] confirm", Text: tok.Plain, HTML: tok.Plain}, nil
}

// queuedIntake counts the submissions waiting for db's writer.
func queuedIntake(db *DB) int {
	q := &db.intake
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, in := range q.pending {
		if in.state.Load() == intakeQueued {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// holdLock takes the database's write lock from a connection of its own,
// until release is called: the intake writer waits for it in its BEGIN.
func holdLock(t *testing.T, db *DB) (release func()) {
	t.Helper()
	conn, err := db.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.BeginTx(context.Background(), nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	return func() { tx.Rollback(); conn.Close() }
}

// takenIntake counts the submissions db's writer has taken into batches.
func takenIntake(db *DB) int {
	q := &db.intake
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.taken
}

// holdWriter starts a submission and returns once the writer has taken it
// into a batch that waits for the write lock, held until release is
// called: whatever is submitted meanwhile waits, and goes into the next
// batch together.
func holdWriter(t *testing.T, db *DB) (r *dsar.Request, release func() error) {
	t.Helper()
	unlock := holdLock(t, db)
	r, tok := newSubmission(t, 0)
	done := make(chan error, 1)
	before := takenIntake(db)
	go func() { done <- db.CreateRequest(context.Background(), r, tok, intakeMail) }()
	waitFor(t, "the writer takes the held request", func() bool { return takenIntake(db) == before+1 })
	return r, func() error { unlock(); return <-done }
}

func refNumber(t *testing.T, ref string) int {
	t.Helper()
	var year, n int
	if _, err := fmt.Sscanf(ref, "DSAR-%d-%d", &year, &n); err != nil {
		t.Fatalf("reference %q: %v", ref, err)
	}
	return n
}

func TestIntakeConcurrentRequestsAllStored(t *testing.T) {
	ctx := context.Background()
	db := openIntakeDB(t, filepath.Join(t.TempDir(), "dsar.db"))
	const n = 300
	refs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, tok := newSubmission(t, i)
			if err := db.CreateRequest(ctx, r, tok, intakeMail); err != nil {
				t.Errorf("request %d: %v", i, err)
			}
			refs[i] = r.Ref
		})
	}
	wg.Wait()
	nums := make([]int, n)
	for i, ref := range refs {
		nums[i] = refNumber(t, ref)
	}
	sort.Ints(nums)
	for i, got := range nums {
		if want := i + 1; got != want {
			t.Fatalf("reference numbers %v...: want 1..%d without gaps or duplicates", nums[:i+1], n)
		}
	}
	if got, err := db.CountRequests(ctx); err != nil || got != n {
		t.Errorf("stored %d requests (%v), want %d", got, err, n)
	}
	mails, err := db.DueMail(ctx, intakeT0, n+1)
	if err != nil || len(mails) != n {
		t.Errorf("outbox holds %d mails (%v), want %d", len(mails), err, n)
	}
	if q := queuedIntake(db); q != 0 {
		t.Errorf("%d submissions left queued", q)
	}
}

func TestIntakeFailureFailsAlone(t *testing.T) {
	ctx := context.Background()
	db := openIntakeDB(t, filepath.Join(t.TempDir(), "dsar.db"))
	first, release := holdWriter(t, db)

	errRender := errors.New("template broken")
	type call struct {
		r      *dsar.Request
		render dsar.RenderMail
		fails  bool
		err    error
	}
	var calls []*call
	for i := 1; i <= 9; i++ {
		r, _ := newSubmission(t, i)
		calls = append(calls, &call{r: r, render: intakeMail})
	}
	// A mail that does not render and a render that panics fail in their
	// callers, before anything is queued; requests that break a constraint
	// (the ID of the held one) fail in the batch, among the others.
	calls[2].render = func(dsar.Request, dsar.Token) (dsar.Mail, error) { return dsar.Mail{}, errRender }
	calls[2].fails = true
	calls[5].render = func(dsar.Request, dsar.Token) (dsar.Mail, error) { panic("boom") }
	calls[5].fails = true
	calls[7].r.ID = first.ID
	calls[7].fails = true
	calls[8].r.ID = first.ID
	calls[8].fails = true

	var wg sync.WaitGroup
	queued := 0
	for _, c := range calls {
		tok, err := dsar.NewToken(c.r.ID, dsar.TokenConfirm, intakeT0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if c.render != nil && c.fails && c.r.ID != first.ID {
			c.err = db.CreateRequest(ctx, c.r, tok, c.render)
			continue
		}
		wg.Go(func() { c.err = db.CreateRequest(ctx, c.r, tok, c.render) })
		// Queue them in order, so that the failures sit between successes.
		queued++
		waitFor(t, "submission queued", func() bool { return queuedIntake(db) == queued })
	}
	if err := release(); err != nil {
		t.Fatalf("held request: %v", err)
	}
	wg.Wait()

	if got, want := first.Ref, dsar.FormatRef(2026, 1); got != want {
		t.Errorf("held request ref = %s, want %s", got, want)
	}
	next := 2
	for i, c := range calls {
		if c.fails {
			if c.err == nil {
				t.Errorf("call %d: stored, want an error", i)
			}
			if c.r.Ref != "" {
				t.Errorf("call %d failed but kept reference %s", i, c.r.Ref)
			}
			continue
		}
		if c.err != nil {
			t.Errorf("call %d: %v", i, c.err)
			continue
		}
		// The failures gave their numbers back: the others follow on.
		if got, want := c.r.Ref, dsar.FormatRef(2026, next); got != want {
			t.Errorf("call %d ref = %s, want %s", i, got, want)
		}
		next++
		if _, err := db.FindRequest(ctx, c.r.ID); err != nil {
			t.Errorf("call %d not stored: %v", i, err)
		}
	}
	if !errors.Is(calls[2].err, errRender) {
		t.Errorf("failed render: err = %v, want %v", calls[2].err, errRender)
	}
	if got, err := db.CountRequests(ctx); err != nil || got != 6 {
		t.Errorf("stored %d requests (%v), want 6", got, err)
	}
	mails, err := db.DueMail(ctx, intakeT0, 100)
	if err != nil || len(mails) != 6 {
		t.Errorf("outbox holds %d mails (%v), want 6", len(mails), err)
	}
	// Each mail carries the reference its request was given in the batch,
	// in place of the stand-in it was rendered with.
	for _, m := range mails {
		r, err := db.FindRequest(ctx, m.RequestID)
		if err != nil || m.Subject != "["+r.Ref+"] confirm" {
			t.Errorf("mail %q for request %s (%v)", m.Subject, r.Ref, err)
		}
	}
	// The next request takes the next number: none was lost, not even the
	// one the batch's last request gave back.
	r, tok := newSubmission(t, 99)
	if err := db.CreateRequest(ctx, r, tok, intakeMail); err != nil {
		t.Fatal(err)
	}
	if got, want := r.Ref, dsar.FormatRef(2026, 7); got != want {
		t.Errorf("next ref = %s, want %s", got, want)
	}
}

func TestIntakeCancelledCaller(t *testing.T) {
	ctx := context.Background()
	db := openIntakeDB(t, filepath.Join(t.TempDir(), "dsar.db"))
	unlock := holdLock(t, db)

	// b cancels its context once its request is in a batch (the writer
	// waits for the lock with it); a gives up while queued behind it; c is
	// an ordinary caller.
	b, bTok := newSubmission(t, 2)
	bCtx, cancelB := context.WithCancel(ctx)
	defer cancelB()
	bErr := make(chan error, 1)
	go func() { bErr <- db.CreateRequest(bCtx, b, bTok, intakeMail) }()
	waitFor(t, "b taken", func() bool { return takenIntake(db) == 1 })

	a, aTok := newSubmission(t, 1)
	aCtx, cancelA := context.WithCancel(ctx)
	aErr := make(chan error, 1)
	go func() { aErr <- db.CreateRequest(aCtx, a, aTok, intakeMail) }()
	waitFor(t, "a queued", func() bool { return queuedIntake(db) == 1 })
	c, cTok := newSubmission(t, 3)
	cErr := make(chan error, 1)
	go func() { cErr <- db.CreateRequest(ctx, c, cTok, intakeMail) }()
	waitFor(t, "c queued", func() bool { return queuedIntake(db) == 2 })

	cancelB()
	cancelA()
	select {
	case err := <-aErr:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("a: err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled caller still waits for the writer")
	}
	select {
	case err := <-bErr:
		t.Fatalf("b returned (%v) before its batch committed", err)
	case <-time.After(50 * time.Millisecond):
	}
	unlock()
	if err := <-bErr; err != nil {
		t.Errorf("b, cancelled once in the batch: err = %v, want nil (it was stored)", err)
	}
	if err := <-cErr; err != nil {
		t.Errorf("c: %v", err)
	}
	if _, err := db.FindRequest(ctx, a.ID); dsar.ErrorCode(err) != dsar.ENOTFOUND {
		t.Errorf("a: find err = %v, want not found", err)
	}
	for _, r := range []*dsar.Request{b, c} {
		if _, err := db.FindRequest(ctx, r.ID); err != nil {
			t.Errorf("%s not stored: %v", r.Ref, err)
		}
	}
	if a.Ref != "" || b.Ref != dsar.FormatRef(2026, 1) || c.Ref != dsar.FormatRef(2026, 2) {
		t.Errorf("refs a=%q b=%q c=%q, want none, 1 and 2", a.Ref, b.Ref, c.Ref)
	}
}

func TestIntakeAfterClose(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dsar.db")
	db := openIntakeDB(t, path)
	var mu sync.Mutex
	var observed, failed int
	db.ObserveIntake(func(size int, d time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		observed += size
		if err != nil {
			failed += size
		}
	})
	held, release := holdWriter(t, db)

	// Callers wait behind the held batch while the database closes: each
	// gets an answer, none hangs, and a nil answer means stored.
	const n = 20
	reqs := make([]*dsar.Request, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		r, tok := newSubmission(t, i+1)
		reqs[i] = r
		wg.Go(func() { errs[i] = db.CreateRequest(ctx, r, tok, intakeMail) })
	}
	waitFor(t, "callers queued", func() bool { return queuedIntake(db) == n })
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	heldErr := release()
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(10 * time.Second):
		t.Fatal("callers still waiting after Close")
	}
	for i, err := range errs {
		if err == nil {
			t.Errorf("caller %d stored after Close", i)
		} else if dsar.ErrorCode(err) != dsar.EUNAVAILABLE {
			t.Errorf("caller %d: err = %v, want unavailable", i, err)
		}
	}
	r, tok := newSubmission(t, 99)
	if err := db.CreateRequest(ctx, r, tok, intakeMail); dsar.ErrorCode(err) != dsar.EUNAVAILABLE {
		t.Errorf("after Close: err = %v, want unavailable", err)
	}
	// The observer saw every batch, and the failed ones as failed.
	mu.Lock()
	wantFailed := n
	if heldErr != nil {
		wantFailed++
	}
	if observed != n+1+1 || failed != wantFailed+1 {
		t.Errorf("observed %d submissions, %d in failed batches; want %d and %d", observed, failed, n+2, wantFailed+1)
	}
	mu.Unlock()
	if q := queuedIntake(db); q != 0 {
		t.Errorf("%d submissions left queued", q)
	}

	db2 := openIntakeDB(t, path)
	if _, err := db2.FindRequest(ctx, held.ID); (heldErr == nil) != (err == nil) {
		t.Errorf("held request: answered %v, found %v", heldErr, err)
	}
	for _, r := range reqs {
		if _, err := db2.FindRequest(ctx, r.ID); dsar.ErrorCode(err) != dsar.ENOTFOUND {
			t.Errorf("request refused after Close is stored (%v)", err)
		}
	}
}

func TestIntakeDurable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dsar.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	r, tok := newSubmission(t, 1)
	if err := db.CreateRequest(ctx, r, tok, intakeMail); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openIntakeDB(t, path)
	got, err := db.FindRequest(ctx, r.ID)
	if err != nil || got.Ref != r.Ref {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
}

// TestIntakeSurvivesKill runs writers in a child process, kills it with
// SIGKILL while they write, and checks that every request it acknowledged
// is in the database. (A process crash, not a power cut: that one is
// synchronous=FULL's job, which this test cannot cut.)
func TestIntakeSurvivesKill(t *testing.T) {
	if path := os.Getenv("DSAR_INTAKE_CHILD_DB"); path != "" {
		intakeChild(t, path)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "dsar.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestIntakeSurvivesKill$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DSAR_INTAKE_CHILD_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if id, ok := strings.CutPrefix(line, "stored "); ok {
			acked = append(acked, id)
		}
		if len(acked) == 200 {
			cmd.Process.Kill()
		}
	}
	cmd.Wait()
	if len(acked) < 200 {
		t.Fatalf("the child acknowledged %d requests before it ended, want 200", len(acked))
	}
	db := openIntakeDB(t, path)
	for _, id := range acked {
		if _, err := db.FindRequest(context.Background(), id); err != nil {
			t.Errorf("acknowledged request %s lost: %v", id, err)
		}
	}
	if v, err := db.IntegrityCheck(context.Background()); err != nil || v != "ok" {
		t.Errorf("integrity check: %q, %v", v, err)
	}
}

// intakeChild writes requests from 16 goroutines for at most 30 seconds,
// printing the ID of each one acknowledged, until it is killed.
func intakeChild(t *testing.T, path string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				r, tok := newSubmission(t, g*1_000_000+i)
				if err := db.CreateRequest(ctx, r, tok, intakeMail); err != nil {
					continue
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "stored %s\n", r.ID)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// BenchmarkIntake stores requests from 64 concurrent callers, as the form
// does, with the mail rendered by a small function: in one transaction
// each (as before group commit), and through the intake writer. Run:
// go test -run='^$' -bench=Intake -benchtime=3000x ./internal/sqlite/
func BenchmarkIntake(b *testing.B) {
	ctx := context.Background()
	for _, mode := range []struct {
		name  string
		store func(db *DB, r *dsar.Request, tok dsar.Token) error
	}{
		{"one_tx_per_request", func(db *DB, r *dsar.Request, tok dsar.Token) error {
			ev := dsar.Event{At: r.CreatedAt, Actor: dsar.ActorPerson, Type: dsar.EventStatus, To: r.Status}
			return db.inTx(ctx, func(tx *sql.Tx) error { return createRequest(ctx, tx, r, tok, ev, intakeMail) })
		}},
		{"group_commit", func(db *DB, r *dsar.Request, tok dsar.Token) error {
			return db.CreateRequest(ctx, r, tok, intakeMail)
		}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			db, err := Open(ctx, filepath.Join(b.TempDir(), "dsar.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			var next atomic.Int64
			b.SetParallelism(32) // 64 callers on 2 CPUs
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r, tok := newSubmission(b, int(next.Add(1)))
					if err := mode.store(db, r, tok); err != nil {
						b.Error(err)
					}
				}
			})
		})
	}
}

// TestIntakeBatchAcrossNewYear: a batch that holds requests made on both
// sides of the new year (in UTC, as references count) numbers each in its
// own year's series, without gaps, and both counters are saved.
func TestIntakeBatchAcrossNewYear(t *testing.T) {
	ctx := context.Background()
	db := openIntakeDB(t, filepath.Join(t.TempDir(), "dsar.db"))
	_, release := holdWriter(t, db) // DSAR-2026-000001
	dec31 := time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)
	jan1 := dec31.Add(2 * time.Second)
	at := []time.Time{dec31, jan1, dec31, jan1, jan1}
	reqs := make([]*dsar.Request, len(at))
	errs := make([]error, len(at))
	var wg sync.WaitGroup
	for i, when := range at {
		r, tok := newSubmission(t, i+1)
		r.CreatedAt = when
		reqs[i] = r
		wg.Go(func() { errs[i] = db.CreateRequest(ctx, r, tok, intakeMail) })
		waitFor(t, "submission queued", func() bool { return queuedIntake(db) == i+1 })
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	want := []string{"DSAR-2026-000002", "DSAR-2027-000001", "DSAR-2026-000003", "DSAR-2027-000002", "DSAR-2027-000003"}
	for i, r := range reqs {
		if errs[i] != nil || r.Ref != want[i] {
			t.Errorf("request %d (%s): ref %q, %v; want %s", i, at[i].Format(time.RFC3339), r.Ref, errs[i], want[i])
		}
	}
	// The counters were saved: the next of each year follows on.
	for _, tt := range []struct {
		when time.Time
		want string
	}{{dec31, "DSAR-2026-000004"}, {jan1, "DSAR-2027-000004"}} {
		r, tok := newSubmission(t, 99)
		r.CreatedAt = tt.when
		if err := db.CreateRequest(ctx, r, tok, intakeMail); err != nil || r.Ref != tt.want {
			t.Errorf("next in %d: %q, %v; want %s", tt.when.Year(), r.Ref, err, tt.want)
		}
	}
}

// TestIntakeMailMustCarryTheReference: a renderer that does not write the
// reference as given (here, in lower case) would leave the stand-in's
// disguise in the mail and no number: the request is refused before it is
// queued, and nothing is stored.
func TestIntakeMailMustCarryTheReference(t *testing.T) {
	ctx := context.Background()
	db := openIntakeDB(t, filepath.Join(t.TempDir(), "dsar.db"))
	r, tok := newSubmission(t, 1)
	err := db.CreateRequest(ctx, r, tok, func(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
		m, err := intakeMail(r, tok)
		m.Subject = strings.ToLower(m.Subject)
		return m, err
	})
	if err == nil || !strings.Contains(err.Error(), "reference") {
		t.Errorf("err = %v, want the reference missing", err)
	}
	if n, err := db.CountRequests(ctx); err != nil || n != 0 || takenIntake(db) != 0 {
		t.Errorf("%d requests stored (%v), %d taken", n, err, takenIntake(db))
	}
}
