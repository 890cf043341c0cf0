package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// QueueCountCap bounds the count of a queue view: past it the page says
// "more than", and the count stays cheap however many requests are stored.
const QueueCountCap = 10_000

// FindQueue returns one page of the staff queue and the number of requests
// the filter selects (QueueCountCap+1 meaning more than QueueCountCap). Open requests come most urgent first; a view that
// includes requests without a clock lists those last.
//
// The page's IDs are chosen first, on the indexes alone; the columns shown
// are then read for those IDs only.
func (db *DB) FindQueue(ctx context.Context, f dsar.QueueFilter) ([]dsar.QueueItem, int, error) {
	where, args := queueWhere(f)
	from := " FROM requests r"
	order := " ORDER BY r.due_date NULLS LAST, r.ref"
	if onlyOpen(f) && f.Search == "" {
		// SQLite's planner, guided by ANALYZE, prefers the status index and
		// a sort of every open request; walking the covering partial index
		// in due order and stopping at the page is far cheaper.
		from = " FROM requests r INDEXED BY requests_open_due"
		order = " ORDER BY r.due_date, r.ref"
	}
	var total int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1`+from+where+` LIMIT ?)`,
		append(args, QueueCountCap+1)...).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("count queue: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	rows, err := db.db.QueryContext(ctx, `SELECT r.id`+from+where+order+` LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("queue: %w", err)
	}
	ids, err := scanStrings(rows)
	if err != nil || len(ids) == 0 {
		return nil, total, err
	}
	items, err := db.queueItems(ctx, ids)
	return items, total, err
}

// onlyOpen reports whether the filter keeps only open requests, whose
// clock runs.
func onlyOpen(f dsar.QueueFilter) bool {
	if f.Overdue || f.DueWithin > 0 {
		return true
	}
	return slices.Equal(f.Statuses, dsar.OpenStatuses)
}

// queueItems reads the queue's columns for ids, in the order of ids.
func (db *DB) queueItems(ctx context.Context, ids []string) ([]dsar.QueueItem, error) {
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.db.QueryContext(ctx, `
		SELECT r.id, r.ref, r.status, r.relationship, r.channel, r.name, r.email, r.received_at,
			r.due_date, COALESCE(r.assignee_id, 0), COALESCE(s.name, ''),
			r.roles, r.kinds_mask
		FROM requests r LEFT JOIN staff s ON s.id = r.assignee_id
		WHERE r.id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("queue items: %w", err)
	}
	defer rows.Close()
	byID := make(map[string]dsar.QueueItem, len(ids))
	for rows.Next() {
		var q dsar.QueueItem
		var received string
		var due sql.NullString
		var roles, kinds int
		if err := rows.Scan(&q.ID, &q.Ref, &q.Status, &q.Relationship, &q.Channel, &q.Name, &q.Email, &received,
			&due, &q.AssigneeID, &q.AssigneeName, &roles, &kinds); err != nil {
			return nil, err
		}
		if q.ReceivedAt, err = parseTime(received); err != nil {
			return nil, err
		}
		if q.Due, err = scanNullDate(due); err != nil {
			return nil, err
		}
		q.Kinds = dsar.KindsOfMask(kinds)
		q.Processor, q.Controller = roles&dsar.RoleBitProcessor != 0, roles&dsar.RoleBitController != 0
		byID[q.ID] = q
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]dsar.QueueItem, 0, len(ids))
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out, nil
}

// queueWhere builds the WHERE clause of a queue filter.
func queueWhere(f dsar.QueueFilter) (string, []any) {
	var conds []string
	var args []any
	// Statuses are written as literals, not bound: SQLite uses a partial
	// index only when it can see that the query implies the index's WHERE.
	// They come from the domain's constants, never from the client.
	in := func(statuses []dsar.Status) {
		quoted := make([]string, 0, len(statuses))
		for _, s := range statuses {
			if validStatus(s) {
				quoted = append(quoted, "'"+string(s)+"'")
			}
		}
		conds = append(conds, "r.status IN ("+strings.Join(quoted, ", ")+")")
	}
	if len(f.Statuses) > 0 {
		in(f.Statuses)
	}
	if f.Kind != "" {
		conds = append(conds, "(r.kinds_mask & ?) != 0")
		args = append(args, dsar.KindMask([]dsar.Kind{f.Kind}))
	}
	if f.Role != "" {
		conds = append(conds, "(r.roles & ?) != 0")
		args = append(args, f.Role.Bit())
	}
	if f.AssigneeID != 0 {
		conds = append(conds, "r.assignee_id = ?")
		args = append(args, f.AssigneeID)
	}
	if (f.Overdue || f.DueWithin > 0) && len(f.Statuses) == 0 {
		in(dsar.OpenStatuses)
	}
	if f.Overdue {
		conds = append(conds, "r.due_date < ?")
		args = append(args, f.Today.String())
	}
	if f.DueWithin > 0 {
		conds = append(conds, "r.due_date >= ? AND r.due_date <= ?")
		args = append(args, f.Today.String(), f.Today.AddDays(f.DueWithin).String())
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		if strings.Contains(s, "@") {
			conds = append(conds, "r.email_lc = ?")
			args = append(args, dsar.NormalizeEmail(s))
		} else {
			// A reference or its start: a range, so that the index serves.
			p := strings.ToUpper(s)
			conds = append(conds, "r.ref >= ? AND r.ref < ?")
			args = append(args, p, p+"\uffff")
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// validStatus reports whether s is one of the domain's statuses.
func validStatus(s dsar.Status) bool {
	switch s {
	case dsar.StatusAwaitingConfirmation, dsar.StatusNotConfirmed, dsar.StatusReceived, dsar.StatusInProgress,
		dsar.StatusAwaitingInfo, dsar.StatusForwarded, dsar.StatusCompleted, dsar.StatusDenied:
		return true
	}
	return false
}
