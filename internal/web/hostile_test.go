package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/http"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/web"
)

// Hostile input against the real server and store: markup, SQL, header
// injection, swapped tokens, password guessing, oversized bodies. Each test
// checks what an attacker would look at: the pages, the database, the mails.

const mailFrom = "VRACOOP - Protection des données <dpo@vracoop.fr>"

// hostileForm is a complete submission that puts v in every free-text
// field (the shop's too: loyalty; the rectification's too).
func hostileForm(token, v, email string) url.Values {
	return url.Values{
		"csrf_token": {token}, "name": {v}, "email": {email}, "phone": {"06 12 34 56 78"},
		"relationship": {"loyalty"}, "shop_name": {v}, "shop_town": {v},
		"kinds": {"access", "rectification"}, "rectify_wrong": {v}, "rectify_correct": {v},
		"details": {v}, "website": {""},
	}
}

// submitForm posts form with a fresh CSRF token and wants a 303.
func (h *harness) submitForm(b *http.Client, form url.Values) {
	h.t.Helper()
	form.Set("csrf_token", h.do(b, "GET", "/", nil).csrf(h.t))
	if p := h.do(b, "POST", "/", form); p.status != http.StatusSeeOther {
		h.t.Fatalf("submit: status %d\n%s", p.status, p.body)
	}
}

// requestOf returns the one request filed with email.
func (h *harness) requestOf(email string) dsar.Request {
	h.t.Helper()
	ctx := context.Background()
	items, _, err := h.db.FindQueue(ctx, dsar.QueueFilter{Search: email, Today: dsar.DateOf(h.clock())})
	if err != nil {
		h.t.Fatal(err)
	}
	if len(items) != 1 {
		h.t.Fatalf("%d requests filed with %s, want 1", len(items), email)
	}
	r, err := h.db.FindRequestByRef(ctx, items[0].Ref)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// linkTo returns the path of the newest link of a kind ("c", "s") mailed to
// email.
func (h *harness) linkTo(email, kind string) string {
	h.t.Helper()
	mails := h.mailsTo(email)
	for i := len(mails) - 1; i >= 0; i-- {
		for _, m := range linkRe.FindAllStringSubmatch(mails[i].Text, -1) {
			if strings.HasPrefix(m[1], "/"+kind+"/") {
				return m[1]
			}
		}
	}
	h.t.Fatalf("no /%s/ link mailed to %s", kind, email)
	return ""
}

// confirmAs opens a confirmation link and presses its button.
func (h *harness) confirmAs(b *http.Client, link string) page {
	h.t.Helper()
	button := h.do(b, "GET", link, nil)
	return h.do(b, "POST", link, url.Values{"csrf_token": {button.csrf(h.t)}})
}

var jsURL = regexp.MustCompile(`(?i)(href|src|action|formaction|srcdoc)\s*=\s*["']?\s*javascript:`)

// checkEscaped fails when the markup v appears unescaped in an HTML
// document, or when it does not appear at all (escaped), which would
// make the check vacuous.
func checkEscaped(t *testing.T, where, doc, v string) {
	t.Helper()
	if strings.ContainsAny(v, `<>"`) && strings.Contains(doc, v) {
		t.Errorf("%s: %q appears unescaped", where, v)
	}
	for _, raw := range []string{"<script>alert", "<img src=x onerror"} {
		if strings.Contains(doc, raw) {
			t.Errorf("%s: %q in the markup", where, raw)
		}
	}
	if jsURL.MatchString(doc) {
		t.Errorf("%s: a javascript: URL in an attribute", where)
	}
	if !strings.Contains(doc, template.HTMLEscapeString(v)) {
		t.Errorf("%s: %q is not shown (escaped as %q)", where, v, template.HTMLEscapeString(v))
	}
}

var xssPayloads = []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `javascript:alert(1)`}

