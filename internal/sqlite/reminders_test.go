package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

func TestSendReminders(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	a := addStaff(t, db, "a@vracoop.fr", dsar.StaffAgent)
	addStaff(t, db, "b@vracoop.fr", dsar.StaffAdmin)

	// Confirmed on Tuesday 31 March 2026 (23:30 Paris): due Thursday 30 April.
	r, tok := submit(t, db, t0)
	status, _ := dsar.NewToken("", dsar.TokenStatus, t0.Add(365*24*time.Hour))
	if _, err := db.ConfirmRequest(ctx, tok.Hash, status, t0, plainMail); err != nil {
		t.Fatal(err)
	}
	var got []string
	render := func(q dsar.QueueItem, kind string, to []dsar.Staff) ([]dsar.Mail, error) {
		var out []dsar.Mail
		for _, s := range to {
			got = append(got, kind+":"+s.Email)
			out = append(out, dsar.Mail{RequestID: q.ID, To: s.Email, Subject: "[" + q.Ref + "] " + kind, Text: "t", HTML: "h"})
		}
		return out, nil
	}
	run := func(day dsar.Date) int {
		t.Helper()
		n, err := db.SendReminders(ctx, day, day.Time(), render)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := run(dsar.NewDate(2026, 4, 22)); n != 0 {
		t.Errorf("8 days before: %d reminders", n)
	}
	if n := run(dsar.NewDate(2026, 4, 23)); n != 1 || len(got) != 2 {
		t.Errorf("7 days before, unassigned: %d reminders to %v", n, got)
	}
	if n := run(dsar.NewDate(2026, 4, 24)); n != 0 {
		t.Errorf("the week reminder was sent twice")
	}
	if _, err := db.ChangeRequest(ctx, r.Ref, "staff:b", t0, func(r *dsar.Request) (dsar.Change, error) {
		evs, err := r.Assign(a.ID, a.Name, "staff:b", t0)
		return dsar.Change{Events: evs}, err
	}); err != nil {
		t.Fatal(err)
	}
	got = nil
	if n := run(dsar.NewDate(2026, 5, 1)); n != 1 || len(got) != 1 || got[0] != "overdue:a@vracoop.fr" {
		t.Errorf("overdue, assigned: %d reminders to %v", n, got)
	}
	if n := run(dsar.NewDate(2026, 5, 4)); n != 0 {
		t.Errorf("the overdue reminder was sent twice")
	}
	// An extension moves the due date: the new date gets its own reminders.
	if _, err := db.ChangeRequest(ctx, r.Ref, "staff:b", t0, func(r *dsar.Request) (dsar.Change, error) {
		evs, err := r.Extend("complexe", "staff:b", t0.Add(24*time.Hour))
		return dsar.Change{Events: evs}, err
	}); err != nil {
		t.Fatal(err)
	}
	got = nil
	if n := run(dsar.NewDate(2026, 6, 24)); n != 1 || got[0] != "week:a@vracoop.fr" {
		t.Errorf("week before the extended due date (30 June): %d %v", n, got)
	}
	mails, _ := db.DueMail(ctx, dsar.NewDate(2026, 7, 1).Time(), 100)
	reminders := 0
	for _, m := range mails {
		if m.To != r.Email {
			reminders++
		}
	}
	if reminders != 4 {
		t.Errorf("%d reminder mails in the outbox, want 4", reminders)
	}
}
