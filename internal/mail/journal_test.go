package mail_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/mail/smtptest"
	"github.com/vracoop/dsar/internal/sqlite"
)

// TestJournalPreventsResendAfterCrash: the server accepted a mail, the
// journal recorded it, and the process died before the database was told.
// At restart the journal marks it sent: it is not sent again.
func TestJournalPreventsResendAfterCrash(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	accepted, err := db.EnqueueMail(ctx, dsar.Mail{To: "a@example.fr", Subject: "[DSAR-2026-000001] a", Text: "t", HTML: "h"}, now)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := db.EnqueueMail(ctx, dsar.Mail{To: "b@example.fr", Subject: "[DSAR-2026-000002] b", Text: "t", HTML: "h"}, now)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sent.journal")
	j, _, err := mail.OpenSentJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Record(accepted); err != nil {
		t.Fatal(err)
	}
	// A torn last line from a crash mid-write is ignored.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("12")
	f.Close()
	j.Close()

	j, ids, err := mail.OpenSentJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if len(ids) != 1 || ids[0] != accepted {
		t.Fatalf("journal replay: %v, want [%d] (the torn line read as an ID?)", ids, accepted)
	}
	srv := smtptest.Start(t)
	w := mail.NewWorker(db, newSMTPSender(t, srv), nil)
	w.Now = func() time.Time { return now }
	w.Journal = j
	if err := w.Replay(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Wait(t, 1, 5*time.Second)
	if len(msgs) != 1 || msgs[0].To[0] != "b@example.fr" {
		t.Errorf("sent %d: %+v (the accepted mail was sent again?)", len(msgs), msgs)
	}
	if state, _, _, _ := db.MailState(ctx, pending); state != "sent" {
		t.Errorf("pending mail state: %s", state)
	}
	if info, _ := os.Stat(path); info.Size() == 0 {
		t.Errorf("the journal lost the mail just sent before the database was told")
	}
}

// TestJournalBeforeQuit: the acceptance is in the journal the moment the
// server gives it, before the QUIT that ends the session, so that a crash
// during the goodbye does not send the mail again.
func TestJournalBeforeQuit(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	if _, err := db.EnqueueMail(ctx, dsar.Mail{To: "a@example.fr", Subject: "[DSAR-2026-000001] a", Text: "t", HTML: "h"}, now); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sent.journal")
	j, _, err := mail.OpenSentJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	srv := smtptest.Start(t)
	sizes := make(chan int64, 10)
	srv.OnLogout(func() {
		info, err := os.Stat(path)
		if err != nil {
			sizes <- -1
			return
		}
		sizes <- info.Size()
	})
	w := mail.NewWorker(db, newSMTPSender(t, srv), nil)
	w.Now = func() time.Time { return now }
	w.Journal = j
	if _, err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Wait(t, 1, 5*time.Second)
	select {
	case size := <-sizes:
		if size <= 0 {
			t.Errorf("journal size when the client said goodbye: %d; the acceptance was not journaled before QUIT", size)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the client never ended its session")
	}
}

// TestJournalMarksInsteadOfResending: the server accepted a mail and the
// journal recorded it, but the database could not be told (its write lock
// was held elsewhere). The next pass marks it sent without sending it
// again.
func TestJournalMarksInsteadOfResending(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "dsar.db")
	db, err := sqlite.OpenWithBusyTimeout(ctx, path, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	id, err := db.EnqueueMail(ctx, dsar.Mail{To: "a@example.fr", Subject: "[DSAR-2026-000001] a", Text: "t", HTML: "h"}, now)
	if err != nil {
		t.Fatal(err)
	}
	journalPath := filepath.Join(dir, "sent.journal")
	j, _, err := mail.OpenSentJournal(journalPath)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	srv := smtptest.Start(t)
	w := mail.NewWorker(db, newSMTPSender(t, srv), nil)
	w.Now = func() time.Time { return now }
	w.Journal = j

	// Another connection holds the write lock: the mail goes out, its mark
	// fails.
	other, err := sql.Open("sqlite3", sqlite.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.Begin() // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Flush(ctx); err == nil {
		t.Fatal("the mark succeeded under a held lock")
	}
	lock.Rollback()
	srv.Wait(t, 1, 5*time.Second)

	if _, err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if state, _, _, _ := db.MailState(ctx, id); state != "sent" {
		t.Errorf("mail state %s, want sent", state)
	}
	// Flush returns once the server answered: a second copy would be there.
	if msgs := srv.Messages(); len(msgs) != 1 {
		t.Errorf("the server got %d copies", len(msgs))
	}
}