// TestScriptInjectionIsEscaped puts markup in every free-text field of the
// public form, and in staff's notes and questions, and looks for it on the
// pages staff read and in the mails people get.
func TestScriptInjectionIsEscaped(t *testing.T) {
	const email = "o'hara&co=1@example.fr" // quotes and ampersands are legal in an address
	for i, v := range xssPayloads {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			h := newHarness(t, nil)
			h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
			person := h.browser()
			h.submitForm(person, hostileForm("", v, email))
			r := h.requestOf(email)
			for field, got := range map[string]string{"name": r.Name, "shop_name": r.ShopName, "shop_town": r.ShopTown,
				"rectify_wrong": r.RectifyWrong, "rectify_correct": r.RectifyCorrect, "details": r.Details} {
				if got != v {
					t.Errorf("%s stored as %q, want %q verbatim", field, got, v)
				}
			}
			if p := h.confirmAs(person, h.linkTo(email, "c")); p.status != http.StatusOK {
				t.Fatalf("confirm: %d", p.status)
			}

			staff := h.browser()
			h.login(staff, "agent@vracoop.fr", staffPassword)
			queue := h.do(staff, "GET", "/staff/requests?status=all", nil)
			checkEscaped(t, "queue", queue.body, v)
			reqPath := "/staff/requests/" + r.Ref
			page := h.do(staff, "GET", reqPath, nil)
			checkEscaped(t, "request page", page.body, v)
			if want := template.HTMLEscapeString(email); !strings.Contains(page.body, want) {
				t.Errorf("request page does not show the address escaped as %q", want)
			}
			if n := strings.Count(page.body, template.HTMLEscapeString(v)); n < 6 {
				t.Errorf("request page shows the value %d times, want the 6 fields", n)
			}

			// Staff's own text: a note on the timeline, a question mailed.
			for _, action := range []string{"note", "ask"} {
				tok := h.do(staff, "GET", reqPath, nil).csrf(t)
				if p := h.do(staff, "POST", reqPath+"/"+action, url.Values{"csrf_token": {tok}, "text": {v}}); p.status != http.StatusSeeOther {
					t.Fatalf("%s: %d\n%s", action, p.status, p.body)
				}
			}
			checkEscaped(t, "request page after a note", h.do(staff, "GET", reqPath, nil).body, v)

			mails := h.mailsTo(email)
			if len(mails) != 3 {
				t.Fatalf("%d mails to the person, want confirmation, acknowledgment, question", len(mails))
			}
			for _, m := range mails {
				checkEscaped(t, "mail "+m.Subject, m.HTML, v)
				if strings.ContainsAny(m.Subject, "\r\n") {
					t.Errorf("subject %q has a line break", m.Subject)
				}
			}
		})
	}
}

// TestRefusedFormEchoesEscaped: a refused form comes back with what was
// typed, escaped, including values that are not among the choices.
func TestRefusedFormEchoesEscaped(t *testing.T) {
	h := newHarness(t, nil)
	b := h.browser()
	for _, v := range xssPayloads[:2] {
		form := hostileForm(h.do(b, "GET", "/", nil).csrf(t), v, v)
		form.Set("phone", v)
		form.Set("relationship", v)
		form["kinds"] = []string{v, "access"}
		p := h.do(b, "POST", "/", form)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", p.status)
		}
		checkEscaped(t, "refused form", p.body, v)
	}
	if n := h.count(); n != 0 {
		t.Errorf("%d requests stored", n)
	}
}

var sqlPayloads = []string{
	`' OR 1=1 --`,
	`Robert'); DROP TABLE requests;--`,
	`1; DELETE FROM outbox; --`,
	`" OR ""="`,
	`%' AND 1=1 AND '%'='`,
	`\'; SELECT sqlite_version(); --`,
}

var queueRowRe = regexp.MustCompile(`<a href="/staff/requests/(DSAR-\d{4}-\d{6})">`)

// TestSQLInjectionIsInert: SQL in the form is stored verbatim and changes
// nothing else; SQL in the queue's search and filters finds nothing and
// breaks nothing.
func TestSQLInjectionIsInert(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	person := h.browser()
	h.submitForm(person, validForm(""))
	emails := make([]string, len(sqlPayloads))
	for i, v := range sqlPayloads {
		emails[i] = fmt.Sprintf("x%d'or'1'='1@example.fr", i)
		h.submitForm(person, hostileForm("", v, emails[i]))
	}
	want := 1 + len(sqlPayloads)
	if n := h.count(); n != want {
		t.Fatalf("%d requests stored, want %d", n, want)
	}
	if n := h.outbox(); n != want {
		t.Errorf("%d mails in the outbox, want %d", n, want)
	}
	refOf := map[string]string{}
	for i, v := range sqlPayloads {
		r := h.requestOf(emails[i])
		refOf[emails[i]] = r.Ref
		if r.Name != v || r.Details != v || r.ShopName != v || r.RectifyCorrect != v || r.Email != emails[i] {
			t.Errorf("not stored verbatim: %q %q %q %q %q", r.Name, r.Details, r.ShopName, r.RectifyCorrect, r.Email)
		}
	}

	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	all := queueRowRe.FindAllStringSubmatch(h.do(b, "GET", "/staff/requests?status=all", nil).body, -1)
	if len(all) != want {
		t.Fatalf("the queue lists %d requests, want %d", len(all), want)
	}
	for _, q := range append(sqlPayloads, `%`, `_`, `DSAR-2026-%`, `DSAR-2026-00000_`, `') OR 1=1 --@x.fr`, `*`, "\x00") {
		p := h.do(b, "GET", "/staff/requests?status=all&q="+url.QueryEscape(q), nil)
		if p.status != http.StatusOK {
			t.Errorf("search %q: status %d", q, p.status)
			continue
		}
		if rows := queueRowRe.FindAllStringSubmatch(p.body, -1); len(rows) != 0 {
			t.Errorf("search %q found %d requests, want none", q, len(rows))
		}
	}
	for _, e := range emails {
		rows := queueRowRe.FindAllStringSubmatch(h.do(b, "GET", "/staff/requests?status=all&q="+url.QueryEscape(e), nil).body, -1)
		if len(rows) != 1 || rows[0][1] != refOf[e] {
			t.Errorf("search %q: %v, want %s only", e, rows, refOf[e])
		}
	}
	for _, query := range []string{
		"status=" + url.QueryEscape(`all' OR 1=1 --`), "kind=" + url.QueryEscape(`access') OR 1=1 --`),
		"role=" + url.QueryEscape(`controller OR 1`), "urgency=" + url.QueryEscape(`overdue'--`),
		"mine=" + url.QueryEscape(`1 OR 1=1`), "page=-1", "page=0", "page=99999999999999999999",
		"page=9223372036854775807", "page=184467440737095516", "status=all&page=2",
	} {
		p := h.do(b, "GET", "/staff/requests?"+query, nil)
		if p.status != http.StatusOK {
			t.Errorf("queue?%s: status %d", query, p.status)
		}
		if rows := queueRowRe.FindAllStringSubmatch(p.body, -1); len(rows) > want {
			t.Errorf("queue?%s: %d rows", query, len(rows))
		}
	}
	if n := h.count(); n != want {
		t.Errorf("%d requests after the searches, want %d", n, want)
	}
	if v, err := h.db.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Errorf("integrity check: %q, %v", v, err)
	}
}

