package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// References are numbered per year without gaps (DSAR-2026-000042): the
// counter is a row of ref_counters, changed only under the write lock.

// nextRef allocates the next public reference of the year of now.
func nextRef(ctx context.Context, tx execer, now time.Time) (string, error) {
	year := now.In(time.UTC).Year()
	var n int
	err := tx.QueryRowContext(ctx, `
		INSERT INTO ref_counters (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = last + 1
		RETURNING last`, year).Scan(&n)
	if err != nil {
		return "", mapError(fmt.Errorf("allocate reference: %w", err))
	}
	return dsar.FormatRef(year, n), nil
}

// batchRefs numbers the requests of one intake batch. The writer holds the
// write lock for the whole transaction, so that nobody else numbers a
// request meanwhile: it reads a year's counter once, numbers in memory,
// and writes the counters back once, before COMMIT. A request rolled back
// gives its number back to the next one, so that numbering stays gapless.
type batchRefs struct {
	stored map[int]int // year → the counter as read
	last   map[int]int // year → the last number given
}

func newBatchRefs() *batchRefs {
	return &batchRefs{stored: map[int]int{}, last: map[int]int{}}
}

// next gives the next reference of the year of now.
func (b *batchRefs) next(ctx context.Context, tx execer, now time.Time) (string, error) {
	year := now.In(time.UTC).Year()
	if _, ok := b.stored[year]; !ok {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT last FROM ref_counters WHERE year = ?`, year).Scan(&n)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", mapError(fmt.Errorf("read reference counter: %w", err))
		}
		b.stored[year], b.last[year] = n, n
	}
	b.last[year]++
	return dsar.FormatRef(year, b.last[year]), nil
}

// giveBack returns the reference last given for the year of now, whose
// request was rolled back.
func (b *batchRefs) giveBack(now time.Time) { b.last[now.In(time.UTC).Year()]-- }

// save writes the counters that moved.
func (b *batchRefs) save(ctx context.Context, tx execer) error {
	for year, n := range b.last {
		if n == b.stored[year] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO ref_counters (year, last) VALUES (?, ?)
			ON CONFLICT (year) DO UPDATE SET last = excluded.last`, year, n); err != nil {
			return mapError(fmt.Errorf("save reference counter: %w", err))
		}
	}
	return nil
}
