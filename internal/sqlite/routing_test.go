package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/dsar"
)

func TestRoutingAndLookups(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	r, _ := submit(t, db, t0)
	routing := dsar.Routing{
		{Activity: "shop_pos", Role: dsar.RoleProcessor, Reason: dsar.Text{FR: "fidélité", EN: "loyalty"}},
		{Activity: "customers", Role: dsar.RoleController, Reason: dsar.Text{FR: "client", EN: "customer"}},
	}
	if err := db.SetRouting(ctx, r.ID, routing, dsar.ActorSystem, t0); err != nil {
		t.Fatal(err)
	}
	got, err := db.Routing(ctx, r.ID)
	if err != nil || len(got) != 2 || got[0] != routing[0] || got[1] != routing[1] {
		t.Errorf("routing = %+v, %v", got, err)
	}
	if !got.Processor() || !got.Controller() {
		t.Errorf("routing roles")
	}

	if _, err := db.LatestLookup(ctx, r.ID); dsar.ErrorCode(err) != dsar.ENOTFOUND {
		t.Errorf("no lookup yet: %v", err)
	}
	l := dsar.Lookup{StartedAt: t0, FinishedAt: t0.Add(time.Second), Emails: []string{"jeanne@example.fr"},
		Findings: []dsar.Finding{{Instance: "VRACOOP", Model: "res.partner", RecordID: 7, DisplayName: "Jeanne",
			Match: dsar.MatchEmail, Fields: map[string]string{"email": "jeanne@example.fr"}, ReadAt: t0}},
		Problems: []dsar.LookupProblem{{Instance: "Vrac & Co", Message: "unavailable", Retry: true}}}
	if err := db.RequestLookup(ctx, r.ID, "staff:a", t0); err != nil {
		t.Fatal(err)
	}
	retry := t0.Add(time.Minute)
	if err := db.FinishLookup(ctx, r.ID, l, nil, retry); err != nil {
		t.Fatal(err)
	}
	// Incomplete: the job waits for its retry, with the reason.
	job, ok, err := db.PendingLookup(ctx, r.ID)
	if err != nil || !ok || job.Attempts != 1 || !job.NextAttempt.Equal(retry) || job.LastError == "" {
		t.Errorf("pending job: %+v %v %v", job, ok, err)
	}
	if due, _ := db.DueLookups(ctx, t0, 10); len(due) != 0 {
		t.Errorf("a job is due before its retry")
	}
	if due, _ := db.DueLookups(ctx, retry, 10); len(due) != 1 {
		t.Errorf("the job is not due at its retry")
	}
	back, err := db.LatestLookup(ctx, r.ID)
	if err != nil || len(back.Findings) != 1 || back.Findings[0].Fields["email"] != "jeanne@example.fr" || back.Complete() {
		t.Errorf("lookup round trip: %+v, %v", back, err)
	}
	evs, _ := db.RequestEvents(ctx, r.ID)
	if n := len(evs); n != 4 || evs[1].Type != dsar.EventRouting || evs[3].Type != dsar.EventLookup {
		t.Errorf("events: %+v", evs)
	}
	l.Problems = nil
	if err := db.FinishLookup(ctx, r.ID, l, nil, retry); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.PendingLookup(ctx, r.ID); ok {
		t.Errorf("a complete lookup left its job")
	}
}

// TestRoutingStoredAtCreation: the routing a request is created with is
// stored with it, and the queue's role filters (which read the roles copy on
// the request row) find it.
func TestRoutingStoredAtCreation(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	sub := dsar.Submission{Name: "Jeanne Dupont", Email: "jeanne@example.fr", Relationship: dsar.RelLoyalty,
		Kinds: []dsar.Kind{dsar.KindErasure}, Lang: "fr"}
	r := dsar.NewRequest(uuid.NewString(), sub, dsar.ChannelWeb, t0)
	r.Routing = dsar.Routing{{Activity: "shop_pos", Role: dsar.RoleProcessor, Reason: dsar.Text{FR: "fidélité", EN: "loyalty"}}}
	tok, err := dsar.NewToken("", dsar.TokenConfirm, t0.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRequest(ctx, &r, tok, plainMail); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Routing(ctx, r.ID); err != nil || len(got) != 1 || got[0] != r.Routing[0] {
		t.Errorf("routing = %+v, %v", got, err)
	}
	for role, want := range map[dsar.Role]int{dsar.RoleProcessor: 1, dsar.RoleController: 0} {
		_, total, err := db.FindQueue(ctx, dsar.QueueFilter{Role: role, Today: dsar.DateOf(t0), Limit: 10})
		if err != nil || total != want {
			t.Errorf("role %s: %d requests, want %d (%v)", role, total, want, err)
		}
	}
}
