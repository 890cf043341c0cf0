package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestDashboardAndExport(t *testing.T) {
	h, b, _ := staffOn(t) // DSAR-2026-000001, received 26 November 2026
	h.submitValid(h.browser(), "fr")
	h.confirmLast()                  // 000002
	h.submitValid(h.browser(), "fr") // 000003, never confirmed: not in the export
	h.advance(3 * 24 * time.Hour)
	h.login(b, "agent@vracoop.fr", staffPassword)
	h.act(b, "deny", url.Values{"ground": {"excessive"}, "text": {"=HYPERLINK(\"x\") répétée"}})

	p := h.do(b, "GET", "/staff", nil)
	if p.status != http.StatusOK {
		t.Fatalf("dashboard: %d", p.status)
	}
	for _, want := range []string{
		`<span class="n">1</span> demandes ouvertes`,
		`<span class="n">0</span> en retard`,
		`<span class="n">3 j</span> délai médian`, // denied three days after the clock started
		`<title>11/26 : 3</title>`,                // three requests received in November 2026
		`href="/staff/export.csv"`,
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}

	exp := h.do(b, "GET", "/staff/export.csv", nil)
	if exp.status != http.StatusOK || !strings.HasPrefix(exp.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", exp.status, exp.header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(exp.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "reference" {
		t.Fatalf("export rows: %v", rows)
	}
	denied := rows[1]
	if denied[0] != "DSAR-2026-000001" || denied[6] != "denied" || denied[11] != "3" || denied[12] != "excessive" || !strings.HasPrefix(denied[13], "'=HYPERLINK") {
		t.Errorf("denied row: %v", denied)
	}
	if strings.Contains(exp.body, "jeanne") || strings.Contains(exp.body, "Jeanne") {
		t.Errorf("the export holds personal data")
	}
	if log := strings.Join(h.auditActions(), ","); !strings.Contains(log, "export_requests") {
		t.Errorf("export not audited: %s", log)
	}
	if p := h.do(h.browser(), "GET", "/staff/export.csv", nil); p.status != http.StatusSeeOther {
		t.Errorf("anonymous export: %d", p.status)
	}
}

func TestMailPreviews(t *testing.T) {
	h := newHarness(t, nil)
	h.addStaff("agent@vracoop.fr", "agent")
	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	for _, lang := range []string{"fr", "en"} {
		for _, name := range []string{"confirm", "ack", "info", "extend", "deny", "outcome", "reminder"} {
			p := h.do(b, "GET", "/staff/mails?mail="+name+"&mail_lang="+lang, nil)
			if p.status != http.StatusOK || !strings.Contains(p.body, "DSAR-2026-000000") {
				t.Errorf("%s/%s: %d", name, lang, p.status)
			}
			html := h.do(b, "GET", "/staff/mails/"+name+"/html?mail_lang="+lang, nil)
			if html.status != http.StatusOK || !strings.Contains(html.header.Get("Content-Security-Policy"), "sandbox") {
				t.Errorf("%s/%s html: %d %q", name, lang, html.status, html.header.Get("Content-Security-Policy"))
			}
		}
	}
	if p := h.do(h.browser(), "GET", "/staff/mails", nil); p.status != http.StatusSeeOther {
		t.Errorf("anonymous preview: %d", p.status)
	}
}
