package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// TestPurgeClosed: five years after closing, a request is reduced to a
// minimal record without personal data; open and recent ones are kept.
func TestPurgeClosed(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	old, tok := submit(t, db, t0)
	status, _ := dsar.NewToken("", dsar.TokenStatus, t0.Add(time.Hour))
	if _, err := db.ConfirmRequest(ctx, tok.Hash, status, t0, plainMail); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangeRequest(ctx, old.Ref, "staff:a", t0, func(r *dsar.Request) (dsar.Change, error) {
		n, err := r.Note("Jeanne a appelé depuis le 06 12 34 56 78", "staff:a", t0)
		if err != nil {
			return dsar.Change{}, err
		}
		c, err := r.Complete("Copie envoyée à Jeanne Dupont", "staff:a", t0)
		return dsar.Change{Events: []dsar.Event{n, c}}, err
	}); err != nil {
		t.Fatal(err)
	}
	open, _ := submit(t, db, t0)

	fiveYears := 5 * 365 * 24 * time.Hour
	if refs, err := db.PurgeClosed(ctx, t0.Add(-fiveYears), t0); err != nil || len(refs) != 0 {
		t.Fatalf("purged too early: %v %v", refs, err)
	}
	now := t0.Add(fiveYears + 48*time.Hour)
	refs, err := db.PurgeClosed(ctx, now.Add(-fiveYears), now)
	if err != nil || len(refs) != 1 || refs[0] != old.Ref {
		t.Fatalf("purged %v, %v", refs, err)
	}
	got, _ := db.FindRequest(ctx, old.ID)
	if got.Name != "" || got.Email != "" || got.Phone != "" || got.Details != "" || got.Outcome != "" || got.PurgedAt == nil {
		t.Errorf("personal fields kept: %+v", got)
	}
	if got.Ref != old.Ref || got.Status != dsar.StatusCompleted || len(got.Kinds) == 0 || got.ClosedAt == nil {
		t.Errorf("the minimal record lost what accountability needs: %+v", got)
	}
	evs, _ := db.RequestEvents(ctx, old.ID)
	for _, e := range evs {
		if e.Note != "" && (e.Type == dsar.EventNote || e.Type == dsar.EventComplete) {
			t.Errorf("free text kept in the history: %+v", e)
		}
	}
	if _, err := db.RequestByToken(ctx, status.Hash, dsar.TokenStatus, t0); err == nil {
		t.Errorf("the status token still opens the purged request")
	}
	if r, _ := db.FindRequest(ctx, open.ID); r.Email == "" {
		t.Errorf("an open request was purged")
	}
	if refs, _ := db.PurgeClosed(ctx, now.Add(-fiveYears), now); len(refs) != 0 {
		t.Errorf("purged twice: %v", refs)
	}
}
