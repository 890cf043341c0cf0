package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

var linkRe = regexp.MustCompile(`http://dsar\.test(/[cs]/[A-Za-z0-9_-]{43})`)

// lastLink returns the path of the newest link of the given kind ("c" or
// "s") in the outbox.
func (h *harness) lastLink(kind string) string {
	h.t.Helper()
	mails, err := h.db.DueMail(context.Background(), h.clock().Add(time.Hour), 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := len(mails) - 1; i >= 0; i-- {
		for _, m := range linkRe.FindAllStringSubmatch(mails[i].Text, -1) {
			if strings.HasPrefix(m[1], "/"+kind+"/") {
				return m[1]
			}
		}
	}
	h.t.Fatalf("no /%s/ link in the outbox", kind)
	return ""
}

func (h *harness) submitValid(b *http.Client, lang string) {
	h.t.Helper()
	form := validForm(h.do(b, "GET", "/?lang="+lang, nil).csrf(h.t))
	if p := h.do(b, "POST", "/", form); p.status != http.StatusSeeOther {
		h.t.Fatalf("submit: status %d", p.status)
	}
}

func TestConfirmationAndStatusPages(t *testing.T) {
	h := newHarness(t, nil)
	b := h.browser()
	h.submitValid(b, "en")
	confirm := h.lastLink("c")

	// Following the link (as a mail scanner would) confirms nothing.
	p := h.do(h.browser(), "GET", confirm, nil)
	if p.status != http.StatusOK || !strings.Contains(p.body, "I confirm my request") {
		t.Fatalf("confirmation page: %d\n%s", p.status, p.body)
	}
	if got := p.header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q on a token page", got)
	}
	if got := p.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q on a token page", got)
	}
	r, _ := h.db.FindRequestByRef(context.Background(), "DSAR-2026-000001")
	if r.Status != dsar.StatusAwaitingConfirmation {
		t.Fatalf("a GET confirmed the request")
	}

	// Pressing the button confirms, in the request's language.
	p = h.do(b, "POST", confirm, url.Values{"csrf_token": {p.csrf(t)}})
	// The button page was fetched by another browser: its token does not
	// match this browser's cookie, so the page comes back with a fresh one.
	if p.status != http.StatusOK || !strings.Contains(p.body, "I confirm my request") {
		t.Fatalf("cross-browser CSRF: %d", p.status)
	}
	token := p.csrf(t)
	p = h.do(b, "POST", confirm, url.Values{"csrf_token": {token}})
	if p.status != http.StatusOK || !strings.Contains(p.body, "Your request is confirmed") {
		t.Fatalf("confirm: %d\n%s", p.status, p.body)
	}
	// Confirmed on Thursday 26 November 2026: a month later is Saturday 26
	// December, after Christmas: due Monday 28 December.
	if !strings.Contains(p.body, "Monday 28 December 2026") {
		t.Errorf("confirmed page lacks the due date:\n%s", p.body)
	}
	r, _ = h.db.FindRequestByRef(context.Background(), "DSAR-2026-000001")
	if r.Status != dsar.StatusReceived || r.Clock.Start != dsar.NewDate(2026, 11, 26) {
		t.Errorf("request after confirmation: %s, %s", r.Status, r.Clock.Start)
	}

	// The link is single use.
	p = h.do(b, "POST", confirm, url.Values{"csrf_token": {token}})
	if p.status != http.StatusConflict || !strings.Contains(p.body, "already confirmed") {
		t.Errorf("second confirmation: %d", p.status)
	}

	status := h.lastLink("s")
	p = h.do(h.browser(), "GET", status, nil)
	if p.status != http.StatusOK || !strings.Contains(p.body, "DSAR-2026-000001") || !strings.Contains(p.body, "Monday 28 December 2026") {
		t.Fatalf("status page: %d\n%s", p.status, p.body)
	}
	for _, personal := range []string{"Jeanne", "jeanne@example.fr", "06 12 34 56 78", "Client depuis"} {
		if strings.Contains(p.body, personal) {
			t.Errorf("status page shows %q", personal)
		}
	}
	if got := p.header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q on the status page", got)
	}
	// A status link does not confirm, and a confirmation link shows no status.
	if p := h.do(b, "GET", strings.Replace(status, "/s/", "/c/", 1), nil); p.status != http.StatusNotFound {
		t.Errorf("status token on the confirmation route: %d", p.status)
	}
	if p := h.do(b, "GET", strings.Replace(confirm, "/c/", "/s/", 1), nil); p.status != http.StatusNotFound {
		t.Errorf("confirmation token on the status route: %d", p.status)
	}
}

