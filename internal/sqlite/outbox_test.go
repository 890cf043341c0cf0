package sqlite

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// TestSentMailKeepsNoSecret: once a mail is sent, the copy the outbox keeps
// no longer holds the token it carried (whoever reads the database later
// finds no working link); a mail that failed for good keeps it, for staff
// to act on, and a mail without a secret is kept as it was.
func TestSentMailKeepsNoSecret(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "dsar.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	secret := strings.Repeat("s3cr3t-", 6)
	mail := func(secret string) dsar.Mail {
		return dsar.Mail{To: "jeanne@example.fr", Subject: "[DSAR-2026-000001] x", Secret: secret,
			Text: "Lien : https://dsar.example/s/" + secret + "\nMerci.", HTML: `<a href="https://dsar.example/s/` + secret + `">https://dsar.example/s/` + secret + `</a>`}
	}
	sent, err := db.EnqueueMail(ctx, mail(secret), now)
	if err != nil {
		t.Fatal(err)
	}
	failed, err := db.EnqueueMail(ctx, mail(secret), now)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := db.EnqueueMail(ctx, mail(""), now)
	if err != nil {
		t.Fatal(err)
	}
	// Until it is sent, the mail is due as rendered.
	due, err := db.DueMail(ctx, now, 10)
	if err != nil || len(due) != 3 || !strings.Contains(due[0].Text, secret) {
		t.Fatalf("due: %d mails (%v)", len(due), err)
	}
	for _, id := range []int64{sent, plain} {
		if err := db.MarkMailSent(ctx, id, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkMailFailed(ctx, failed, "550 no such user"); err != nil {
		t.Fatal(err)
	}
	body := func(id int64) (text, html, kept string) {
		t.Helper()
		if err := db.db.QueryRowContext(ctx, `SELECT text_body, html_body, secret FROM outbox WHERE id = ?`, id).Scan(&text, &html, &kept); err != nil {
			t.Fatal(err)
		}
		return text, html, kept
	}
	text, html, kept := body(sent)
	if strings.Contains(text+html+kept, secret) {
		t.Errorf("the sent mail still holds its token:\n%s\n%s\n%q", text, html, kept)
	}
	if !strings.Contains(text, "https://dsar.example/s/"+secretRemoved+"\nMerci.") || strings.Count(html, secretRemoved) != 2 {
		t.Errorf("the sent mail is not kept as sent but for its token:\n%s\n%s", text, html)
	}
	if text, html, kept := body(failed); !strings.Contains(text, secret) || !strings.Contains(html, secret) || kept != secret {
		t.Errorf("the failed mail lost its token: %q %q %q", text, html, kept)
	}
	if text, html, _ := body(plain); text != mail("").Text || html != mail("").HTML {
		t.Errorf("a mail without a secret changed: %q %q", text, html)
	}

	// Nor do the file's bytes keep it, once the WAL is copied back: SQLite
	// zeroes what an UPDATE or a DELETE frees (secure_delete). The failed
	// mail, which keeps its token, is deleted first.
	if _, err := db.db.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, failed); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(db.path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(secret)) {
		t.Errorf("the database file still holds the token's bytes")
	}
}

// TestPurgedMailKeepsNoSecret: when an unconfirmed request is purged, its
// confirmation mail, never sent, loses the token it held with the rest.
func TestPurgedMailKeepsNoSecret(t *testing.T) {
	ctx := context.Background()
	db := openIntakeDB(t, filepath.Join(t.TempDir(), "dsar.db"))
	r, tok := newSubmission(t, 1)
	withSecret := func(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
		m, err := intakeMail(r, tok)
		m.Secret = tok.Plain
		return m, err
	}
	if err := db.CreateRequest(ctx, r, tok, withSecret); err != nil {
		t.Fatal(err)
	}
	if refs, err := db.ExpireUnconfirmed(ctx, tok.ExpiresAt.Add(time.Second)); err != nil || len(refs) != 1 {
		t.Fatalf("expired %v (%v)", refs, err)
	}
	var text, html, kept string
	if err := db.db.QueryRowContext(ctx, `SELECT text_body, html_body, secret FROM outbox WHERE request_id = ?`, r.ID).
		Scan(&text, &html, &kept); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text+html+kept, tok.Plain) {
		t.Errorf("the purged request's mail still holds its token: %q %q %q", text, html, kept)
	}
}
