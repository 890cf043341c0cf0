package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/web"
)

// confirmLast confirms the newest request in the outbox, as its person would.
func (h *harness) confirmLast() {
	h.t.Helper()
	b := h.browser()
	link := h.lastLink("c")
	p := h.do(b, "GET", link, nil)
	if p = h.do(b, "POST", link, url.Values{"csrf_token": {p.csrf(h.t)}}); p.status != http.StatusOK {
		h.t.Fatalf("confirm: %d", p.status)
	}
}

func TestQueuePage(t *testing.T) {
	h := newHarness(t, nil)
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	person := h.browser()
	h.submitValid(person, "fr") // DSAR-2026-000001, left unconfirmed
	h.submitValid(person, "fr") // 000002
	h.confirmLast()
	h.advance(25 * 24 * time.Hour)
	h.submitValid(person, "fr") // 000003, confirmed 25 days later
	h.confirmLast()

	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	p := h.do(b, "GET", "/staff/requests", nil)
	if p.status != http.StatusOK {
		t.Fatalf("queue: %d", p.status)
	}
	if strings.Contains(p.body, "DSAR-2026-000001") || !strings.Contains(p.body, "DSAR-2026-000002") || !strings.Contains(p.body, "DSAR-2026-000003") {
		t.Errorf("the default view lists open requests only:\n%s", p.body)
	}
	if !strings.Contains(p.body, "2 demandes.") {
		t.Errorf("count missing")
	}
	// 000002 was confirmed on 26 November, due 28 December; 25 days later
	// it has 7 days left: under 10. 000003 has a month left.
	if !strings.Contains(p.body, `class="due due-10">7 j restants`) || !strings.Contains(p.body, `class="due due-ok">`) {
		t.Errorf("days left not colour-coded:\n%s", p.body)
	}
	if i, j := strings.Index(p.body, "DSAR-2026-000002"), strings.Index(p.body, "DSAR-2026-000003"); i > j {
		t.Errorf("not sorted by due date")
	}
	if !strings.Contains(p.body, "Jeanne Dupont") {
		t.Errorf("names are shown by default")
	}

	tests := []struct{ query, want, notWant string }{
		{"status=all", "DSAR-2026-000001", ""},
		{"status=all&q=jeanne%40EXAMPLE.fr", "DSAR-2026-000001", ""},
		{"status=all&q=DSAR-2026-000003", "DSAR-2026-000003", "DSAR-2026-000002"},
		{"urgency=week", "DSAR-2026-000002", "DSAR-2026-000003"},
		{"urgency=overdue", "0 demandes.", "DSAR-2026-000002"},
		{"mine=1", "0 demandes.", "DSAR-2026-000002"},
		{"kind=rectification", "0 demandes.", "DSAR-2026-000002"},
		{"kind=erasure&status=bogus", "DSAR-2026-000002", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			p := h.do(b, "GET", "/staff/requests?"+tt.query, nil)
			if p.status != http.StatusOK || !strings.Contains(p.body, tt.want) || tt.notWant != "" && strings.Contains(p.body, tt.notWant) {
				t.Errorf("status %d; want %q and not %q", p.status, tt.want, tt.notWant)
			}
		})
	}

	h.advance(8 * 24 * time.Hour)
	h.login(b, "agent@vracoop.fr", staffPassword) // the session ended meanwhile
	if p := h.do(b, "GET", "/staff/requests?urgency=overdue", nil); !strings.Contains(p.body, `class="due due-overdue">en retard de 1 j`) {
		t.Errorf("overdue request not shown as such:\n%s", p.body)
	}
}

func TestQueueHidesNames(t *testing.T) {
	h := newHarness(t, func(o *web.Options) { o.HideNames = true })
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	h.submitValid(h.browser(), "fr")
	h.confirmLast()
	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	p := h.do(b, "GET", "/staff/requests", nil)
	if !strings.Contains(p.body, "DSAR-2026-000001") || strings.Contains(p.body, "Jeanne") {
		t.Errorf("names shown despite the setting")
	}
}
