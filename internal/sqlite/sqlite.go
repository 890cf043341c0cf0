// Package sqlite is dsar's storage: the SQLite database, its migrations, and
// the stores for requests, tokens, events and the mail outbox. Every state
// change and the mail it causes are written in one transaction.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/migrations"
)

// DB is dsar's database.
type DB struct {
	db     *sql.DB
	path   string
	intake intakeQueue // submissions waiting for group commit (groupcommit.go)

	intakeObserver atomic.Pointer[IntakeObserver]
}

// DSN returns the connection string for the database file at path. The
// pragmas are in the DSN so that every pooled connection gets them: WAL,
// foreign keys, a busy timeout, immediate write transactions (so that two
// writers queue instead of failing on upgrade), a full sync so that an
// acknowledged request survives a power cut, and secure_delete, so that
// what an erasure, a purge or a sent mail's redaction removes is zeroed in
// the file instead of lingering in free space.
func DSN(path string) string { return dsn(path, defaultBusyTimeout) }

// defaultBusyTimeout is how long a connection waits for a lock before the
// database answers "busy".
const defaultBusyTimeout = 10 * time.Second

func dsn(path string, busy time.Duration) string {
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", strconv.FormatInt(busy.Milliseconds(), 10))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	q.Set("_secure_delete", "on")
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the database file at path and applies
// every pending migration.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenWithBusyTimeout(ctx, path, defaultBusyTimeout)
}

// OpenWithBusyTimeout is Open with how long a write waits for a lock held
// elsewhere before it fails as unavailable.
func OpenWithBusyTimeout(ctx context.Context, path string, busy time.Duration) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	sqldb, err := sql.Open("sqlite3", dsn(path, busy))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := migrate(ctx, sqldb); err != nil {
		sqldb.Close()
		return nil, err
	}
	return &DB{db: sqldb, path: path}, nil
}

func migrate(ctx context.Context, sqldb *sql.DB) error {
	p, err := goose.NewProvider(goose.DialectSQLite3, sqldb, migrations.FS)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// createPrivate creates the database file, if it does not exist yet, readable
// by the service's user only: SQLite would create it 0644, and it holds
// people's requests. SQLite gives its -wal and -shm files the mode of the
// database file. An existing file keeps the mode its operator gave it.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	return f.Close()
}

// IntegrityCheck runs SQLite's integrity check and returns its verdict
// ("ok" when the file is sound).
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var verdict string
	err := db.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&verdict)
	return verdict, err
}

// inTx runs fn in a write transaction and commits it, or rolls it back when
// fn fails.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return mapError(fmt.Errorf("begin: %w", err))
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return mapError(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// mapError turns the driver's transient failures (locked, busy, disk full,
// I/O error) into dsar.ErrUnavailable, so that the person is asked to try
// again later.
func mapError(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked, sqlite3.ErrFull, sqlite3.ErrIoErr, sqlite3.ErrReadonly:
			return fmt.Errorf("%w: %w", dsar.ErrUnavailable, err)
		}
	}
	return err
}

// notFound is the error for a missing row.
func notFound(what string) error { return dsar.Errorf(dsar.ENOTFOUND, "%s not found", what) }
