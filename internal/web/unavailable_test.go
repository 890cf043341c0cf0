package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/sqlite"
	"github.com/vracoop/dsar/internal/web"
)

// TestDatabaseLockedAsksToTryLater: while another process holds the
// database's write lock, a submission fails with a plain "try again later",
// no stack trace, and nothing half-written; once the lock is gone the same
// form goes through.
func TestDatabaseLockedAsksToTryLater(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dsar.db")
	db, err := sqlite.OpenWithBusyTimeout(ctx, path, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	composer, _ := mail.NewComposer("http://dsar.test")
	s, err := web.New(web.Options{Store: db, Mails: composer, BaseURL: "http://dsar.test", ConfirmTTL: time.Hour, StatusTTL: 24 * time.Hour,
		CSRFKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, db: db, now: time.Now()}
	h.srv = httptest.NewServer(s)
	t.Cleanup(h.srv.Close)

	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=100")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}

	b := h.browser()
	form := validForm(h.do(b, "GET", "/", nil).csrf(t))
	p := h.do(b, "POST", "/", form)
	if p.status != http.StatusServiceUnavailable || !strings.Contains(p.body, "Réessayez dans quelques minutes") {
		t.Errorf("locked database: %d\n%s", p.status, p.body)
	}
	for _, leak := range []string{"goroutine", "sqlite3", "database is locked", ".go:"} {
		if strings.Contains(p.body, leak) {
			t.Errorf("the page shows %q", leak)
		}
	}
	if p.header.Get("Retry-After") == "" {
		t.Errorf("no Retry-After")
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if n := h.count(); n != 0 {
		t.Errorf("%d requests half-written", n)
	}
	if p := h.do(b, "POST", "/", form); p.status != http.StatusSeeOther {
		t.Errorf("after the lock: %d", p.status)
	}
	if n, m := h.count(), h.outbox(); n != 1 || m != 1 {
		t.Errorf("after the lock: %d requests, %d mails", n, m)
	}
}
