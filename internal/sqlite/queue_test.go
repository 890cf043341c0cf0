package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// seedQueue stores n requests spread over two years, most of them closed,
// as a busy portal would hold, in one transaction. It returns the ID of the
// staff member it assigns some of them to.
func seedQueue(tb testing.TB, db *DB, n int, today dsar.Date) int64 {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	agent := dsar.Staff{Email: "agent@vracoop.fr", Name: "Agent", Role: dsar.StaffAgent, Active: true, CreatedAt: time.Now()}
	if err := db.CreateStaff(ctx, &agent, "h", "seed"); err != nil {
		tb.Fatal(err)
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	statuses := []dsar.Status{dsar.StatusCompleted, dsar.StatusCompleted, dsar.StatusCompleted, dsar.StatusDenied,
		dsar.StatusNotConfirmed, dsar.StatusReceived, dsar.StatusInProgress, dsar.StatusAwaitingInfo, dsar.StatusForwarded,
		dsar.StatusAwaitingConfirmation}
	for i := range n {
		start := today.AddDays(-rng.IntN(730))
		r := dsar.Request{ID: fmt.Sprintf("seed-%07d", i), Ref: dsar.FormatRef(start.Year, i+1),
			Status: statuses[rng.IntN(len(statuses))], Relationship: dsar.Relationships[rng.IntN(len(dsar.Relationships))],
			Channel: dsar.ChannelWeb, Lang: "fr", Name: fmt.Sprintf("Personne %d", i), Email: fmt.Sprintf("p%d@example.fr", i),
			Kinds: []dsar.Kind{dsar.Kinds[rng.IntN(len(dsar.Kinds))]}, CreatedAt: start.Time(), ReceivedAt: start.Time()}
		if r.Status != dsar.StatusAwaitingConfirmation && r.Status != dsar.StatusNotConfirmed {
			r.Clock = dsar.Deadline{Start: start}
		}
		if err := insertRequest(ctx, tx, &r); err != nil {
			tb.Fatal(err)
		}
		role := dsar.RoleController
		if r.Relationship.ConcernsShop() {
			role = dsar.RoleProcessor
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO request_routes (request_id, position, activity, role, reason_fr, reason_en) VALUES (?, 0, 'a', ?, '', '')`, r.ID, role); err != nil {
			tb.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE requests SET roles = ? WHERE id = ?`, role.Bit(), r.ID); err != nil {
			tb.Fatal(err)
		}
		if i%7 == 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE requests SET assignee_id = ? WHERE id = ?`, agent.ID, r.ID); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	return agent.ID
}

func openSeeded(tb testing.TB, n int, today dsar.Date) (*DB, int64) {
	tb.Helper()
	db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "dsar.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, seedQueue(tb, db, n, today)
}

func TestFindQueue(t *testing.T) {
	ctx := context.Background()
	today := dsar.NewDate(2026, 11, 26)
	db, agent := openSeeded(t, 2000, today)

	all, total, err := db.FindQueue(ctx, dsar.QueueFilter{Today: today, Limit: 200})
	if err != nil || total != 2000 || len(all) != 200 {
		t.Fatalf("all: %d of %d, %v", len(all), total, err)
	}
	kinds := map[string]dsar.Kind{}
	for _, q := range all {
		if len(q.Kinds) != 1 {
			t.Fatalf("%s has kinds %v", q.Ref, q.Kinds)
		}
		kinds[q.ID] = q.Kinds[0]
	}
	if err != nil {
		t.Fatalf("all: %d of %d, %v", len(all), total, err)
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1].Due, all[i].Due
		if !a.IsZero() && !b.IsZero() && b.Before(a) || a.IsZero() && !b.IsZero() {
			t.Fatalf("not sorted by due date at %d: %s then %s", i, a, b)
		}
	}

	tests := []struct {
		name  string
		f     dsar.QueueFilter
		check func(dsar.QueueItem) bool
	}{
		{"open", dsar.QueueFilter{Statuses: dsar.OpenStatuses}, func(q dsar.QueueItem) bool { return !q.Status.Closed() && q.Status != dsar.StatusAwaitingConfirmation }},
		{"kind", dsar.QueueFilter{Kind: dsar.KindErasure}, func(q dsar.QueueItem) bool { return dsar.HasKind(q.Kinds, dsar.KindErasure) }},
		{"processor", dsar.QueueFilter{Role: dsar.RoleProcessor}, func(q dsar.QueueItem) bool { return q.Processor }},
		{"controller", dsar.QueueFilter{Role: dsar.RoleController}, func(q dsar.QueueItem) bool { return q.Controller && !q.Processor }},
		{"assigned to me", dsar.QueueFilter{AssigneeID: agent}, func(q dsar.QueueItem) bool { return q.AssigneeID == agent && q.AssigneeName == "Agent" }},
		{"overdue", dsar.QueueFilter{Overdue: true}, func(q dsar.QueueItem) bool { d, _ := q.DaysLeft(today); return d < 0 && !q.Status.Closed() }},
		{"due within 7 days", dsar.QueueFilter{DueWithin: 7}, func(q dsar.QueueItem) bool { d, _ := q.DaysLeft(today); return d >= 0 && d <= 7 }},
		{"email", dsar.QueueFilter{Search: " P42@Example.fr "}, func(q dsar.QueueItem) bool { return q.Email == "p42@example.fr" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.Today, tt.f.Limit = today, 200
			items, total, err := db.FindQueue(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if total == 0 || len(items) == 0 {
				t.Fatalf("the filter selects nothing in the seed")
			}
			for _, q := range items {
				if !tt.check(q) {
					t.Errorf("%s does not belong: %+v", q.Ref, q)
				}
			}
		})
	}
	t.Run("reference prefix", func(t *testing.T) {
		items, _, err := db.FindQueue(ctx, dsar.QueueFilter{Search: all[0].Ref[:len(all[0].Ref)-1], Today: today})
		if err != nil || len(items) == 0 {
			t.Fatalf("%v", err)
		}
		found := false
		for _, q := range items {
			found = found || q.Ref == all[0].Ref
		}
		if !found {
			t.Errorf("%s not found by its prefix", all[0].Ref)
		}
	})
	t.Run("pages do not overlap", func(t *testing.T) {
		p1, _, _ := db.FindQueue(ctx, dsar.QueueFilter{Today: today, Limit: 50})
		p2, _, _ := db.FindQueue(ctx, dsar.QueueFilter{Today: today, Limit: 50, Offset: 50})
		seen := map[string]bool{}
		for _, q := range append(p1, p2...) {
			if seen[q.ID] {
				t.Errorf("%s on two pages", q.Ref)
			}
			seen[q.ID] = true
		}
	})
}

// BenchmarkQueue measures the staff queue's queries on 100,000 stored
// requests. Run: go test -run='^$' -bench=Queue -benchtime=200x ./internal/sqlite/
func BenchmarkQueue(b *testing.B) {
	today := dsar.NewDate(2026, 11, 26)
	db, agent := openSeeded(b, 100_000, today)
	ctx := context.Background()
	cases := []struct {
		name string
		f    dsar.QueueFilter
	}{
		{"open_by_due", dsar.QueueFilter{Statuses: dsar.OpenStatuses}},
		{"all_by_due", dsar.QueueFilter{}},
		{"open_page_100", dsar.QueueFilter{Statuses: dsar.OpenStatuses, Offset: 5000}},
		{"overdue", dsar.QueueFilter{Overdue: true}},
		{"due_within_7", dsar.QueueFilter{DueWithin: 7}},
		{"mine", dsar.QueueFilter{AssigneeID: agent, Statuses: dsar.OpenStatuses}},
		{"processor_open", dsar.QueueFilter{Role: dsar.RoleProcessor, Statuses: dsar.OpenStatuses}},
		{"kind_erasure_open", dsar.QueueFilter{Kind: dsar.KindErasure, Statuses: dsar.OpenStatuses}},
		{"search_email", dsar.QueueFilter{Search: "p99999@example.fr"}},
		{"search_ref", dsar.QueueFilter{Search: "DSAR-2026-0999"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			c.f.Today = today
			for b.Loop() {
				if _, _, err := db.FindQueue(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
