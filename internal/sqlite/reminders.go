package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// ReminderMail renders the reminder of one request to its recipients.
type ReminderMail func(q dsar.QueueItem, kind string, to []dsar.Staff) ([]dsar.Mail, error)

// SendReminders puts in the outbox, for every open request due within a
// week or overdue as of today, a reminder to its assignee, or to every
// active staff member when nobody is assigned. Each reminder is sent once
// per request, kind and due date. It returns how many requests were
// reminded.
func (db *DB) SendReminders(ctx context.Context, today dsar.Date, now time.Time, render ReminderMail) (int, error) {
	staff, err := db.ListStaff(ctx)
	if err != nil {
		return 0, err
	}
	var active []dsar.Staff
	byID := map[int64]dsar.Staff{}
	for _, s := range staff {
		if s.Active {
			active = append(active, s)
			byID[s.ID] = s
		}
	}
	if len(active) == 0 {
		return 0, nil
	}
	sent := 0
	for _, kind := range []string{dsar.ReminderOverdue, dsar.ReminderWeek} {
		cond, args := "r.due_date < ?", []any{today.String()}
		if kind == dsar.ReminderWeek {
			// Not yet overdue: an overdue request gets the overdue reminder only.
			cond, args = "r.due_date >= ? AND r.due_date <= ?", []any{today.String(), today.AddDays(dsar.ReminderDays).String()}
		}
		rows, err := db.db.QueryContext(ctx, `SELECT r.id FROM requests r INDEXED BY requests_open_due
			WHERE r.status IN `+openStatusList+` AND `+cond+` AND NOT EXISTS (
				SELECT 1 FROM reminders m WHERE m.request_id = r.id AND m.kind = ? AND m.due_date = r.due_date)
			ORDER BY r.due_date LIMIT 500`, append(args, kind)...)
		if err != nil {
			return sent, fmt.Errorf("due reminders: %w", err)
		}
		ids, err := scanStrings(rows)
		if err != nil {
			return sent, err
		}
		items, err := db.queueItems(ctx, ids)
		if err != nil {
			return sent, err
		}
		for _, q := range items {
			to := active
			if s, ok := byID[q.AssigneeID]; ok {
				to = []dsar.Staff{s}
			}
			mails, err := render(q, kind, to)
			if err != nil {
				return sent, err
			}
			err = db.inTx(ctx, func(tx *sql.Tx) error {
				res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO reminders (request_id, kind, due_date, sent_at) VALUES (?, ?, ?, ?)`,
					q.ID, kind, q.Due.String(), formatTime(now))
				if err != nil {
					return mapError(fmt.Errorf("record reminder: %w", err))
				}
				if n, _ := res.RowsAffected(); n == 0 {
					return nil // another run got there first
				}
				for _, m := range mails {
					if err := insertMail(ctx, tx, m, now); err != nil {
						return err
					}
				}
				return insertEvent(ctx, tx, dsar.Event{RequestID: q.ID, At: now, Actor: dsar.ActorSystem, Type: dsar.EventMail,
					Note: fmt.Sprintf("%s reminder to %d staff", kind, len(mails))})
			})
			if err != nil {
				return sent, err
			}
			sent++
		}
	}
	return sent, nil
}
