package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/vracoop/dsar/internal/dsar"
)

// CreateStaff stores a new staff account with its password hash and fills
// s.ID. actor is who created it, for the audit log.
func (db *DB) CreateStaff(ctx context.Context, s *dsar.Staff, passwordHash, actor string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO staff (email, name, role, password_hash, active, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			strings.TrimSpace(s.Email), strings.TrimSpace(s.Name), s.Role, passwordHash, s.Active, formatTime(s.CreatedAt))
		var se sqlite3.Error
		if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
			return dsar.Errorf(dsar.ECONFLICT, "a staff account with this email already exists")
		} else if err != nil {
			return mapError(fmt.Errorf("insert staff: %w", err))
		}
		if s.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: s.CreatedAt, Actor: actor, Action: "staff_add",
			Details: fmt.Sprintf("staff #%d (%s) created with role %s", s.ID, s.Email, s.Role)})
	})
}

const staffColumns = `id, email, name, role, active, created_at, failed_logins, locked_until, last_login_at`

// scanStaff reads the staffColumns of a row, then any extra columns into
// extra.
func scanStaff(row rowScanner, extra ...any) (dsar.Staff, error) {
	var s dsar.Staff
	var created string
	var locked, last sql.NullString
	dest := append([]any{&s.ID, &s.Email, &s.Name, &s.Role, &s.Active, &created, &s.FailedLogins, &locked, &last}, extra...)
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return dsar.Staff{}, notFound("staff")
		}
		return dsar.Staff{}, err
	}
	var errs [3]error
	s.CreatedAt, errs[0] = parseTime(created)
	s.LockedUntil, errs[1] = scanNullTime(locked)
	s.LastLoginAt, errs[2] = scanNullTime(last)
	return s, errors.Join(errs[:]...)
}

// StaffByEmail returns the account with that email (any case) and its
// password hash.
func (db *DB) StaffByEmail(ctx context.Context, email string) (dsar.Staff, string, error) {
	var hash string
	s, err := scanStaff(db.db.QueryRowContext(ctx, `SELECT `+staffColumns+`, password_hash FROM staff WHERE email = ?`,
		strings.TrimSpace(email)), &hash)
	return s, hash, err
}

