package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// openStatusList is the SQL literal list of open statuses; it must match
// the WHERE of the requests_open_due index for SQLite to use it.
const openStatusList = "('received', 'in_progress', 'awaiting_info', 'forwarded')"

// Dashboard computes the back office's summary as of today.
func (db *DB) Dashboard(ctx context.Context, today dsar.Date) (dsar.Dashboard, error) {
	var d dsar.Dashboard
	var err error
	if d.ByStatus, err = db.CountRequestsByStatus(ctx); err != nil {
		return d, err
	}
	d.OpenByKind = map[dsar.Kind]int{}
	for _, k := range dsar.Kinds {
		var n int
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests INDEXED BY requests_open_due
			WHERE status IN `+openStatusList+` AND (kinds_mask & ?) != 0`, dsar.KindMask([]dsar.Kind{k})).Scan(&n); err != nil {
			return d, fmt.Errorf("count open %s: %w", k, err)
		}
		d.OpenByKind[k] = n
	}
	if err := db.db.QueryRowContext(ctx, `SELECT
			COUNT(*) FILTER (WHERE due_date < ?),
			COUNT(*) FILTER (WHERE due_date >= ? AND due_date <= ?)
		FROM requests INDEXED BY requests_open_due WHERE status IN `+openStatusList,
		today.String(), today.String(), today.AddDays(7).String()).Scan(&d.Overdue, &d.DueWithinWeek); err != nil {
		return d, fmt.Errorf("count due: %w", err)
	}
	yearAgo := formatTime(dsar.AddMonths(today, -12).Time())
	rows, err := db.db.QueryContext(ctx, `SELECT clock_start, closed_at FROM requests
		WHERE status IN ('completed', 'denied') AND clock_start IS NOT NULL AND closed_at >= ?`, yearAgo)
	if err != nil {
		return d, fmt.Errorf("closed requests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var start, closed string
		if err := rows.Scan(&start, &closed); err != nil {
			return d, err
		}
		s, err1 := dsar.ParseDate(start)
		c, err2 := parseTime(closed)
		if err1 != nil || err2 != nil {
			return d, fmt.Errorf("closed request dates %q %q", start, closed)
		}
		d.DaysToClose = append(d.DaysToClose, s.DaysUntil(dsar.DateOf(c)))
	}
	if err := rows.Err(); err != nil {
		return d, err
	}
	months := dsar.LastMonths(today, 12)
	counts := map[string]int{}
	mrows, err := db.db.QueryContext(ctx, `SELECT substr(received_at, 1, 7), COUNT(*) FROM requests
		WHERE received_at >= ? GROUP BY 1`, months[0]+"-01")
	if err != nil {
		return d, fmt.Errorf("requests per month: %w", err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var m string
		var n int
		if err := mrows.Scan(&m, &n); err != nil {
			return d, err
		}
		counts[m] = n
	}
	for _, m := range months {
		d.PerMonth = append(d.PerMonth, dsar.MonthCount{Month: m, N: counts[m]})
	}
	return d, mrows.Err()
}

// ExportRequests calls fn for every request that went past the email
// confirmation, oldest first, as a line of the register of requests. Rows
// are streamed: the export never holds the whole table in memory.
func (db *DB) ExportRequests(ctx context.Context, fn func(dsar.RequestRecord) error) error {
	rows, err := db.db.QueryContext(ctx, `
		SELECT ref, received_at, channel, relationship, status, clock_start, due_date, extended, closed_at,
			denial_ground, denial_reason, kinds_mask, roles
		FROM requests WHERE status <> 'awaiting_confirmation' ORDER BY received_at, ref`)
	if err != nil {
		return fmt.Errorf("export requests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r dsar.RequestRecord
		var received string
		var start, due, closed sql.NullString
		var kinds, roles int
		if err := rows.Scan(&r.Ref, &received, &r.Channel, &r.Relationship, &r.Status, &start, &due, &r.Extended, &closed,
			&r.DenialGround, &r.DenialReason, &kinds, &roles); err != nil {
			return err
		}
		var errs [4]error
		r.ReceivedAt, errs[0] = parseTime(received)
		r.ClockStart, errs[1] = scanNullDate(start)
		r.Due, errs[2] = scanNullDate(due)
		r.ClosedAt, errs[3] = scanNullTime(closed)
		for _, e := range errs {
			if e != nil {
				return fmt.Errorf("export %s: %w", r.Ref, e)
			}
		}
		r.Kinds = dsar.KindsOfMask(kinds)
		var parts []string
		if roles&dsar.RoleBitController != 0 {
			parts = append(parts, string(dsar.RoleController))
		}
		if roles&dsar.RoleBitProcessor != 0 {
			parts = append(parts, string(dsar.RoleProcessor))
		}
		r.Routing = strings.Join(parts, "+")
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