// TestHeaderInjectionRefused: line breaks in the name or the address are
// refused by validation; a name or address with quotes and Unicode makes a
// To: header that parses back to exactly the one address.
func TestHeaderInjectionRefused(t *testing.T) {
	h := newHarness(t, nil)
	b := h.browser()
	for _, tt := range []struct{ field, v string }{
		{"name", "Jeanne\r\nBcc: victim@example.org"},
		{"name", "Jeanne\nBcc: victim@example.org"},
		{"name", "Jeanne\rBcc: victim@example.org"},
		{"email", "jeanne@example.fr\r\nBcc: victim@example.org"},
		{"email", "jeanne@example.fr\nBcc: victim@example.org"},
		{"email", "jeanne@example.fr, victim@example.org"},
		{"email", "Jeanne <jeanne@example.fr>"},
		{"shop_name", "Vrac\r\nBcc: victim@example.org"},
	} {
		form := hostileForm(h.do(b, "GET", "/", nil).csrf(t), "Jeanne", "jeanne@example.fr")
		form.Set(tt.field, tt.v)
		p := h.do(b, "POST", "/", form)
		if p.status != http.StatusUnprocessableEntity || p.fieldError(tt.field) == "" {
			t.Errorf("%s = %q: status %d, field error %q", tt.field, tt.v, p.status, p.fieldError(tt.field))
		}
	}
	if n := h.count(); n != 0 {
		t.Fatalf("%d requests stored", n)
	}

	name, email := `Jeanne "la Grande" D'Arcy-Müller, née <Ø> ; =?utf-8?q?x?=`, "o'hara+dsar@exemple.fr"
	form := hostileForm("", name, email)
	h.submitForm(b, form)
	mails := h.mailsTo(email)
	if len(mails) != 1 {
		t.Fatalf("%d mails", len(mails))
	}
	hdr := buildAndParse(t, mails[0])
	to, err := hdr.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != email {
		t.Errorf("To: %q parses as %v, %v; want %s only", hdr.Get("To"), to, err, email)
	}
	for _, k := range []string{"Bcc", "Cc"} {
		if hdr.Get(k) != "" {
			t.Errorf("%s: %q", k, hdr.Get(k))
		}
	}

	// The outbox row is what the sender gets: a display name with quotes,
	// commas, Unicode, an encoded word or even a line break stays inside
	// the one To: address, and a raw line break in the address is refused.
	for _, n := range []string{name, "Dupont, Jeanne", "Jeanne\r\nBcc: victim@example.org", "\"\\\"", "李小龍 <x@y.z>"} {
		m := mails[0]
		m.To = (&netmail.Address{Name: n, Address: email}).String()
		hdr := buildAndParse(t, m)
		to, err := hdr.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != email || to[0].Name != n {
			t.Errorf("name %q: To: %q parses as %v, %v", n, hdr.Get("To"), to, err)
		}
		if hdr.Get("Bcc") != "" {
			t.Errorf("name %q injected Bcc: %q", n, hdr.Get("Bcc"))
		}
	}
	for _, to := range []string{"jeanne@example.fr\r\nBcc: victim@example.org", "jeanne@example.fr\nBcc: victim@example.org"} {
		m := mails[0]
		m.To = to
		if _, err := mail.BuildMessage(m, mailFrom); !errors.Is(err, mail.ErrInvalidRecipient) {
			t.Errorf("To %q: %v, want ErrInvalidRecipient", to, err)
		}
	}
	m := mails[0]
	m.Subject = "Demande\r\nBcc: victim@example.org"
	if hdr := buildAndParse(t, m); hdr.Get("Bcc") != "" || len(hdr["Subject"]) != 1 {
		t.Errorf("a line break in the subject made headers: %v", hdr)
	}
}