// StaffByID returns one account.
func (db *DB) StaffByID(ctx context.Context, id int64) (dsar.Staff, error) {
	return scanStaff(db.db.QueryRowContext(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = ?`, id))
}

// ListStaff returns every account, admins first, then by name.
func (db *DB) ListStaff(ctx context.Context) ([]dsar.Staff, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+staffColumns+` FROM staff ORDER BY role = 'admin' DESC, name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return scanAll(rows, func(r rowScanner) (dsar.Staff, error) { return scanStaff(r) })
}

// CountStaff returns how many accounts exist.
func (db *DB) CountStaff(ctx context.Context) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff`).Scan(&n)
	return n, err
}

// RecordLoginFailure stores the failure counters of s (after
// s.LoginFailed) and audits the attempt, and the lockout if there is one.
func (db *DB) RecordLoginFailure(ctx context.Context, s dsar.Staff, now time.Time, ip string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := saveLoginState(ctx, tx, s); err != nil {
			return err
		}
		details := "from " + ip
		action := "login_failed"
		if s.Locked(now) {
			action = "login_locked"
			details += fmt.Sprintf(", account locked until %s", s.LockedUntil.UTC().Format(time.RFC3339))
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: s.Actor(), Action: action, Details: details})
	})
}

// StartSession records a successful login of s (after s.LoginSucceeded):
// it stores the session's hash and audits the login.
func (db *DB) StartSession(ctx context.Context, s dsar.Staff, sessionHash string, now, expires time.Time, ip string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := saveLoginState(ctx, tx, s); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (hash, staff_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
			sessionHash, s.ID, formatTime(now), formatTime(expires), formatTime(now)); err != nil {
			return mapError(fmt.Errorf("insert session: %w", err))
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: s.Actor(), Action: "login", Details: "from " + ip})
	})
}

func saveLoginState(ctx context.Context, tx *sql.Tx, s dsar.Staff) error {
	_, err := tx.ExecContext(ctx, `UPDATE staff SET failed_logins = ?, locked_until = ?, last_login_at = ? WHERE id = ?`,
		s.FailedLogins, nullTime(s.LockedUntil), nullTime(s.LastLoginAt), s.ID)
	if err != nil {
		return mapError(fmt.Errorf("update login state: %w", err))
	}
	return nil
}

// SessionStaff returns the active account behind a session that has not
// expired and was used within idle, and marks the session as used now.
func (db *DB) SessionStaff(ctx context.Context, sessionHash string, now time.Time, idle time.Duration) (dsar.Staff, error) {
	var staffID int64
	var expires, seen string
	err := db.db.QueryRowContext(ctx, `SELECT staff_id, expires_at, last_seen_at FROM sessions WHERE hash = ?`, sessionHash).
		Scan(&staffID, &expires, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return dsar.Staff{}, dsar.Errorf(dsar.EUNAUTHORIZED, "no session")
	} else if err != nil {
		return dsar.Staff{}, fmt.Errorf("find session: %w", err)
	}
	exp, err1 := parseTime(expires)
	last, err2 := parseTime(seen)
	if err := errors.Join(err1, err2); err != nil {
		return dsar.Staff{}, err
	}
	if !now.Before(exp) || now.Sub(last) > idle {
		return dsar.Staff{}, dsar.Errorf(dsar.EUNAUTHORIZED, "session expired")
	}
	s, err := db.StaffByID(ctx, staffID)
	if err != nil {
		return dsar.Staff{}, err
	}
	if !s.Active {
		return dsar.Staff{}, dsar.Errorf(dsar.EUNAUTHORIZED, "account disabled")
	}
	// Touch at most once a minute: reads stay reads under a busy back office.
	if now.Sub(last) > time.Minute {
		if _, err := db.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE hash = ?`, formatTime(now), sessionHash); err != nil {
			return dsar.Staff{}, mapError(fmt.Errorf("touch session: %w", err))
		}
	}
	return s, nil
}

// EndSession deletes a session (logout) and audits it.
func (db *DB) EndSession(ctx context.Context, sessionHash string, s dsar.Staff, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, sessionHash); err != nil {
			return mapError(fmt.Errorf("delete session: %w", err))
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: s.Actor(), Action: "logout"})
	})
}

// DeleteExpiredSessions removes sessions past their expiry.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(now))
	if err != nil {
		return 0, mapError(fmt.Errorf("delete expired sessions: %w", err))
	}
	return res.RowsAffected()
}

// SetStaffActive enables or disables an account; disabling ends its
// sessions. actor is the admin who did it.
func (db *DB) SetStaffActive(ctx context.Context, id int64, active bool, actor string, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff SET active = ? WHERE id = ?`, active, id)
		if err != nil {
			return mapError(fmt.Errorf("update staff: %w", err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return notFound("staff")
		}
		action := "staff_enable"
		if !active {
			action = "staff_disable"
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE staff_id = ?`, id); err != nil {
				return mapError(err)
			}
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: actor, Action: action, Details: fmt.Sprintf("staff #%d", id)})
	})
}

// SetStaffRole changes an account's role.
func (db *DB) SetStaffRole(ctx context.Context, id int64, role dsar.StaffRole, actor string, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff SET role = ? WHERE id = ?`, role, id)
		if err != nil {
			return mapError(fmt.Errorf("update staff: %w", err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return notFound("staff")
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: actor, Action: "staff_role",
			Details: fmt.Sprintf("staff #%d is now %s", id, role)})
	})
}

// SetStaffPassword replaces a password hash, unlocks the account and ends
// its sessions.
func (db *DB) SetStaffPassword(ctx context.Context, id int64, passwordHash, actor string, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`, passwordHash, id)
		if err != nil {
			return mapError(fmt.Errorf("update password: %w", err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return notFound("staff")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE staff_id = ?`, id); err != nil {
			return mapError(err)
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: actor, Action: "staff_password",
			Details: fmt.Sprintf("password of staff #%d reset", id)})
	})
}
