package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/migrations"
)

// migrationProvider opens an empty database and the provider of dsar's
// migrations on it, none applied.
func migrationProvider(t *testing.T) (*sql.DB, *goose.Provider) {
	t.Helper()
	sqldb, err := sql.Open("sqlite3", DSN(filepath.Join(t.TempDir(), "dsar.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqldb.Close() })
	p, err := goose.NewProvider(goose.DialectSQLite3, sqldb, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	return sqldb, p
}

// TestMigrationKindsMaskOnly: a database written before migration 12, its
// rights in request_kinds and in kinds_mask, keeps every request's rights
// once request_kinds is dropped, and gets the table back, filled, when the
// migration is undone.
func TestMigrationKindsMaskOnly(t *testing.T) {
	ctx := context.Background()
	sqldb, p := migrationProvider(t)
	if _, err := p.UpTo(ctx, 11); err != nil {
		t.Fatal(err)
	}
	// As the code before migration 12 stored a request: its rights twice.
	want := []dsar.Kind{dsar.KindAccess, dsar.KindRectification, dsar.KindPortability}
	if _, err := sqldb.ExecContext(ctx, `INSERT INTO requests (id, ref, status, relationship, channel, lang, created_at, received_at, kinds_mask)
		VALUES ('r1', 'DSAR-2026-000001', 'received', 'customer', 'web', 'fr', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z', ?)`,
		dsar.KindMask(want)); err != nil {
		t.Fatal(err)
	}
	for _, k := range want {
		if _, err := sqldb.ExecContext(ctx, `INSERT INTO request_kinds (request_id, kind) VALUES ('r1', ?)`, k); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := findRequest(ctx, sqldb, "r1")
	if err != nil || !slices.Equal(r.Kinds, want) {
		t.Fatalf("after migration: kinds %v (%v), want %v", r.Kinds, err, want)
	}
	if _, err := p.DownTo(ctx, 11); err != nil {
		t.Fatal(err)
	}
	rows, err := sqldb.QueryContext(ctx, `SELECT kind FROM request_kinds WHERE request_id = 'r1' ORDER BY kind`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := scanStrings(rows)
	if err != nil || !slices.Equal(got, []string{"access", "portability", "rectification"}) {
		t.Errorf("after undoing: request_kinds %v (%v)", got, err)
	}
}

// TestMigrationsRoundTrip: every migration can be undone down to an empty
// database and applied again; undoing 0011 drops the queued webhooks rather
// than leaving them as mails addressed to URLs.
func TestMigrationsRoundTrip(t *testing.T) {
	ctx := context.Background()
	sqldb, p := migrationProvider(t)
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := sqldb.ExecContext(ctx, `INSERT INTO outbox (kind, to_addr, subject, text_body, html_body, created_at, next_attempt_at)
		VALUES ('webhook', 'https://shop.example/cb', 'sha256=00', '{}', '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := sqldb.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE to_addr LIKE 'https://%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after undoing 0011: %d webhooks left as mails (%v)", n, err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
}