// buildAndParse builds m as the SMTP sender would and reads its headers
// back as a receiving server would.
func buildAndParse(t *testing.T, m dsar.Mail) netmail.Header {
	t.Helper()
	msg, err := mail.BuildMessage(m, mailFrom)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	parsed, err := netmail.ReadMessage(&buf)
	if err != nil {
		t.Fatalf("the message does not parse: %v", err)
	}
	return parsed.Header
}

// TestTokenLinksOpenOnlyTheirRequest: with two requests, each link opens
// its own request and purpose only, and nothing opens after expiry.
func TestTokenLinksOpenOnlyTheirRequest(t *testing.T) {
	h := newHarness(t, nil)
	a, b := h.browser(), h.browser()
	formA, formB := validForm(""), validForm("")
	formA.Set("email", "anne@example.fr")
	formB.Set("email", "bruno@example.fr")
	h.submitForm(a, formA)
	h.submitForm(b, formB)
	refA, refB := h.requestOf("anne@example.fr").Ref, h.requestOf("bruno@example.fr").Ref
	cA, cB := h.linkTo("anne@example.fr", "c"), h.linkTo("bruno@example.fr", "c")

	opens := func(t *testing.T, c *http.Client, path, ref, other string) {
		t.Helper()
		p := h.do(c, "GET", path, nil)
		if p.status != http.StatusOK || !strings.Contains(p.body, ref) || strings.Contains(p.body, other) {
			t.Errorf("GET %s: status %d, shows %s: %v, shows %s: %v", path, p.status, ref, strings.Contains(p.body, ref), other, strings.Contains(p.body, other))
		}
	}
	opens(t, b, cA, refA, refB) // whoever holds A's link sees A, and only A
	opens(t, a, cB, refB, refA)

	// Pressing the button on A's link confirms A, not B.
	if p := h.confirmAs(b, cA); p.status != http.StatusOK || !strings.Contains(p.body, refA) {
		t.Fatalf("confirm A: %d", p.status)
	}
	if r := h.requestOf("bruno@example.fr"); r.Status != dsar.StatusAwaitingConfirmation {
		t.Errorf("confirming A changed B to %s", r.Status)
	}
	sA := h.linkTo("anne@example.fr", "s")
	opens(t, b, sA, refA, refB)

	// Mixed purposes, altered tokens: not found, and nothing said.
	tokA, tokB, tokSA := cA[3:], cB[3:], sA[3:]
	for _, path := range []string{
		"/s/" + tokA, "/s/" + tokB, "/c/" + tokSA, "/d/" + tokSA, "/d/" + tokB,
		"/c/" + strings.ToUpper(tokB), "/c/" + tokB[:42], "/c/" + tokB + "A", "/c/" + tokB[1:] + tokB[:1],
		"/c/" + url.PathEscape(tokB + "\n")[:0] + tokB[:42] + "%0A", "/s/" + tokSA[:42] + "%00",
	} {
		p := h.do(a, "GET", path, nil)
		if p.status != http.StatusNotFound || strings.Contains(p.body, refA) || strings.Contains(p.body, refB) {
			t.Errorf("GET %s: status %d", path, p.status)
		}
	}
	if p := h.do(a, "POST", "/c/"+tokSA, url.Values{"csrf_token": {h.do(a, "GET", cB, nil).csrf(t)}}); p.status != http.StatusNotFound {
		t.Errorf("a status token confirmed: %d", p.status)
	}
	if r := h.requestOf("bruno@example.fr"); r.Status != dsar.StatusAwaitingConfirmation {
		t.Errorf("B is %s", r.Status)
	}
	// Used up: A's confirmation link says so and opens nothing.
	if p := h.do(a, "GET", cA, nil); p.status != http.StatusConflict || strings.Contains(p.body, refA) {
		t.Errorf("used confirmation link: %d", p.status)
	}

	// After the confirmation TTL, B's link is dead, even for its button.
	button := h.do(b, "GET", cB, nil)
	h.advance(7*24*time.Hour + time.Second)
	for _, p := range []page{h.do(b, "GET", cB, nil), h.do(b, "POST", cB, url.Values{"csrf_token": {button.csrf(t)}})} {
		if p.status != http.StatusGone || strings.Contains(p.body, refB) {
			t.Errorf("expired confirmation link: %d", p.status)
		}
	}
	if r := h.requestOf("bruno@example.fr"); r.Status != dsar.StatusAwaitingConfirmation {
		t.Errorf("an expired link confirmed B: %s", r.Status)
	}
	// After the status TTL, A's status link is dead too.
	opens(t, a, sA, refA, refB)
	h.advance(180 * 24 * time.Hour)
	if p := h.do(a, "GET", sA, nil); p.status != http.StatusGone || strings.Contains(p.body, refA) {
		t.Errorf("expired status link: %d", p.status)
	}
}

