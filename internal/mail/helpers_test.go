package mail_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/mail/smtptest"
	"github.com/vracoop/dsar/internal/sqlite"
)

// The real types satisfy the interfaces the worker uses.
var (
	_ mail.Outbox = (*sqlite.DB)(nil)
	_ mail.Sender = (*mail.SMTPSender)(nil)
	_ mail.Sender = mail.FileSender{}
)

const testFrom = "VRACOOP – Protection des données <dpo@vracoop.fr>"

// start is the fixed instant the tests' clocks start from.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// openDB opens a fresh database in a temporary directory.
func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dsar.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newSMTPSender returns a sender to srv, without TLS.
func newSMTPSender(t *testing.T, srv *smtptest.Server) *mail.SMTPSender {
	t.Helper()
	s, err := mail.NewSMTPSender(mail.SMTPConfig{
		Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone,
		From: testFrom, HeloName: "dsar.test", Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// logBuffer collects log output, safe for concurrent use, and echoes it to
// the test's output.
type logBuffer struct {
	t  *testing.T
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.t.Log(strings.TrimSuffix(string(p), "\n"))
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newLogger returns a logger whose output the test can check.
func newLogger(t *testing.T) (*slog.Logger, *logBuffer) {
	buf := &logBuffer{t: t}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}
