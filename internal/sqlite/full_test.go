package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
)

// TestDiskFullIsUnavailable: when the database cannot grow (SQLite's
// "database or disk is full", forced here with max_page_count on the only
// connection), a submission fails as unavailable, so that the person is
// asked to try again later, and nothing of it is stored; once there is
// room again the same submission goes through.
func TestDiskFullIsUnavailable(t *testing.T) {
	ctx := context.Background()
	db := openIntakeDB(t, filepath.Join(t.TempDir(), "dsar.db"))
	db.db.SetMaxOpenConns(1)
	db.db.SetMaxIdleConns(1)
	// Fill the database near its cap with a few requests first, so that
	// the next one needs new pages.
	for i := range 3 {
		r, tok := newSubmission(t, i)
		if err := db.CreateRequest(ctx, r, tok, intakeMail); err != nil {
			t.Fatal(err)
		}
	}
	var pages int
	if err := db.db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, "PRAGMA max_page_count = "+strconv.Itoa(pages)); err != nil {
		t.Fatal(err)
	}

	var err error
	n := 0
	for i := 3; i < 200 && err == nil; i++ {
		r, tok := newSubmission(t, i)
		err = db.CreateRequest(ctx, r, tok, intakeMail)
		n++
	}
	if !errors.Is(err, dsar.ErrUnavailable) {
		t.Fatalf("a full database: %v, want ErrUnavailable", err)
	}
	count, cerr := db.CountRequests(ctx)
	if cerr != nil {
		t.Fatal(cerr)
	}
	if count != 3+n-1 {
		t.Errorf("%d requests stored, want %d: the refused one was half-written", count, 3+n-1)
	}
	var orphans int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE request_id NOT IN (SELECT id FROM requests)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d mails of a refused request", orphans)
	}

	if _, err := db.db.ExecContext(ctx, "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	r, tok := newSubmission(t, 1000)
	if err := db.CreateRequest(ctx, r, tok, intakeMail); err != nil {
		t.Fatalf("with room again: %v", err)
	}
}
