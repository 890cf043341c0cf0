package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/web"
)

// TestFormBadInput posts one bad field at a time: each gets its message next
// to the field, in the person's language, the form keeps what was typed,
// and nothing is stored or mailed.
func TestFormBadInput(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name   string
		lang   string
		change map[string][]string
		field  string
		want   string
	}{
		{"missing name", "fr", map[string][]string{"name": {"  "}}, "name", "Indiquez votre nom et votre prénom."},
		{"name too long", "fr", map[string][]string{"name": {long(201)}}, "name", "Ce texte est trop long\u00a0: 200 caractères au maximum."},
		{"name with a line break", "fr", map[string][]string{"name": {"Jeanne\r\nBcc: x@evil.example"}}, "name", "caractères non autorisés"},
		{"missing email", "fr", map[string][]string{"email": {""}}, "email", "Indiquez votre adresse e-mail."},
		{"missing email, English", "en", map[string][]string{"email": {""}}, "email", "Enter your email address."},
		{"email without domain", "fr", map[string][]string{"email": {"jeanne@"}}, "email", "Cette adresse e-mail n'est pas valide."},
		{"email without at", "fr", map[string][]string{"email": {"jeanne.example.fr"}}, "email", "Cette adresse e-mail n'est pas valide."},
		{"email without dot in domain", "fr", map[string][]string{"email": {"jeanne@localhost"}}, "email", "n'est pas valide"},
		{"email with display name", "en", map[string][]string{"email": {"Jeanne <jeanne@example.fr>"}}, "email", "This email address is not valid."},
		{"email header injection", "fr", map[string][]string{"email": {"jeanne@example.fr\r\nBcc: x@evil.example"}}, "email", "caractères non autorisés"},
		{"email too long", "fr", map[string][]string{"email": {long(250) + "@example.fr"}}, "email", "254 caractères au maximum"},
		{"malformed phone", "fr", map[string][]string{"phone": {"appelez-moi"}}, "phone", "Ce numéro n'est pas valide"},
		{"phone too long", "fr", map[string][]string{"phone": {strings.Repeat("0", 31)}}, "phone", "30 caractères au maximum"},
		{"missing relationship", "fr", map[string][]string{"relationship": {""}}, "relationship", "Indiquez votre lien avec VRACOOP"},
		{"unknown relationship", "en", map[string][]string{"relationship": {"boss"}}, "relationship", "Choose one of the options offered."},
		{"loyalty without shop name", "fr", map[string][]string{"relationship": {"loyalty"}, "shop_town": {"Bayonne"}}, "shop_name", "Indiquez le nom de la boutique."},
		{"loyalty without shop town", "fr", map[string][]string{"relationship": {"loyalty"}, "shop_name": {"Vrac & Co"}}, "shop_town", "Indiquez la ville de la boutique."},
		{"shop name too long", "fr", map[string][]string{"relationship": {"app_user"}, "shop_name": {long(201)}}, "shop_name", "200 caractères au maximum"},
		{"no right", "fr", map[string][]string{"kinds": nil}, "kinds", "Cochez au moins un droit."},
		{"unknown right", "fr", map[string][]string{"kinds": {"access", "delete_everything"}}, "kinds", "Cochez uniquement les droits proposés"},
		{"right twice", "en", map[string][]string{"kinds": {"access", "access"}}, "kinds", "Tick only the rights offered, each once."},
		{"rectification without what is wrong", "fr", map[string][]string{"kinds": {"rectification"}, "rectify_correct": {"Dupond"}}, "rectify_wrong", "Dites-nous quelle donnée est inexacte."},
		{"rectification without the correction", "fr", map[string][]string{"kinds": {"rectification"}, "rectify_wrong": {"Dupont"}}, "rectify_correct", "Dites-nous quelle devrait être la donnée correcte."},
		{"rectification too long", "fr", map[string][]string{"kinds": {"rectification"}, "rectify_wrong": {long(2001)}, "rectify_correct": {"x"}}, "rectify_wrong", "2000 caractères au maximum"},
		{"details too long", "fr", map[string][]string{"details": {long(5001)}}, "details", "5000 caractères au maximum"},
		{"details too long, English", "en", map[string][]string{"details": {long(5001)}}, "details", "This text is too long: at most 5000 characters."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			b := h.browser()
			form := validForm(h.do(b, "GET", "/?lang="+tt.lang, nil).csrf(t))
			for k, v := range tt.change {
				form[k] = v
			}
			p := h.do(b, "POST", "/", form)
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("status = %d, want 422", p.status)
			}
			if got := p.fieldError(tt.field); !strings.Contains(got, tt.want) {
				t.Errorf("error next to %s = %q, want it to contain %q", tt.field, got, tt.want)
			}
			if !strings.Contains(p.body, `aria-describedby="`) || !strings.Contains(p.body, `href="#f-`+tt.field+`"`) {
				t.Errorf("error not tied to the field or missing from the summary")
			}
			if tt.field != "name" && !strings.Contains(p.body, `value="Jeanne Dupont"`) {
				t.Errorf("the form lost what was typed")
			}
			if n, m := h.count(), h.outbox(); n != 0 || m != 0 {
				t.Errorf("stored %d requests and %d mails, want none", n, m)
			}
		})
	}
}

