package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// staffOn returns a harness with one confirmed request (DSAR-2026-000001,
// confirmed Thursday 26 November 2026, due Monday 28 December) and a
// logged-in agent.
func staffOn(t *testing.T) (*harness, *http.Client, dsar.Staff) {
	t.Helper()
	h := newHarness(t, nil)
	agent := h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	h.submitValid(h.browser(), "fr")
	h.confirmLast()
	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	return h, b, agent
}

const reqURL = "/staff/requests/DSAR-2026-000001"

// act posts one action with the page's CSRF token.
func (h *harness) act(b *http.Client, action string, form url.Values) page {
	h.t.Helper()
	tok := h.do(b, "GET", reqURL, nil).csrf(h.t)
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", tok)
	p := h.do(b, "POST", reqURL+"/"+action, form)
	if p.status == http.StatusSeeOther {
		return h.do(b, "GET", p.header.Get("Location"), nil)
	}
	return p
}

func (h *harness) request() dsar.Request {
	h.t.Helper()
	r, err := h.db.FindRequestByRef(context.Background(), "DSAR-2026-000001")
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

func (h *harness) mailsTo(addr string) []dsar.Mail {
	h.t.Helper()
	all, err := h.db.DueMail(context.Background(), h.clock().Add(time.Hour), 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []dsar.Mail
	for _, m := range all {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

func TestRequestActions(t *testing.T) {
	h, b, agent := staffOn(t)
	mails := func() int { return len(h.mailsTo("jeanne@example.fr")) }
	before := mails() // confirmation and acknowledgment

	p := h.act(b, "assign", url.Values{"assignee": {itoa(agent.ID)}})
	if p.status != http.StatusOK || !strings.Contains(p.body, "Assignation enregistrée.") {
		t.Fatalf("assign: %d", p.status)
	}
	if r := h.request(); r.AssigneeID != agent.ID || r.Status != dsar.StatusInProgress {
		t.Errorf("after assign: %d %s", r.AssigneeID, r.Status)
	}
	if q := h.do(b, "GET", "/staff/requests?mine=1", nil); !strings.Contains(q.body, "DSAR-2026-000001") {
		t.Errorf("assigned request not in my queue")
	}

	p = h.act(b, "note", url.Values{"text": {"Client connu depuis 2019 <script>alert(1)</script>"}})
	if !strings.Contains(p.body, "Client connu depuis 2019 &lt;script&gt;") || strings.Contains(p.body, "<script>alert(1)") {
		t.Errorf("note not shown, or not escaped")
	}
	if mails() != before {
		t.Errorf("a note was mailed to the person")
	}

	p = h.act(b, "ask", url.Values{"text": {"Quel est votre numéro de client ?"}})
	if r := h.request(); r.Status != dsar.StatusAwaitingInfo || r.PausedSince == nil {
		t.Fatalf("ask: %s", r.Status)
	}
	if got := h.mailsTo("jeanne@example.fr"); len(got) != before+1 || !strings.Contains(got[len(got)-1].Text, "Quel est votre numéro de client ?") ||
		!strings.Contains(got[len(got)-1].Subject, "DSAR-2026-000001") {
		t.Errorf("the question was not mailed: %+v", got)
	}
	h.advance(10 * 24 * time.Hour)
	h.login(b, "agent@vracoop.fr", staffPassword)
	h.act(b, "answer", url.Values{"text": {"Client n° 4411"}})
	// Paused 10 days: 26 December + 10 = Tuesday 5 January 2027.
	if r := h.request(); r.Status != dsar.StatusInProgress || r.Clock.Due() != dsar.NewDate(2027, 1, 5) {
		t.Errorf("after the answer: %s, due %s", r.Status, r.Clock.Due())
	}

	h.act(b, "identity", url.Values{"text": {"Rappel au 05 59 00 00 00 connu dans Odoo"}})
	if r := h.request(); r.IdentityVerifiedAt == nil || r.IdentityMethod == "" {
		t.Errorf("identity not recorded")
	}

	p = h.act(b, "extend", url.Values{"text": {"Quatre instances Odoo à interroger."}})
	if !strings.Contains(p.body, "Délai prolongé") {
		t.Errorf("extend: %d", p.status)
	}
	// Three months from 26 November is 26 February 2027, plus 10 paused
	// days: Monday 8 March 2027.
	if r := h.request(); !r.Clock.Extended || r.Clock.Due() != dsar.NewDate(2027, 3, 8) {
		t.Errorf("extended due = %s", r.Clock.Due())
	}
	if got := h.mailsTo("jeanne@example.fr"); !strings.Contains(got[len(got)-1].Text, "Quatre instances Odoo à interroger.") ||
		!strings.Contains(got[len(got)-1].Text, "lundi 8 mars 2027") {
		t.Errorf("extension notice: %+v", got[len(got)-1])
	}
	p = h.act(b, "extend", url.Values{"text": {"encore"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "une seule prolongation est possible") {
		t.Errorf("second extension: %d", p.status)
	}

	p = h.act(b, "deny", url.Values{"text": {"Demande répétée."}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Choisissez le motif légal du refus.") {
		t.Errorf("deny without a ground: %d", p.status)
	}
	h.act(b, "deny", url.Values{"ground": {dsar.GroundExcessive}, "text": {"Troisième demande identique."}})
	if r := h.request(); r.Status != dsar.StatusDenied || r.DenialGround != dsar.GroundExcessive {
		t.Errorf("deny: %s", r.Status)
	}
	if got := h.mailsTo("jeanne@example.fr"); !strings.Contains(got[len(got)-1].Text, "CNIL") || !strings.Contains(got[len(got)-1].Text, "Troisième demande identique.") {
		t.Errorf("denial mail: %+v", got[len(got)-1])
	}
	p = h.act(b, "complete", url.Values{"text": {"fait"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "ne peut plus être modifiée") {
		t.Errorf("action on a denied request: %d", p.status)
	}

	page := h.do(b, "GET", reqURL, nil)
	for _, want := range []string{"assignation", "note interne", "informations demandées", "réponse de la personne", "identité vérifiée", "délai prolongé", "refus", "e-mail envoyé"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	log := strings.Join(h.auditActions(), ",")
	for _, want := range []string{"assign", "note", "ask_info", "info_received", "identity_verified", "extend", "deny"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit lacks %s: %s", want, log)
		}
	}
}

func TestRequestActionComplete(t *testing.T) {
	h, b, _ := staffOn(t)
	if p := h.act(b, "complete", url.Values{"text": {""}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Le texte est obligatoire.") {
		t.Errorf("complete without an outcome: %d", p.status)
	}
	h.act(b, "complete", url.Values{"text": {"Copie des données envoyée."}})
	if r := h.request(); r.Status != dsar.StatusCompleted || r.ClosedAt == nil {
		t.Errorf("complete: %s", r.Status)
	}
}

func TestRequestActionsAccess(t *testing.T) {
	h, b, _ := staffOn(t)
	if p := h.do(h.browser(), "POST", reqURL+"/note", url.Values{"text": {"x"}}); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/staff/login") {
		t.Errorf("anonymous action: %d", p.status)
	}
	if p := h.do(b, "POST", reqURL+"/note", url.Values{"csrf_token": {"forged"}, "text": {"x"}}); p.status != http.StatusForbidden {
		t.Errorf("forged CSRF: %d", p.status)
	}
	if p := h.do(b, "POST", reqURL+"/explode", url.Values{}); p.status != http.StatusNotFound {
		t.Errorf("unknown action: %d", p.status)
	}
	if p := h.act(b, "assign", url.Values{"assignee": {"999"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("assign to a stranger: %d", p.status)
	}
	tok := h.do(b, "GET", reqURL, nil).csrf(t)
	if p := h.do(b, "POST", "/staff/requests/DSAR-2026-999999/note", url.Values{"csrf_token": {tok}, "text": {"x"}}); p.status != http.StatusNotFound {
		t.Errorf("unknown request: %d", p.status)
	}
	if r := h.request(); r.Status != dsar.StatusReceived {
		t.Errorf("refused actions changed the request: %s", r.Status)
	}
}

func TestLookupActionAndPendingLookup(t *testing.T) {
	h, b, _ := staffOn(t)
	// Confirmation already asked for a lookup: the page says it is under way.
	if p := h.do(b, "GET", reqURL, nil); !strings.Contains(p.body, "Recherche dans Odoo en cours") {
		t.Errorf("no pending lookup shown after confirmation")
	}
	tok := h.do(b, "GET", reqURL, nil).csrf(t)
	if p := h.do(b, "POST", reqURL+"/lookup", url.Values{"csrf_token": {"forged"}}); p.status != http.StatusForbidden {
		t.Errorf("forged CSRF: %d", p.status)
	}
	p := h.do(b, "POST", reqURL+"/lookup", url.Values{"csrf_token": {tok}})
	if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "?done=lookup") {
		t.Fatalf("lookup: %d", p.status)
	}
	job, ok, err := h.db.PendingLookup(context.Background(), h.request().ID)
	if err != nil || !ok || !job.NextAttempt.Equal(h.clock()) {
		t.Errorf("job: %+v %v %v", job, ok, err)
	}
	evs, _ := h.db.RequestEvents(context.Background(), h.request().ID)
	if last := evs[len(evs)-1]; last.Type != dsar.EventLookup || last.Actor != "staff:agent@vracoop.fr" {
		t.Errorf("the request is not in the history: %+v", last)
	}
	if log := strings.Join(h.auditActions(), ","); !strings.Contains(log, "lookup_requested") {
		t.Errorf("not audited: %s", log)
	}
}
