package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
)

func TestStaffEntersARequest(t *testing.T) {
	h := newHarness(t, nil) // today: Thursday 26 November 2026
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	page := h.do(b, "GET", "/staff/requests/new", nil)
	if page.status != http.StatusOK {
		t.Fatalf("form: %d", page.status)
	}
	form := url.Values{"csrf_token": {page.csrf(t)}, "name": {"Paul Martin"}, "email": {"paul@example.fr"},
		"relationship": {"supplier"}, "kinds": {"erasure"}, "request_lang": {"en"}}

	bad := h.do(b, "POST", "/staff/requests/new", form)
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Indiquez comment la demande est arrivée") {
		t.Errorf("no channel: %d", bad.status)
	}
	form.Set("channel", "post")
	form.Set("received_on", "2026-12-01")
	if p := h.do(b, "POST", "/staff/requests/new", form); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "ne peut pas être dans le futur") {
		t.Errorf("future date: %d", p.status)
	}
	form.Set("received_on", "2026-11-20")
	form.Set("email", "not an email")
	if p := h.do(b, "POST", "/staff/requests/new", form); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "n&#39;est pas valide") {
		t.Errorf("bad email: %d", p.status)
	}
	if n := h.count(); n != 0 {
		t.Fatalf("refused entries stored %d requests", n)
	}

	form.Set("email", "paul@example.fr")
	p := h.do(b, "POST", "/staff/requests/new", form)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/staff/requests/DSAR-2026-000001?done=entered" {
		t.Fatalf("enter: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	r := h.request()
	// Received by post on Friday 20 November: the clock starts that day,
	// due Monday 21 December.
	if r.Status != dsar.StatusReceived || r.Channel != dsar.ChannelPost || r.Clock.Start != dsar.NewDate(2026, 11, 20) ||
		r.Clock.Due() != dsar.NewDate(2026, 12, 21) || r.Lang != "en" {
		t.Errorf("entered request: %s %s %s due %s %s", r.Status, r.Channel, r.Clock.Start, r.Clock.Due(), r.Lang)
	}
	if len(r.Routing) != 1 || r.Routing[0].Activity != "suppliers" {
		t.Errorf("routing: %+v", r.Routing)
	}
	mails := h.mailsTo("paul@example.fr")
	if len(mails) != 1 || !strings.Contains(mails[0].Subject, "We have received your request") || !strings.Contains(mails[0].Text, "Monday 21 December 2026") {
		t.Errorf("acknowledgment: %+v", mails)
	}
	if log := strings.Join(h.auditActions(), ","); !strings.Contains(log, "entered") {
		t.Errorf("entry not audited: %s", log)
	}
	if p := h.do(b, "GET", "/staff/requests/DSAR-2026-000001?done=entered", nil); !strings.Contains(p.body, "saisie par l&#39;équipe") {
		t.Errorf("timeline lacks the entry")
	}
}
