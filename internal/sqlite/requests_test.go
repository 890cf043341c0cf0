package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/sqlite"
)

func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dsar.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// plainMail renders a mail that carries the token, as the real composer does.
func plainMail(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
	return dsar.Mail{RequestID: r.ID, To: r.Email, Subject: "[" + r.Ref + "] test", Text: "link " + tok.Plain, HTML: "<p>" + tok.Plain + "</p>"}, nil
}

var t0 = time.Date(2026, 3, 31, 21, 30, 0, 0, time.UTC) // 23:30 in Paris

func submit(t *testing.T, db *sqlite.DB, now time.Time) (dsar.Request, dsar.Token) {
	t.Helper()
	sub := dsar.Submission{Name: "Jeanne Dupont", Email: "jeanne@example.fr", Phone: "06 12 34 56 78",
		Relationship: dsar.RelLoyalty, ShopName: "Vrac & Co", ShopTown: "Bayonne",
		Kinds: []dsar.Kind{dsar.KindErasure, dsar.KindAccess}, Details: "Merci", Lang: "fr"}
	r := dsar.NewRequest(uuid.NewString(), sub, dsar.ChannelWeb, now)
	tok, err := dsar.NewToken("", dsar.TokenConfirm, now.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRequest(context.Background(), &r, tok, plainMail); err != nil {
		t.Fatal(err)
	}
	return r, tok
}

func TestCreateRequest(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	r, tok := submit(t, db, t0)
	if got, want := r.Ref, "DSAR-2026-000001"; got != want {
		t.Errorf("ref = %q, want %q", got, want)
	}
	got, err := db.FindRequest(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != dsar.StatusAwaitingConfirmation || got.Email != "jeanne@example.fr" || got.ShopTown != "Bayonne" {
		t.Errorf("stored request = %+v", got)
	}
	// Kinds come back in the form's order, whatever the order given.
	if len(got.Kinds) != 2 || got.Kinds[0] != dsar.KindAccess || got.Kinds[1] != dsar.KindErasure {
		t.Errorf("kinds = %v", got.Kinds)
	}
	if !got.CreatedAt.Equal(t0) || got.ClockStarted() {
		t.Errorf("created %v, clock %+v", got.CreatedAt, got.Clock)
	}
	mails, err := db.DueMail(ctx, t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 1 || mails[0].To != "jeanne@example.fr" || mails[0].RequestID != r.ID {
		t.Fatalf("outbox = %+v", mails)
	}
	evs, err := db.RequestEvents(ctx, r.ID)
	if err != nil || len(evs) != 1 || evs[0].To != dsar.StatusAwaitingConfirmation {
		t.Errorf("events = %+v, %v", evs, err)
	}
	// Only the hash of the token is stored: the plain token opens nothing
	// when used as a hash.
	if _, err := db.RequestByToken(ctx, tok.Plain, dsar.TokenConfirm, t0); !errors.Is(err, dsar.ErrTokenUnknown) {
		t.Errorf("plain token as hash: err = %v, want unknown", err)
	}
}

func TestReferencesAreSequentialUnderConcurrency(t *testing.T) {
	db := openDB(t)
	const n = 20
	refs := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			r, _ := submit(t, db, t0)
			refs <- r.Ref
		})
	}
	wg.Wait()
	close(refs)
	seen := map[string]bool{}
	for ref := range refs {
		if seen[ref] {
			t.Errorf("duplicate reference %s", ref)
		}
		seen[ref] = true
	}
	for i := 1; i <= n; i++ {
		if ref := dsar.FormatRef(2026, i); !seen[ref] {
			t.Errorf("missing reference %s", ref)
		}
	}
}

