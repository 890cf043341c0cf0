package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

const packageColumns = `id, request_id, path, size, sha256, created_at, created_by, expires_at, downloads,
	code_hash, code_expires_at, code_sent_at, attempts, locked, deleted_at, recipient`

func scanPackage(row rowScanner) (dsar.Package, error) {
	var p dsar.Package
	var created, expires string
	var codeExp, codeSent, deleted sql.NullString
	if err := row.Scan(&p.ID, &p.RequestID, &p.Path, &p.Size, &p.SHA256, &created, &p.CreatedBy, &expires, &p.Downloads,
		&p.CodeHash, &codeExp, &codeSent, &p.Attempts, &p.Locked, &deleted, &p.Recipient); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return p, notFound("package")
		}
		return p, err
	}
	var errs [5]error
	p.CreatedAt, errs[0] = parseTime(created)
	p.ExpiresAt, errs[1] = parseTime(expires)
	p.CodeExpires, errs[2] = scanNullTime(codeExp)
	p.CodeSentAt, errs[3] = scanNullTime(codeSent)
	p.DeletedAt, errs[4] = scanNullTime(deleted)
	return p, errors.Join(errs[:]...)
}

// ReleasePackage records a package written to disk, its download link's
// token and the mail that carries the link, in one transaction.
func (db *DB) ReleasePackage(ctx context.Context, p *dsar.Package, tok dsar.Token, m dsar.Mail, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO packages (request_id, path, size, sha256, created_at, created_by, expires_at, recipient) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			p.RequestID, p.Path, p.Size, p.SHA256, formatTime(p.CreatedAt), p.CreatedBy, formatTime(p.ExpiresAt), p.Recipient)
		if err != nil {
			return mapError(fmt.Errorf("insert package: %w", err))
		}
		if p.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		tok.RequestID = p.RequestID
		if err := insertToken(ctx, tx, tok, now); err != nil {
			return err
		}
		if err := insertMail(ctx, tx, m, now); err != nil {
			return err
		}
		if err := insertEvent(ctx, tx, dsar.Event{RequestID: p.RequestID, At: now, Actor: p.CreatedBy, Type: dsar.EventPackage,
			Note: fmt.Sprintf("package #%d released (%d bytes), link valid until %s", p.ID, p.Size, p.ExpiresAt.UTC().Format(time.DateOnly))}); err != nil {
			return err
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: p.CreatedBy, Action: "package_release", RequestID: p.RequestID,
			Details: fmt.Sprintf("package #%d, sha256 %s", p.ID, p.SHA256)})
	})
}

// PackageByToken returns the newest package of the request a download
// token opens.
func (db *DB) PackageByToken(ctx context.Context, hash string, now time.Time) (dsar.Package, dsar.Request, error) {
	r, err := requestByToken(ctx, db.db, hash, dsar.TokenDownload, now)
	if err != nil {
		return dsar.Package{}, r, err
	}
	p, err := db.LatestPackage(ctx, r.ID)
	return p, r, err
}

// LatestPackage returns the newest package of a request.
func (db *DB) LatestPackage(ctx context.Context, requestID string) (dsar.Package, error) {
	return scanPackage(db.db.QueryRowContext(ctx, `SELECT `+packageColumns+` FROM packages WHERE request_id = ? ORDER BY id DESC LIMIT 1`, requestID))
}

// SavePackage stores the package's code and download state, with the mail
// (a code) and the event that go with the change, and audits downloads and
// locks.
func (db *DB) SavePackage(ctx context.Context, p dsar.Package, m *dsar.Mail, event, action string, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE packages SET downloads = ?, code_hash = ?, code_expires_at = ?, code_sent_at = ?,
			attempts = ?, locked = ? WHERE id = ?`,
			p.Downloads, p.CodeHash, nullTime(p.CodeExpires), nullTime(p.CodeSentAt), p.Attempts, p.Locked, p.ID)
		if err != nil {
			return mapError(fmt.Errorf("update package: %w", err))
		}
		if m != nil {
			if err := insertMail(ctx, tx, *m, now); err != nil {
				return err
			}
		}
		if event != "" {
			if err := insertEvent(ctx, tx, dsar.Event{RequestID: p.RequestID, At: now, Actor: dsar.ActorPerson, Type: dsar.EventPackage, Note: event}); err != nil {
				return err
			}
		}
		if action != "" {
			return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: dsar.ActorPerson, Action: action, RequestID: p.RequestID,
				Details: fmt.Sprintf("package #%d: %s", p.ID, event)})
		}
		return nil
	})
}

// ExpirePackages marks the packages past their expiry as deleted, ends
// their download links, and returns them so that their files are removed.
func (db *DB) ExpirePackages(ctx context.Context, now time.Time) ([]dsar.Package, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+packageColumns+` FROM packages WHERE deleted_at IS NULL AND expires_at <= ?`, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("expired packages: %w", err)
	}
	out, err := scanAll(rows, scanPackage)
	if err != nil {
		return nil, err
	}
	for i := range out {
		p := &out[i]
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE packages SET deleted_at = ?, code_hash = '' WHERE id = ?`, formatTime(now), p.ID); err != nil {
				return mapError(err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE request_id = ? AND purpose = ?`, p.RequestID, dsar.TokenDownload); err != nil {
				return mapError(err)
			}
			return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: dsar.ActorSystem, Action: "package_expired", RequestID: p.RequestID,
				Details: fmt.Sprintf("package #%d deleted at expiry", p.ID)})
		})
		if err != nil {
			return out[:i], err
		}
	}
	return out, nil
}

// ConfirmFinding records that staff confirmed one record matched only by a
// phone number or a name, for the access package.
func (db *DB) ConfirmFinding(ctx context.Context, requestID, finding, actor string, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO confirmed_findings (request_id, finding, confirmed_by, confirmed_at) VALUES (?, ?, ?, ?)`,
			requestID, finding, actor, formatTime(now)); err != nil {
			return mapError(fmt.Errorf("confirm finding: %w", err))
		}
		if err := insertEvent(ctx, tx, dsar.Event{RequestID: requestID, At: now, Actor: actor, Type: dsar.EventPackage, Note: "record confirmed for the package: " + finding}); err != nil {
			return err
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: actor, Action: "finding_confirmed", RequestID: requestID, Details: finding})
	})
}

// ConfirmedFindings returns the records staff confirmed for a request.
func (db *DB) ConfirmedFindings(ctx context.Context, requestID string) (map[string]bool, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT finding FROM confirmed_findings WHERE request_id = ?`, requestID)
	if err != nil {
		return nil, fmt.Errorf("confirmed findings: %w", err)
	}
	keys, err := scanStrings(rows)
	out := map[string]bool{}
	for _, k := range keys {
		out[k] = true
	}
	return out, err
}
