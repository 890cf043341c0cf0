package dsar

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func received(t *testing.T, at time.Time) Request {
	t.Helper()
	r := NewRequest("id", Submission{Name: "J", Email: "j@example.fr", Kinds: []Kind{KindAccess}}, ChannelWeb, at)
	r.Ref = "DSAR-2026-000001"
	if _, err := r.Confirm(at); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAskInfoPausesTheClock(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // Monday 2 March 2026
	r := received(t, start)
	if got, want := r.Clock.Due(), NewDate(2026, 4, 2); got != want {
		t.Fatalf("due = %s, want %s", got, want)
	}
	asked := start.Add(5 * 24 * time.Hour)
	evs, err := r.AskInfo("Pouvez-vous préciser votre numéro de client ?", "staff:a", asked)
	if err != nil || r.Status != StatusAwaitingInfo || r.PausedSince == nil {
		t.Fatalf("ask: %v %s", err, r.Status)
	}
	if len(evs) != 2 || evs[0].To != StatusInProgress || evs[1].Type != EventAskInfo {
		t.Errorf("events = %+v", evs)
	}
	if _, err := r.Complete("done", "staff:a", asked); ErrorCode(err) != ECONFLICT {
		t.Errorf("completed while waiting for the person: %v", err)
	}
	answered := asked.Add(10 * 24 * time.Hour)
	ev, err := r.InfoReceived("Client n° 4411", "staff:a", answered)
	if err != nil || r.Status != StatusInProgress || r.PausedSince != nil || ev.Type != EventInfo {
		t.Fatalf("answer: %v %s", err, r.Status)
	}
	// Paused 10 days: 2 April + 10 = 12 April 2026, a Sunday (Easter was
	// 5 April): due Monday 13 April.
	if got, want := r.Clock.Due(), NewDate(2026, 4, 13); got != want {
		t.Errorf("due after the pause = %s, want %s", got, want)
	}
	if _, err := r.InfoReceived("again", "staff:a", answered); ErrorCode(err) != ECONFLICT {
		t.Errorf("second answer: %v", err)
	}
}

func TestExtendAndDeny(t *testing.T) {
	start := time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC)
	r := received(t, start)
	if _, err := r.Extend("  ", "staff:a", start); ErrorCode(err) != EINVALID {
		t.Errorf("extension without a reason: %v", err)
	}
	if _, err := r.Extend("Demande complexe : 4 instances à interroger", "staff:a", start.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, want := r.Clock.Due(), NewDate(2026, 4, 30); got != want || r.ExtensionReason == "" {
		t.Errorf("extended due = %s, want %s", got, want)
	}
	if _, err := r.Extend("again", "staff:a", start.Add(48*time.Hour)); ErrorCode(err) != ECONFLICT {
		t.Errorf("second extension: %v", err)
	}
	if _, err := r.Deny("because", "no reason", "staff:a", start); ErrorCode(err) != EINVALID {
		t.Errorf("denial with an unknown ground: %v", err)
	}
	ev, err := r.Deny(GroundExcessive, "Troisième demande identique en un mois.", "staff:a", start)
	if err != nil || r.Status != StatusDenied || r.ClosedAt == nil || ev.Type != EventDeny || r.DenialGround != GroundExcessive {
		t.Fatalf("deny: %v %+v", err, ev)
	}
	for name, act := range map[string]func() error{
		"note is still allowed": func() error { _, err := r.Note("pour mémoire", "staff:a", start); return err },
	} {
		if err := act(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, act := range map[string]func() error{
		"assign":   func() error { _, err := r.Assign(1, "A", "staff:a", start); return err },
		"ask info": func() error { _, err := r.AskInfo("q", "staff:a", start); return err },
		"complete": func() error { _, err := r.Complete("done", "staff:a", start); return err },
		"extend":   func() error { _, err := r.Extend("r", "staff:a", start); return err },
	} {
		if err := act(); !errors.Is(err, ErrClosed) {
			t.Errorf("%s on a denied request: %v", name, err)
		}
	}
}

func TestExtensionOnlyDuringTheFirstMonth(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r := received(t, start)
	if _, err := r.Extend("trop tard", "staff:a", start.AddDate(0, 1, 2)); ErrorCode(err) != EINVALID {
		t.Errorf("extension after the first month: %v", err)
	}
}

func TestNoteRules(t *testing.T) {
	r := received(t, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if _, err := r.Note(strings.Repeat("x", MaxNoteLen+1), "staff:a", time.Now()); ErrorCode(err) != EINVALID {
		t.Errorf("long note: %v", err)
	}
	if _, err := r.Note("a\x00b", "staff:a", time.Now()); ErrorCode(err) != EINVALID {
		t.Errorf("control character: %v", err)
	}
}