func TestFormRefusesForgedOrMissingCSRF(t *testing.T) {
	h := newHarness(t, nil)
	victim := h.browser()
	own := h.do(victim, "GET", "/", nil).csrf(t)
	attacker := h.browser()
	stolen := h.do(attacker, "GET", "/", nil).csrf(t)
	tests := []struct {
		name   string
		client *http.Client
		token  string
	}{
		{"forged token", victim, "forged"},
		{"empty token", victim, ""},
		{"token of another browser", victim, stolen},
		{"no cookie", &http.Client{}, own},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := h.do(tt.client, "POST", "/", validForm(tt.token))
			if p.status != http.StatusForbidden {
				t.Errorf("status = %d, want 403", p.status)
			}
			if !strings.Contains(p.body, "Le formulaire a expiré ou n&#39;a pas pu être vérifié") {
				t.Errorf("no clear message:\n%s", p.body)
			}
			if !strings.Contains(p.body, `value="jeanne@example.fr"`) {
				t.Errorf("the form lost what was typed")
			}
		})
	}
	if n := h.count(); n != 0 {
		t.Errorf("stored %d requests", n)
	}
	// The page that refused the post carries a fresh token that works.
	p := h.do(victim, "POST", "/", validForm("forged"))
	if p = h.do(victim, "POST", "/", validForm(p.csrf(t))); p.status != http.StatusSeeOther {
		t.Errorf("retry with the new token: status %d", p.status)
	}
}

func TestFormHoneypot(t *testing.T) {
	h := newHarness(t, nil)
	b := h.browser()
	form := validForm(h.do(b, "GET", "/", nil).csrf(t))
	form.Set("website", "http://spam.example")
	p := h.do(b, "POST", "/", form)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "un champ caché, destiné à bloquer les robots, a été rempli") {
		t.Errorf("status %d, body:\n%s", p.status, p.body)
	}
	if strings.Contains(p.body, "spam.example") {
		t.Errorf("the honeypot value came back in the form")
	}
	if n := h.count(); n != 0 {
		t.Errorf("stored %d requests", n)
	}
}

func TestFormBodyTooLarge(t *testing.T) {
	h := newHarness(t, nil)
	b := h.browser()
	form := validForm(h.do(b, "GET", "/", nil).csrf(t))
	form.Set("details", strings.Repeat("x", 100<<10))
	p := h.do(b, "POST", "/", form)
	if p.status != http.StatusRequestEntityTooLarge || !strings.Contains(p.body, "Votre demande est trop volumineuse") {
		t.Errorf("status %d", p.status)
	}
	if n := h.count(); n != 0 {
		t.Errorf("stored %d requests", n)
	}
}

func TestFormRateLimitPerIP(t *testing.T) {
	h := newHarness(t, func(o *web.Options) { o.RateLimit, o.RateBurst = 1, 2 })
	b := h.browser()
	for i, want := range []int{http.StatusSeeOther, http.StatusSeeOther, http.StatusTooManyRequests} {
		p := h.do(b, "POST", "/", validForm(h.do(b, "GET", "/", nil).csrf(t)))
		if p.status != want {
			t.Errorf("post %d: status %d, want %d", i+1, p.status, want)
		}
		if want == http.StatusTooManyRequests && !strings.Contains(p.body, "Trop de demandes") {
			t.Errorf("no clear message on the limited post")
		}
	}
	if n := h.count(); n != 2 {
		t.Errorf("stored %d requests, want 2", n)
	}
	// An hour later the bucket has refilled one token.
	h.advance(time.Hour)
	if p := h.do(b, "POST", "/", validForm(h.do(b, "GET", "/", nil).csrf(t))); p.status != http.StatusSeeOther {
		t.Errorf("after an hour: status %d", p.status)
	}
}

func TestFormAcceptsAValidRequest(t *testing.T) {
	h := newHarness(t, nil)
	b := h.browser()
	p := h.do(b, "POST", "/", validForm(h.do(b, "GET", "/", nil).csrf(t)))
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/submitted?lang=fr" {
		t.Fatalf("status %d, location %q", p.status, p.header.Get("Location"))
	}
	if n, m := h.count(), h.outbox(); n != 1 || m != 1 {
		t.Errorf("stored %d requests and %d mails, want 1 and 1", n, m)
	}
	next := h.do(b, "GET", "/submitted?lang=fr", nil)
	if !strings.Contains(next.body, "Si l&#39;adresse indiquée est correcte") || strings.Contains(next.body, "jeanne") {
		t.Errorf("the next page must say what happens without echoing the address:\n%s", next.body)
	}
}