func TestLinksThatDoNotOpen(t *testing.T) {
	h := newHarness(t, nil)
	b := h.browser()
	h.submitValid(b, "fr")
	confirm := h.lastLink("c")
	tests := []struct {
		name, path string
		status     int
		want       string
	}{
		{"garbage", "/c/garbage", http.StatusNotFound, "Ce lien n&#39;est pas valide"},
		{"well formed but unknown", "/s/" + strings.Repeat("A", 43), http.StatusNotFound, "Ce lien n&#39;est pas valide"},
		{"one character changed", confirm[:len(confirm)-1] + flip(confirm[len(confirm)-1]), http.StatusNotFound, "Ce lien n&#39;est pas valide"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := h.do(b, "GET", tt.path, nil)
			if p.status != tt.status || !strings.Contains(p.body, tt.want) {
				t.Errorf("status %d, body:\n%s", p.status, p.body)
			}
		})
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestExpiredConfirmation: a request not confirmed in time is closed and
// its personal fields purged; its link then says it expired.
func TestExpiredConfirmation(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	b := h.browser()
	h.submitValid(b, "fr")
	confirm := h.lastLink("c")
	button := h.do(b, "GET", confirm, nil)

	h.advance(7*24*time.Hour + time.Minute)
	refs, err := h.db.ExpireUnconfirmed(ctx, h.clock())
	if err != nil || len(refs) != 1 {
		t.Fatalf("expired %v, %v", refs, err)
	}
	r, _ := h.db.FindRequestByRef(ctx, refs[0])
	if r.Status != dsar.StatusNotConfirmed || r.Name != "" || r.Email != "" || r.Phone != "" || r.Details != "" {
		t.Errorf("not closed and purged: %+v", r)
	}
	for _, try := range []page{h.do(b, "GET", confirm, nil), h.do(b, "POST", confirm, url.Values{"csrf_token": {button.csrf(t)}})} {
		if try.status != http.StatusGone || !strings.Contains(try.body, "Ce lien a expiré") {
			t.Errorf("expired link: %d\n%s", try.status, try.body)
		}
	}
	if r, _ := h.db.FindRequestByRef(ctx, refs[0]); r.Status != dsar.StatusNotConfirmed {
		t.Errorf("an expired link confirmed the request")
	}
}

func TestLanguage(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		name, path, acceptLanguage, want string
	}{
		{"French by default", "/", "", `<html lang="fr">`},
		{"browser asks for English", "/", "en-GB,en;q=0.9", `<html lang="en">`},
		{"browser prefers French", "/", "fr-CA,en;q=0.5", `<html lang="fr">`},
		{"browser asks for German only", "/", "de-DE", `<html lang="fr">`},
		{"explicit switch wins", "/?lang=en", "fr-FR", `<html lang="en">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := h.do(h.browser(), "GET", tt.path, nil, "Accept-Language", tt.acceptLanguage)
			if !strings.Contains(p.body, tt.want) {
				t.Errorf("page does not start with %s", tt.want)
			}
		})
	}
	t.Run("the switch is remembered", func(t *testing.T) {
		b := h.browser()
		h.do(b, "GET", "/?lang=en", nil)
		if p := h.do(b, "GET", "/", nil, "Accept-Language", "fr"); !strings.Contains(p.body, `<html lang="en">`) {
			t.Errorf("choice not remembered")
		}
	})
	t.Run("the switch is visible", func(t *testing.T) {
		p := h.do(h.browser(), "GET", "/", nil)
		if !strings.Contains(p.body, `href="/?lang=en"`) {
			t.Errorf("no link to English")
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t, nil)
	for _, path := range []string{"/", "/submitted", "/c/x", "/nope", "/static/style.css"} {
		p := h.do(h.browser(), "GET", path, nil)
		csp := p.header.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy = %q", path, csp)
		}
		if p.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
		if p.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
	if p := h.do(h.browser(), "GET", "/static/style.css", nil); p.status != 200 || !strings.Contains(p.header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %s", p.status, p.header.Get("Content-Type"))
	}
	for _, path := range []string{"/", "/healthz"} {
		if p := h.do(h.browser(), "HEAD", path, nil); p.status != http.StatusOK {
			t.Errorf("HEAD %s: %d (uptime monitors use HEAD)", path, p.status)
		}
	}
	if p := h.do(h.browser(), "GET", "/dev/mail", nil); p.status != http.StatusNotFound {
		t.Errorf("the development mailbox exists without being configured: %d", p.status)
	}
}