func TestConfirmRequest(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	r, confirm := submit(t, db, t0)
	now := t0.Add(time.Hour) // 00:30 on 1 April in Paris
	status, _ := dsar.NewToken("", dsar.TokenStatus, now.Add(180*24*time.Hour))
	got, err := db.ConfirmRequest(ctx, confirm.Hash, status, now, plainMail)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != dsar.StatusReceived || got.Clock.Start != dsar.NewDate(2026, 4, 1) {
		t.Errorf("confirmed = %s, clock %s", got.Status, got.Clock.Start)
	}
	// 1 May 2026 is a public holiday (a Friday): due Monday 4 May.
	stored, _ := db.FindRequest(ctx, r.ID)
	if got, want := stored.Clock.Due(), dsar.NewDate(2026, 5, 4); got != want {
		t.Errorf("due = %s, want %s", got, want)
	}
	t.Run("the link is single use", func(t *testing.T) {
		_, err := db.ConfirmRequest(ctx, confirm.Hash, status, now, plainMail)
		if !errors.Is(err, dsar.ErrTokenUsed) {
			t.Errorf("second confirmation: err = %v, want used", err)
		}
	})
	t.Run("the status token opens the request", func(t *testing.T) {
		got, err := db.RequestByToken(ctx, status.Hash, dsar.TokenStatus, now)
		if err != nil || got.ID != r.ID {
			t.Errorf("status token: %v, %v", got.ID, err)
		}
		if _, err := db.RequestByToken(ctx, status.Hash, dsar.TokenConfirm, now); !errors.Is(err, dsar.ErrTokenUnknown) {
			t.Errorf("status token used to confirm: err = %v", err)
		}
		if _, err := db.RequestByToken(ctx, status.Hash, dsar.TokenStatus, status.ExpiresAt); !errors.Is(err, dsar.ErrTokenExpired) {
			t.Errorf("expired status token: err = %v", err)
		}
	})
	mails, _ := db.DueMail(ctx, now, 10)
	if len(mails) != 2 {
		t.Errorf("outbox has %d mails, want confirmation and acknowledgment", len(mails))
	}
}

func TestExpireUnconfirmed(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	stale, staleTok := submit(t, db, t0)
	fresh, _ := submit(t, db, t0.Add(6*24*time.Hour))
	confirmed, confirmTok := submit(t, db, t0)
	status, _ := dsar.NewToken("", dsar.TokenStatus, t0.Add(365*24*time.Hour))
	if _, err := db.ConfirmRequest(ctx, confirmTok.Hash, status, t0.Add(time.Hour), plainMail); err != nil {
		t.Fatal(err)
	}

	now := t0.Add(7*24*time.Hour + time.Second)
	refs, err := db.ExpireUnconfirmed(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 1 || refs[0] != stale.Ref {
		t.Fatalf("expired %v, want only %s", refs, stale.Ref)
	}
	got, _ := db.FindRequest(ctx, stale.ID)
	if got.Status != dsar.StatusNotConfirmed || got.ClosedAt == nil || got.PurgedAt == nil {
		t.Errorf("expired request: status %s closed %v purged %v", got.Status, got.ClosedAt, got.PurgedAt)
	}
	for field, v := range map[string]string{"name": got.Name, "email": got.Email, "phone": got.Phone,
		"shop_name": got.ShopName, "shop_town": got.ShopTown, "details": got.Details} {
		if v != "" {
			t.Errorf("%s not purged: %q", field, v)
		}
	}
	if got.Ref != stale.Ref || len(got.Kinds) != 2 {
		t.Errorf("the minimal record is gone: %+v", got)
	}
	// The confirmation mail, which held the name and address, is emptied
	// and will not be sent.
	due, _ := db.DueMail(ctx, now, 10)
	for _, m := range due {
		if m.RequestID == stale.ID {
			t.Errorf("purged request still has mail in the outbox: %+v", m)
		}
	}
	if _, err := db.RequestByToken(ctx, staleTok.Hash, dsar.TokenConfirm, now); !errors.Is(err, dsar.ErrTokenExpired) {
		t.Errorf("expired link: err = %v", err)
	}
	for _, id := range []string{fresh.ID, confirmed.ID} {
		r, _ := db.FindRequest(ctx, id)
		if r.Status == dsar.StatusNotConfirmed || r.Email == "" {
			t.Errorf("request %s wrongly expired", r.Ref)
		}
	}
	// Running the job again changes nothing.
	if refs, err := db.ExpireUnconfirmed(ctx, now); err != nil || len(refs) != 0 {
		t.Errorf("second run expired %v, %v", refs, err)
	}
}

func TestOpenIsIdempotentAndSound(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dsar.db")
	for range 2 {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := db.IntegrityCheck(ctx); err != nil || v != "ok" {
			t.Errorf("integrity_check = %q, %v", v, err)
		}
		db.Close()
	}
}
