package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/register"
)

func TestPrivacyNotice(t *testing.T) {
	h := newHarness(t, nil)
	reg := register.Default()
	for _, lang := range []string{"fr", "en"} {
		p := h.do(h.browser(), "GET", "/privacy?lang="+lang, nil)
		if p.status != http.StatusOK {
			t.Fatalf("%s: %d", lang, p.status)
		}
		for _, a := range reg.Activities {
			if name := a.Name.In(lang); !strings.Contains(p.body, escapeHTML(name)) {
				t.Errorf("%s notice lacks activity %q", lang, name)
			}
		}
		if !strings.Contains(p.body, "CNIL") || !strings.Contains(p.body, "L123-22") {
			t.Errorf("%s notice lacks the CNIL or the accounting ground", lang)
		}
	}
	if p := h.do(h.browser(), "GET", "/", nil); !strings.Contains(p.body, `href="/privacy?lang=fr"`) {
		t.Errorf("the form does not link to the privacy notice")
	}
}

func TestRegisterPageForStaff(t *testing.T) {
	h := newHarness(t, nil)
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	p := h.do(b, "GET", "/staff/register", nil)
	if p.status != http.StatusOK {
		t.Fatalf("register page: %d", p.status)
	}
	for _, want := range []string{"VRACOOOP", "VRACCOOP", "shop_pos", "mobile_app", "0 erreurs", "Code de commerce"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("register page lacks %q", want)
		}
	}
}

// TestSubmissionIsRouted: the relationship the person chose routes the
// request to the register's activities, stored and shown to staff.
func TestSubmissionIsRouted(t *testing.T) {
	tests := []struct {
		rel   string
		shop  bool
		want  []string
		roles []dsar.Role
	}{
		{"customer", false, []string{"customers"}, []dsar.Role{dsar.RoleController}},
		{"loyalty", true, []string{"shop_pos"}, []dsar.Role{dsar.RoleProcessor}},
		{"app_user", false, []string{"shop_pos", "mobile_app"}, []dsar.Role{dsar.RoleProcessor, dsar.RoleProcessor}},
		{"other", false, []string{"customers", "prospects", "suppliers"}, []dsar.Role{dsar.RoleController, dsar.RoleController, dsar.RoleController}},
	}
	for _, tt := range tests {
		t.Run(tt.rel, func(t *testing.T) {
			h := newHarness(t, nil)
			b := h.browser()
			form := validForm(h.do(b, "GET", "/", nil).csrf(t))
			form.Set("relationship", tt.rel)
			if tt.shop {
				form.Set("shop_name", "Vrac & Co")
				form.Set("shop_town", "Bayonne")
			}
			if p := h.do(b, "POST", "/", form); p.status != http.StatusSeeOther {
				t.Fatalf("submit: %d", p.status)
			}
			r, err := h.db.FindRequestByRef(context.Background(), "DSAR-2026-000001")
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Routing) != len(tt.want) {
				t.Fatalf("routing = %+v, want %v", r.Routing, tt.want)
			}
			for i, route := range r.Routing {
				if route.Activity != tt.want[i] || route.Role != tt.roles[i] || route.Reason.FR == "" || route.Reason.EN == "" {
					t.Errorf("route %d = %+v, want %s as %s with reasons", i, route, tt.want[i], tt.roles[i])
				}
			}
			h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
			sb := h.browser()
			h.login(sb, "agent@vracoop.fr", staffPassword)
			page := h.do(sb, "GET", "/staff/requests/DSAR-2026-000001", nil)
			if page.status != http.StatusOK || !strings.Contains(page.body, "<strong>"+tt.want[0]+"</strong>") || !strings.Contains(page.body, escapeHTML(r.Routing[0].Reason.FR)) ||
				!strings.Contains(page.body, "Conservation selon le registre") {
				t.Errorf("request page does not show the routing and its reason:\n%s", page.body)
			}
		})
	}
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;").Replace(s)
}
