package lookups_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/lookups"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/odoo/odootest"
	"github.com/vracoop/dsar/internal/register"
	"github.com/vracoop/dsar/internal/sqlite"
)

// TestOdooOutageLeavesTheRequestWaiting: the lookup of a confirmed request
// meets Odoo down; the request waits, the job says why and since when, and
// once Odoo is back the next run completes it by itself and routes the
// request from what it found.
func TestOdooOutageLeavesTheRequestWaiting(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dsar.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	client, err := odoo.New(odoo.Config{Name: "VRACOOP", URL: srv.URL(), DB: srv.DB(), Login: odootest.DefaultLogin,
		Password: odootest.DefaultAPIKey, Retries: 1, RetryWait: time.Millisecond, Timeout: time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := register.Default()
	runner := &lookups.Runner{Store: db, Now: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Search: func(ctx context.Context, _ dsar.Request, emails, phones []string, name string) dsar.Lookup {
			return odoo.Lookup(ctx, []*odoo.Client{client}, odoo.Identifiers{Emails: emails, Phones: phones, Name: name}, clock, 4)
		},
		Route: func(rel dsar.Relationship, found []string) dsar.Routing {
			return reg.Route(register.RouteInput{Relationship: rel, Found: found})
		},
	}

	// Camille says she is a prospect; Odoo shows she is also a customer's
	// contact and a supplier's contact.
	sub := dsar.Submission{Name: "Camille Durand", Email: "camille.durand@exemple.fr", Relationship: dsar.RelProspect, Kinds: []dsar.Kind{dsar.KindAccess}}
	r := dsar.NewRequest(uuid.NewString(), sub, dsar.ChannelWeb, now)
	r.Routing = reg.Route(register.RouteInput{Relationship: r.Relationship})
	confirm, _ := dsar.NewToken("", dsar.TokenConfirm, now.Add(time.Hour))
	render := func(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
		return dsar.Mail{RequestID: r.ID, To: r.Email, Subject: r.Ref, Text: tok.Plain, HTML: tok.Plain}, nil
	}
	if err := db.CreateRequest(ctx, &r, confirm, render); err != nil {
		t.Fatal(err)
	}
	status, _ := dsar.NewToken("", dsar.TokenStatus, now.Add(time.Hour))
	if _, err := db.ConfirmRequest(ctx, confirm.Hash, status, now, render); err != nil {
		t.Fatal(err)
	}

	srv.SetDown(true)
	if n, err := runner.Flush(ctx); err != nil || n != 1 {
		t.Fatalf("first run: %d, %v", n, err)
	}
	job, waiting, err := db.PendingLookup(ctx, r.ID)
	if err != nil || !waiting || job.Attempts != 1 || job.LastError == "" || !job.RequestedAt.Equal(now) {
		t.Fatalf("the request does not wait with the reason: %+v %v %v", job, waiting, err)
	}
	got, _ := db.FindRequest(ctx, r.ID)
	if got.Status != dsar.StatusReceived {
		t.Errorf("an Odoo outage changed the request: %s", got.Status)
	}
	if n, _ := runner.Flush(ctx); n != 0 {
		t.Errorf("the job ran again before its backoff")
	}

	srv.SetDown(false)
	now = now.Add(lookups.DefaultBackoff(1) + time.Second)
	if n, err := runner.Flush(ctx); err != nil || n != 1 {
		t.Fatalf("run after the outage: %d, %v", n, err)
	}
	if _, waiting, _ := db.PendingLookup(ctx, r.ID); waiting {
		t.Errorf("the job still waits after a complete lookup")
	}
	l, err := db.LatestLookup(ctx, r.ID)
	if err != nil || !l.Complete() || len(l.Findings) < 10 {
		t.Fatalf("latest lookup: %d findings, %v", len(l.Findings), err)
	}
	got, _ = db.FindRequest(ctx, r.ID)
	var acts []string
	for _, route := range got.Routing {
		acts = append(acts, route.Activity)
	}
	if len(acts) != 3 || acts[0] != "customers" || acts[1] != "prospects" || acts[2] != "suppliers" {
		t.Fatalf("routing after the lookup: %v", acts)
	}
	if got.Routing[0].Reason.EN == got.Routing[1].Reason.EN {
		t.Errorf("the activity found in Odoo has the person's own reason: %+v", got.Routing)
	}
}
