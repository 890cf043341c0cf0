package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/register"
	"github.com/vracoop/dsar/internal/sqlite"
)

// seedEmailDomain marks the seeded requests.
const seedEmailDomain = "@seed.loadgen.example"

// seed stores n requests in the database file at path as a busy portal
// would hold them. They go in through sqlite.CreateRequest, as the form
// puts them (routing, event, token and confirmation mail included), from
// 64 writers at once; then SQL spreads them over statuses as issue 5's
// queue benchmark does (40 % open, the rest closed or never confirmed),
// dates the open ones within the last 45 days so that few are overdue,
// and marks their confirmation mails sent: the service must not start
// with 100,000 mails to write, nor 10,000 requests to expire.
func seed(ctx context.Context, path string, n int, progress io.Writer) error {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	composer, err := mail.NewComposer("http://127.0.0.1")
	if err != nil {
		return err
	}
	reg := register.Default()
	now := time.Now()
	var next, stored atomic.Int64
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	for w := range 64 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for i := int(next.Add(1)); i <= n; i = int(next.Add(1)) {
				if err := seedOne(ctx, db, composer, reg, rng, i, now); err != nil {
					select {
					case errc <- err:
					default:
					}
					return
				}
				if s := stored.Add(1); s%10_000 == 0 {
					fmt.Fprintf(progress, "seeded %d requests\n", s)
				}
			}
		})
	}
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	return spreadSeed(ctx, path)
}

func seedOne(ctx context.Context, db *sqlite.DB, composer *mail.Composer, reg *register.Register, rng *rand.Rand, i int, now time.Time) error {
	created := now.Add(-time.Duration(rng.Int64N(int64(730 * 24 * time.Hour))))
	sub := dsar.Submission{Name: fmt.Sprintf("Personne %d", i), Email: fmt.Sprintf("p%d%s", i, seedEmailDomain),
		Relationship: dsar.Relationships[rng.IntN(len(dsar.Relationships))],
		Kinds:        []dsar.Kind{dsar.Kinds[rng.IntN(len(dsar.Kinds))]}, Lang: "fr"}
	if sub.Relationship == dsar.RelLoyalty {
		sub.ShopName, sub.ShopTown = "Vrac & Co", "Bayonne"
	}
	r := dsar.NewRequest(uuid.Must(uuid.NewV7()).String(), sub, dsar.ChannelWeb, created)
	r.Routing = reg.Route(register.RouteInput{Relationship: r.Relationship})
	tok, err := dsar.NewToken(r.ID, dsar.TokenConfirm, created.Add(7*24*time.Hour))
	if err != nil {
		return err
	}
	if err := db.CreateRequest(ctx, &r, tok, composer.Confirmation); err != nil {
		return fmt.Errorf("seed request %d: %w", i, err)
	}
	return nil
}

// spreadSeed gives the seeded requests their statuses and dates. The
// times are written in the layout of internal/sqlite/time.go.
func spreadSeed(ctx context.Context, path string) error {
	sqldb, err := sql.Open("sqlite3", sqlite.DSN(path))
	if err != nil {
		return err
	}
	defer sqldb.Close()
	const open = `('received', 'in_progress', 'awaiting_info', 'forwarded')`
	const seeded = ` email LIKE '%` + seedEmailDomain + `'`
	steps := []string{
		`UPDATE requests SET status = CASE abs(random()) % 10
			WHEN 0 THEN 'completed' WHEN 1 THEN 'completed' WHEN 2 THEN 'completed' WHEN 3 THEN 'denied'
			WHEN 4 THEN 'not_confirmed' WHEN 5 THEN 'not_confirmed'
			WHEN 6 THEN 'received' WHEN 7 THEN 'in_progress' WHEN 8 THEN 'awaiting_info' ELSE 'forwarded' END
		WHERE` + seeded,
		`UPDATE requests SET clock_start = date('now', '-' || (abs(random()) % 45) || ' days')
		WHERE status IN ` + open + ` AND` + seeded,
		`UPDATE requests SET clock_start = substr(created_at, 1, 10)
		WHERE status IN ('completed', 'denied') AND` + seeded,
		`UPDATE requests SET created_at = clock_start || 'T08:00:00.000000000Z',
			received_at = clock_start || 'T08:00:00.000000000Z', confirmed_at = clock_start || 'T08:30:00.000000000Z'
		WHERE status IN ` + open + ` AND` + seeded,
		`UPDATE requests SET confirmed_at = created_at,
			closed_at = strftime('%Y-%m-%dT%H:%M:%S.000000000Z', created_at, '+20 days')
		WHERE status IN ('completed', 'denied') AND` + seeded,
		`UPDATE requests SET due_date = date(clock_start, '+1 month') WHERE clock_start IS NOT NULL AND` + seeded,
		`UPDATE tokens SET used_at = created_at WHERE request_id IN (
			SELECT id FROM requests WHERE status <> 'not_confirmed' AND` + seeded + `)`,
		`UPDATE outbox SET state = 'sent', attempts = 1, sent_at = created_at WHERE state = 'pending'`,
	}
	tx, err := sqldb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("spread the seeded requests: %w", err)
		}
	}
	return tx.Commit()
}

// copyFile copies a closed database file (its WAL was checkpointed on
// close) to a new path.
func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