// TestLoginBruteForce: guessing one account's password locks it; guessing
// across accounts hits the per-address limit, which a forged
// X-Forwarded-For does not get around.
func TestLoginBruteForce(t *testing.T) {
	t.Run("one account", func(t *testing.T) {
		h := newHarness(t, nil)
		h.addStaff("claire@vracoop.fr", dsar.StaffAgent)
		b := h.browser()
		for i := 1; i <= dsar.MaxFailedLogins+3; i++ {
			p := h.login(b, "claire@vracoop.fr", fmt.Sprintf("guess number %d", i))
			want := http.StatusUnauthorized
			if i >= dsar.MaxFailedLogins {
				want = http.StatusTooManyRequests
			}
			if p.status != want {
				t.Errorf("guess %d: %d, want %d", i, p.status, want)
			}
		}
		if p := h.login(b, "claire@vracoop.fr", staffPassword); p.status != http.StatusTooManyRequests || strings.Contains(p.header.Get("Set-Cookie"), "dsar_session") {
			t.Errorf("the right password during the lockout: %d", p.status)
		}
	})
	t.Run("many accounts, one address", func(t *testing.T) {
		h := newHarness(t, nil)
		var accounts []string
		for i := range 4 {
			accounts = append(accounts, fmt.Sprintf("agent%d@vracoop.fr", i))
			h.addStaff(accounts[i], dsar.StaffAgent)
		}
		b := h.browser()
		form := h.do(b, "GET", "/staff/login", nil)
		try := func(i int, email, pw string) page {
			forged := fmt.Sprintf("203.0.113.%d", i)
			return h.do(b, "POST", "/staff/login", url.Values{"csrf_token": {form.csrf(t)}, "email": {email}, "password": {pw}},
				"X-Forwarded-For", forged, "X-Real-IP", forged, "True-Client-IP", forged)
		}
		const burst = 10 // loginBurst
		for i := range burst {
			// Never more than MaxFailedLogins-1 guesses on one account:
			// no lockout, only the address's limit can stop this.
			if p := try(i, accounts[i%len(accounts)], "wrong guess"); p.status != http.StatusUnauthorized {
				t.Fatalf("guess %d: %d", i+1, p.status)
			}
		}
		p := try(burst, accounts[0], "wrong guess")
		if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" {
			t.Errorf("guess %d: %d, Retry-After %q", burst+1, p.status, p.header.Get("Retry-After"))
		}
		if p := try(burst+1, accounts[3], staffPassword); p.status != http.StatusTooManyRequests {
			t.Errorf("the right password past the limit: %d", p.status)
		}
		// 60 an hour: one more a minute later.
		h.advance(time.Minute + time.Second)
		if p := try(burst+2, accounts[3], staffPassword); p.status != http.StatusSeeOther {
			t.Errorf("a minute later: %d", p.status)
		}
	})
	t.Run("form posts, forged addresses", func(t *testing.T) {
		h := newHarness(t, func(o *web.Options) { o.RateLimit, o.RateBurst = 2, 2 })
		b := h.browser()
		for i := range 3 {
			form := validForm(h.do(b, "GET", "/", nil).csrf(t))
			forged := fmt.Sprintf("198.51.100.%d", i)
			p := h.do(b, "POST", "/", form, "X-Forwarded-For", forged, "X-Real-IP", forged)
			want := http.StatusSeeOther
			if i == 2 {
				want = http.StatusTooManyRequests
			}
			if p.status != want {
				t.Errorf("post %d: %d, want %d", i+1, p.status, want)
			}
		}
		if n := h.count(); n != 2 {
			t.Errorf("%d requests stored", n)
		}
	})
}

// bigValue is over the 64 KiB any post may weigh.
var bigValue = strings.Repeat("A", 70<<10)

