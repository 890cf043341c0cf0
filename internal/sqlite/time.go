package sqlite

import (
	"database/sql"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// timeLayout stores instants in UTC with a fixed width, so that text order is
// time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// nullTime formats an optional instant.
func nullTime(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(*t), Valid: true}
}

func scanNullTime(ns sql.NullString) (*time.Time, error) {
	if !ns.Valid {
		return nil, nil
	}
	t, err := parseTime(ns.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// nullDate formats an optional civil date.
func nullDate(d dsar.Date) sql.NullString {
	if d.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: d.String(), Valid: true}
}

func scanNullDate(ns sql.NullString) (dsar.Date, error) {
	if !ns.Valid {
		return dsar.Date{}, nil
	}
	return dsar.ParseDate(ns.String)
}
