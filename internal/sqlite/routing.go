package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// SetRouting replaces the routing of a request and records the change in
// its history.
func (db *DB) SetRouting(ctx context.Context, requestID string, routing dsar.Routing, actor string, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := setRouting(ctx, tx, requestID, routing); err != nil {
			return err
		}
		return insertEvent(ctx, tx, dsar.Event{RequestID: requestID, At: now, Actor: actor, Type: dsar.EventRouting,
			Note: routingSummary(routing)})
	})
}

func setRouting(ctx context.Context, tx *sql.Tx, requestID string, routing dsar.Routing) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM request_routes WHERE request_id = ?`, requestID); err != nil {
		return mapError(fmt.Errorf("clear routing: %w", err))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE requests SET roles = ? WHERE id = ?`, routing.Mask(), requestID); err != nil {
		return mapError(fmt.Errorf("set roles: %w", err))
	}
	return insertRoutes(ctx, tx, requestID, routing)
}

// insertRoutes stores the routing of a request that has none yet.
func insertRoutes(ctx context.Context, tx execer, requestID string, routing dsar.Routing) error {
	for i, r := range routing {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO request_routes (request_id, position, activity, role, reason_fr, reason_en) VALUES (?, ?, ?, ?, ?, ?)`,
			requestID, i, r.Activity, r.Role, r.Reason.FR, r.Reason.EN); err != nil {
			return mapError(fmt.Errorf("insert route: %w", err))
		}
	}
	return nil
}

func routingSummary(rs dsar.Routing) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += ", "
		}
		s += r.Activity + " (" + string(r.Role) + ")"
	}
	return s
}

// Routing returns the activities a request concerns, in register order as
// stored.
func (db *DB) Routing(ctx context.Context, requestID string) (dsar.Routing, error) {
	return routing(ctx, db.db, requestID)
}

func routing(ctx context.Context, q querier, requestID string) (dsar.Routing, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT activity, role, reason_fr, reason_en FROM request_routes WHERE request_id = ? ORDER BY position`, requestID)
	if err != nil {
		return nil, fmt.Errorf("routing: %w", err)
	}
	defer rows.Close()
	var out dsar.Routing
	for rows.Next() {
		var r dsar.Route
		if err := rows.Scan(&r.Activity, &r.Role, &r.Reason.FR, &r.Reason.EN); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// marshalLookup encodes a lookup's snapshot.
func marshalLookup(l dsar.Lookup) (string, error) {
	b, err := json.Marshal(l)
	if err != nil {
		return "", fmt.Errorf("encode lookup: %w", err)
	}
	return string(b), nil
}

// LatestLookup returns the newest lookup of a request, or ENOTFOUND.
func (db *DB) LatestLookup(ctx context.Context, requestID string) (dsar.Lookup, error) {
	var snap string
	err := db.db.QueryRowContext(ctx, `SELECT snapshot FROM lookups WHERE request_id = ? ORDER BY id DESC LIMIT 1`, requestID).Scan(&snap)
	if errors.Is(err, sql.ErrNoRows) {
		return dsar.Lookup{}, notFound("lookup")
	} else if err != nil {
		return dsar.Lookup{}, fmt.Errorf("latest lookup: %w", err)
	}
	var l dsar.Lookup
	if err := json.Unmarshal([]byte(snap), &l); err != nil {
		return dsar.Lookup{}, fmt.Errorf("decode lookup: %w", err)
	}
	return l, nil
}