// TestOversizedBodies posts more than the limit to every POST route, with
// a valid CSRF token at the front: each is refused and nothing changes.
func TestOversizedBodies(t *testing.T) {
	ctx := context.Background()
	h, staff, _ := staffOn(t)
	h.addStaff("admin@vracoop.fr", dsar.StaffAdmin)
	admin := h.browser()
	h.login(admin, "admin@vracoop.fr", staffPassword)
	person := h.browser()
	second := validForm("")
	second.Set("email", "second@example.fr")
	h.submitForm(person, second) // DSAR-2026-000002, awaiting confirmation
	confirm := h.lastLink("c")
	r1 := h.request()
	events := func() int {
		evs, err := h.db.RequestEvents(ctx, r1.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(evs)
	}
	staffCount := func() int {
		l, err := h.db.ListStaff(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(l)
	}
	requests, outbox, evs, accounts := h.count(), h.outbox(), events(), staffCount()

	staffTok := h.do(staff, "GET", reqURL, nil).csrf(t)
	adminTok := h.do(admin, "GET", "/staff/users", nil).csrf(t)
	posts := []struct {
		name   string
		client *http.Client
		path   string
		form   url.Values
	}{
		{"public form", person, "/", hostileForm(h.do(person, "GET", "/", nil).csrf(t), bigValue, "big@example.fr")},
		{"confirm", person, confirm, url.Values{"csrf_token": {h.do(person, "GET", confirm, nil).csrf(t)}, "pad": {bigValue}}},
		{"login", h.browser(), "/staff/login", nil},
		{"note", staff, reqURL + "/note", url.Values{"csrf_token": {staffTok}, "text": {bigValue}}},
		{"ask", staff, reqURL + "/ask", url.Values{"csrf_token": {staffTok}, "text": {bigValue}}},
		{"lookup", staff, reqURL + "/lookup", url.Values{"csrf_token": {staffTok}, "pad": {bigValue}}},
		{"plan", staff, "/staff/plans/" + r1.Ref + "/draft", url.Values{"csrf_token": {staffTok}, "pad": {bigValue}}},
		{"new request", staff, "/staff/requests/new", hostileForm(staffTok, bigValue, "entered@example.fr")},
		{"logout", staff, "/staff/logout", url.Values{"csrf_token": {staffTok}, "pad": {bigValue}}},
		{"user add", admin, "/staff/users", url.Values{"csrf_token": {adminTok}, "email": {"new@vracoop.fr"}, "name": {"N"}, "role": {"agent"}, "password": {staffPassword}, "pad": {bigValue}}},
		{"user action", admin, "/staff/users/1/disable", url.Values{"csrf_token": {adminTok}, "pad": {bigValue}}},
		{"forward", staff, reqURL + "/forward", url.Values{"csrf_token": {staffTok}, "pad": {bigValue}}},
		{"package confirm", staff, "/staff/package/" + r1.Ref + "/confirm", url.Values{"csrf_token": {staffTok}, "pad": {bigValue}}},
		{"package release", staff, "/staff/package/" + r1.Ref + "/release", url.Values{"csrf_token": {staffTok}, "pad": {bigValue}}},
		{"shop add", admin, "/staff/shops", url.Values{"csrf_token": {adminTok}, "name": {"Vrac"}, "pad": {bigValue}}},
		{"download code", person, "/d/" + strings.Repeat("A", 43) + "/code", url.Values{"csrf_token": {"x"}, "pad": {bigValue}}},
		{"download", person, "/d/" + strings.Repeat("A", 43), url.Values{"csrf_token": {"x"}, "pad": {bigValue}}},
		{"shop answer", person, "/shop/" + strings.Repeat("A", 43) + "/done", url.Values{"csrf_token": {"x"}, "pad": {bigValue}}},
	}
	loginForm := h.do(posts[2].client, "GET", "/staff/login", nil)
	posts[2].form = url.Values{"csrf_token": {loginForm.csrf(t)}, "email": {"agent@vracoop.fr"}, "password": {staffPassword}, "pad": {bigValue}}
	for _, tt := range posts {
		t.Run(tt.name, func(t *testing.T) {
			// csrf_token first: the server sees a valid token if it reads
			// the beginning of the body only.
			body := "csrf_token=" + url.QueryEscape(tt.form.Get("csrf_token"))
			rest := url.Values{}
			for k, v := range tt.form {
				if k != "csrf_token" {
					rest[k] = v
				}
			}
			body += "&" + rest.Encode()
			req, err := http.NewRequest("POST", h.srv.URL+tt.path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := tt.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			// Refused as too large, before anything else is read:
			// not as a form with a bad CSRF token, nor as a link that
			// opens nothing.
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 413", resp.StatusCode)
			}
			if strings.Contains(resp.Header.Get("Set-Cookie"), "dsar_session=") && !strings.Contains(resp.Header.Get("Set-Cookie"), "dsar_session=;") {
				t.Errorf("a session was started")
			}
		})
	}
	if n := h.count(); n != requests {
		t.Errorf("%d requests, want %d", n, requests)
	}
	if n := h.outbox(); n != outbox {
		t.Errorf("%d mails, want %d", n, outbox)
	}
	if n := events(); n != evs {
		t.Errorf("%d events on %s, want %d", n, r1.Ref, evs)
	}
	if n := staffCount(); n != accounts {
		t.Errorf("%d accounts, want %d", n, accounts)
	}
	if r := h.requestOf("second@example.fr"); r.Status != dsar.StatusAwaitingConfirmation {
		t.Errorf("an oversized post confirmed the request: %s", r.Status)
	}
	if p := h.do(staff, "GET", "/staff", nil); p.status != http.StatusOK {
		t.Errorf("an oversized logout ended the session: %d", p.status)
	}
	if s, err := h.db.StaffByID(ctx, 1); err != nil || !s.Active {
		t.Errorf("an oversized post disabled account 1: %+v, %v", s, err)
	}
	if p, err := h.db.LatestPlan(ctx, r1.ID); err == nil {
		t.Errorf("an oversized post made a plan: %+v", p)
	}
}

// TestOversizedBodiesAnswer413: every POST route that reads a form should
// say the post is too large, as the public form does, rather than
// "the form expired".
func TestOversizedBodiesAnswer413(t *testing.T) {
	h, staff, _ := staffOn(t)
	tok := h.do(staff, "GET", reqURL, nil).csrf(t)
	person := h.browser()
	h.submitForm(person, validForm(""))
	confirm := h.lastLink("c")
	ptok := h.do(person, "GET", confirm, nil).csrf(t)
	loginB := h.browser()
	ltok := h.do(loginB, "GET", "/staff/login", nil).csrf(t)
	var wrong []string
	for _, tt := range []struct {
		c          *http.Client
		path, csrf string
	}{{person, "/", h.do(person, "GET", "/", nil).csrf(t)}, {person, confirm, ptok}, {loginB, "/staff/login", ltok}, {staff, reqURL + "/note", tok}} {
		p := h.do(tt.c, "POST", tt.path, url.Values{"csrf_token": {tt.csrf}, "text": {bigValue}})
		if p.status != http.StatusRequestEntityTooLarge {
			wrong = append(wrong, fmt.Sprintf("%s: %d", tt.path, p.status))
		}
	}
	if len(wrong) > 0 {
		t.Fatalf("oversized posts are answered as CSRF failures, not 413: %s", strings.Join(wrong, ", "))
	}
}

var linkAttrRe = regexp.MustCompile(`(?:href|src|action)="(/[^"]*)"`)

// headerRules checks the security headers of one response.
func headerRules(t *testing.T, path string, status int, hdr http.Header, hsts bool) {
	t.Helper()
	csp := hdr.Get("Content-Security-Policy")
	switch {
	case csp == "":
		t.Errorf("%s (%d): no Content-Security-Policy", path, status)
	case strings.Contains(csp, "sandbox"):
		// A mail's HTML part, framed by the staff preview in a sandbox:
		// mail HTML needs inline styles, and this page allows them and
		// nothing else.
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") ||
			strings.Count(csp, "'unsafe-inline'") != 1 || !strings.Contains(csp, "style-src 'unsafe-inline'") ||
			!strings.Contains(csp, "frame-ancestors 'self'") {
			t.Errorf("%s (%d): sandboxed Content-Security-Policy = %q", path, status, csp)
		}
	case strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'"):
		t.Errorf("%s (%d): Content-Security-Policy = %q", path, status, csp)
	}
	if hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s (%d): X-Content-Type-Options = %q", path, status, hdr.Get("X-Content-Type-Options"))
	}
	// Older browsers that ignore frame-ancestors still refuse framing; the
	// sandboxed mail preview is framed by the staff page (same origin).
	if got := hdr.Get("X-Frame-Options"); got != "DENY" && !(strings.Contains(csp, "sandbox") && got == "SAMEORIGIN") {
		t.Errorf("%s (%d): X-Frame-Options = %q", path, status, got)
	}
	if got := hdr.Get("Cross-Origin-Opener-Policy"); got != "same-origin" {
		t.Errorf("%s (%d): Cross-Origin-Opener-Policy = %q", path, status, got)
	}
	if got := hdr.Get("Permissions-Policy"); !strings.Contains(got, "camera=()") || !strings.Contains(got, "geolocation=()") {
		t.Errorf("%s (%d): Permissions-Policy = %q", path, status, got)
	}
	// Token pages always (the token is in the URL, even of an error);
	// back-office pages that staff reach (a search may put an address in
	// the URL). A 404 or 405 under /staff shows nothing of the kind.
	secret := strings.HasPrefix(path, "/c/") || strings.HasPrefix(path, "/s/") || strings.HasPrefix(path, "/d/") ||
		strings.HasPrefix(path, "/staff") && !strings.HasPrefix(path, "/staff/login") && status < 400
	if got := hdr.Get("Referrer-Policy"); secret && got != "no-referrer" {
		t.Errorf("%s (%d): Referrer-Policy = %q on a secret page", path, status, got)
	}
	if got := hdr.Get("Strict-Transport-Security"); hsts != (got != "") || hsts && !strings.Contains(got, "max-age=") {
		t.Errorf("%s (%d): Strict-Transport-Security = %q (want it: %v)", path, status, got, hsts)
	}
}

// crawl GETs start and every same-site link, image, frame and form action
// reachable from it (at most limit pages), and checks each response.
func (h *harness) crawl(t *testing.T, c *http.Client, hsts bool, limit int, start ...string) int {
	t.Helper()
	seen := map[string]bool{}
	queue := append([]string(nil), start...)
	for len(queue) > 0 && len(seen) < limit {
		path := queue[0]
		queue = queue[1:]
		if seen[path] || strings.HasPrefix(path, "/staff/logout") {
			continue
		}
		seen[path] = true
		p := h.do(c, "GET", path, nil)
		if p.status >= 500 {
			t.Errorf("GET %s: %d", path, p.status)
		}
		headerRules(t, path, p.status, p.header, hsts)
		for _, m := range linkAttrRe.FindAllStringSubmatch(p.body, -1) {
			if next := html.UnescapeString(m[1]); !seen[next] {
				queue = append(queue, next)
			}
		}
	}
	return len(seen)
}

// TestSecurityHeadersOnEveryPage crawls the public pages, the token pages
// and, logged in, the back office, plus error pages, and checks each
// response's security headers.
func TestSecurityHeadersOnEveryPage(t *testing.T) {
	h, staff, _ := staffOn(t)
	h.do(staff, "POST", reqURL+"/note", url.Values{"csrf_token": {h.do(staff, "GET", reqURL, nil).csrf(t)}, "text": {"vu"}})
	person := h.browser()
	h.submitForm(person, validForm(""))
	starts := []string{"/", "/submitted", "/privacy", "/healthz", "/static/style.css", "/nope", "/c/garbage",
		"/s/" + strings.Repeat("A", 43), "/d/" + strings.Repeat("A", 43), h.lastLink("c"), h.lastLink("s"), "/staff/login"}
	n := h.crawl(t, person, false, 60, starts...)
	m := h.crawl(t, staff, false, 150, "/staff", "/staff/requests?status=all", reqURL, "/staff/nope", "/staff/requests/DSAR-2026-999999")
	if n < 10 || m < 10 {
		t.Errorf("crawled %d public and %d staff pages: too few to mean anything", n, m)
	}
	// Errors that are not GETs.
	for _, p := range []page{
		h.do(person, "POST", "/", url.Values{"csrf_token": {"forged"}}),
		h.do(person, "POST", "/", url.Values{"csrf_token": {h.do(person, "GET", "/", nil).csrf(t)}, "details": {bigValue}}),
		h.do(person, "POST", "/", validForm(h.do(person, "GET", "/", nil).csrf(t)), "Content-Type", "text/plain"),
		h.do(person, "DELETE", "/", nil),
		h.do(person, "POST", "/healthz", nil),
	} {
		headerRules(t, "/ (error)", p.status, p.header, false)
	}
}

// TestHSTSOverHTTPS: with an https:// base URL every answer carries HSTS,
// and the cookies are Secure.
func TestHSTSOverHTTPS(t *testing.T) {
	h := newHarness(t, func(o *web.Options) { o.BaseURL = "https://dsar.test" })
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	b := h.browser()
	form := h.do(b, "GET", "/", nil)
	if c := form.header.Get("Set-Cookie"); !strings.Contains(c, "dsar_csrf=") || !strings.Contains(c, "Secure") {
		t.Errorf("CSRF cookie over HTTPS: %q", c)
	}
	h.crawl(t, b, true, 30, "/", "/submitted", "/privacy", "/healthz", "/static/style.css", "/nope", "/c/garbage",
		"/s/"+strings.Repeat("A", 43), "/staff/login", "/staff", "/staff/requests")

	// The harness serves plain HTTP, so the browser keeps Secure cookies
	// to itself: send them by hand, as a browser behind TLS would.
	cookie := regexp.MustCompile(`dsar_csrf=([^;]+)`).FindStringSubmatch(form.header.Get("Set-Cookie"))
	if cookie == nil {
		t.Fatal("no CSRF cookie")
	}
	login := h.do(h.browser(), "GET", "/staff/login", nil, "Cookie", "dsar_csrf="+cookie[1])
	p := h.do(h.browser(), "POST", "/staff/login", url.Values{"csrf_token": {login.csrf(t)}, "email": {"agent@vracoop.fr"}, "password": {staffPassword}},
		"Cookie", "dsar_csrf="+cookie[1])
	session := regexp.MustCompile(`dsar_session=([^;]+)`).FindStringSubmatch(p.header.Get("Set-Cookie"))
	if p.status != http.StatusSeeOther || session == nil || !strings.Contains(p.header.Get("Set-Cookie"), "Secure") {
		t.Fatalf("login over HTTPS: %d %q", p.status, p.header.Get("Set-Cookie"))
	}
	headerRules(t, "/staff/login (POST)", p.status, p.header, true)
	for _, path := range []string{"/staff", "/staff/requests", "/staff/register", "/staff/requests/new", "/staff/nope"} {
		p := h.do(h.browser(), "GET", path, nil, "Cookie", "dsar_session="+session[1])
		if p.status != http.StatusOK && p.status != http.StatusNotFound {
			t.Errorf("GET %s logged in over HTTPS: %d", path, p.status)
		}
		headerRules(t, path, p.status, p.header, true)
	}
}
