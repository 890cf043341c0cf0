package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// What operators watch: whether the database answers, and the figures the
// metrics page reads at each scrape. Each is one query on an index.

// Ping reports whether the database answers. It reads the schema version
// from the file's header, which takes a read lock on the file, so that a
// database that cannot be read fails, not only a closed pool.
func (db *DB) Ping(ctx context.Context) error {
	var v int
	if err := db.db.QueryRowContext(ctx, `PRAGMA schema_version`).Scan(&v); err != nil {
		return mapError(fmt.Errorf("ping database: %w", err))
	}
	return nil
}

// OldestPendingMail returns when the oldest mail not yet sent (waiting for
// its first attempt or for a retry) was put in the outbox, or false when
// none waits.
func (db *DB) OldestPendingMail(ctx context.Context) (time.Time, bool, error) {
	var oldest sql.NullString
	err := db.db.QueryRowContext(ctx, `SELECT MIN(created_at) FROM outbox WHERE state = ?`, mailPending).Scan(&oldest)
	if err != nil {
		return time.Time{}, false, mapError(fmt.Errorf("oldest pending mail: %w", err))
	}
	if !oldest.Valid {
		return time.Time{}, false, nil
	}
	t, err := parseTime(oldest.String)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("oldest pending mail: %w", err)
	}
	return t, true, nil
}

// PendingMail returns how many mails wait to be sent.
func (db *DB) PendingMail(ctx context.Context) (int, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE state = ?`, mailPending).Scan(&n); err != nil {
		return 0, mapError(fmt.Errorf("count pending mail: %w", err))
	}
	return n, nil
}

// CountOverdue returns how many open requests are past their due date on
// today, as the dashboard counts them.
func (db *DB) CountOverdue(ctx context.Context, today dsar.Date) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests INDEXED BY requests_open_due
		WHERE status IN `+openStatusList+` AND due_date < ?`, today.String()).Scan(&n)
	if err != nil {
		return 0, mapError(fmt.Errorf("count overdue requests: %w", err))
	}
	return n, nil
}
