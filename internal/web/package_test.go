package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/odoo/odootest"
)

var codeRe = regexp.MustCompile(`(?m)^\s+(\d{6})\s*$`)

// TestAccessPackageDelivery: staff preview and release the package; the
// person gets a link, asks for a code sent in a second mail, and downloads
// the ZIP; wrong codes lock the link; the link dies at expiry.
func TestAccessPackageDelivery(t *testing.T) {
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	client, err := odoo.New(odoo.Config{Name: "VRACOOP", URL: srv.URL(), DB: srv.DB(), Login: odootest.DefaultLogin, Password: odootest.DefaultAPIKey}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, nil)
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	person := h.browser()
	form := validForm(h.do(person, "GET", "/", nil).csrf(t))
	form.Set("email", "camille.durand@exemple.fr")
	form.Set("name", "Camille Durand")
	form["kinds"] = []string{"access", "portability"}
	h.do(person, "POST", "/", form)
	h.confirmLast()
	r := h.request()
	l := odoo.Lookup(context.Background(), []*odoo.Client{client}, odoo.Identifiers{Emails: []string{r.Email}, Name: r.Name}, h.clock, 4)
	if err := h.db.FinishLookup(context.Background(), r.ID, l, nil, h.clock()); err != nil {
		t.Fatal(err)
	}

	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	page := h.do(b, "GET", reqURL, nil)
	if !strings.Contains(page.body, "enregistrements iront dans le paquet") || !strings.Contains(page.body, "Toulouse") && !strings.Contains(page.body, "res.partner/11") {
		t.Errorf("package section: excluded homonym not listed:\n%s", page.body)
	}
	preview := h.do(b, "GET", "/staff/package/DSAR-2026-000001/preview.zip", nil)
	zr, err := zip.NewReader(bytes.NewReader([]byte(preview.body)), int64(len(preview.body)))
	if preview.status != http.StatusOK || err != nil || len(zr.File) < 3 {
		t.Fatalf("preview: %d %v", preview.status, err)
	}
	if strings.Contains(preview.body, "c.durand@example.fr") {
		t.Errorf("the homonym's data is in the package")
	}

	// Staff confirm the homonym by mistake? No: they confirm nothing, and
	// release.
	p := h.do(b, "POST", "/staff/package/DSAR-2026-000001/release", url.Values{"csrf_token": {page.csrf(t)}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("release: %d\n%s", p.status, p.body)
	}
	mails := h.mailsTo("camille.durand@exemple.fr")
	ready := mails[len(mails)-1]
	if !strings.Contains(ready.Subject, "Vos données sont prêtes") || strings.Contains(ready.Text, ".zip") {
		t.Fatalf("package mail: %s\n%s", ready.Subject, ready.Text)
	}
	link := regexp.MustCompile(`http://dsar\.test(/d/[A-Za-z0-9_-]{43})`).FindStringSubmatch(ready.Text)
	if link == nil {
		t.Fatalf("no download link:\n%s", ready.Text)
	}
	dl := h.browser()
	// The link alone gives nothing but a page asking for a code.
	first := h.do(dl, "GET", link[1], nil)
	if first.status != http.StatusOK || !strings.Contains(first.body, "M&#39;envoyer le code") || first.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("download page: %d", first.status)
	}
	if p := h.do(dl, "POST", link[1], url.Values{"csrf_token": {first.csrf(t)}, "code": {"123456"}}); p.status != http.StatusUnauthorized {
		t.Errorf("download without asking for a code: %d", p.status)
	}
	sent := h.do(dl, "POST", link[1]+"/code", url.Values{"csrf_token": {first.csrf(t)}})
	if sent.status != http.StatusOK || !strings.Contains(sent.body, "Code reçu par e-mail") {
		t.Fatalf("send code: %d", sent.status)
	}
	mails = h.mailsTo("camille.durand@exemple.fr")
	codeMail := mails[len(mails)-1]
	code := codeRe.FindStringSubmatch(codeMail.Text)
	if !strings.Contains(codeMail.Subject, "code") || code == nil {
		t.Fatalf("code mail: %s\n%s", codeMail.Subject, codeMail.Text)
	}
	if p := h.do(dl, "POST", link[1]+"/code", url.Values{"csrf_token": {first.csrf(t)}}); p.status != http.StatusTooManyRequests {
		t.Errorf("a second code at once: %d", p.status)
	}
	wrong := "000000"
	if code[1] == wrong {
		wrong = "111111"
	}
	if p := h.do(dl, "POST", link[1], url.Values{"csrf_token": {first.csrf(t)}, "code": {wrong}}); p.status != http.StatusUnauthorized || !strings.Contains(p.body, "Il vous reste 4 essais") {
		t.Errorf("wrong code: %d", p.status)
	}
	got := h.do(dl, "POST", link[1], url.Values{"csrf_token": {first.csrf(t)}, "code": {code[1]}})
	if got.status != http.StatusOK || got.header.Get("Content-Type") != "application/zip" {
		t.Fatalf("download: %d %s", got.status, got.header.Get("Content-Type"))
	}
	if _, err := zip.NewReader(bytes.NewReader([]byte(got.body)), int64(len(got.body))); err != nil {
		t.Errorf("the download is not a ZIP: %v", err)
	}
	if p := h.do(dl, "POST", link[1], url.Values{"csrf_token": {first.csrf(t)}, "code": {code[1]}}); p.status == http.StatusOK {
		t.Errorf("a code was used twice")
	}

	// Five wrong codes lock the link, even for the right code.
	h.advance(2 * time.Minute)
	h.do(dl, "POST", link[1]+"/code", url.Values{"csrf_token": {first.csrf(t)}})
	mails = h.mailsTo("camille.durand@exemple.fr")
	code = codeRe.FindStringSubmatch(mails[len(mails)-1].Text)
	for range dsar.MaxCodeAttempts {
		h.do(dl, "POST", link[1], url.Values{"csrf_token": {first.csrf(t)}, "code": {wrong}})
	}
	if p := h.do(dl, "POST", link[1], url.Values{"csrf_token": {first.csrf(t)}, "code": {code[1]}}); p.status != http.StatusForbidden || !strings.Contains(p.body, "bloqué") {
		t.Errorf("locked link: %d", p.status)
	}
	log := strings.Join(h.auditActions(), ",")
	for _, want := range []string{"package_release", "package_download", "package_locked"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit lacks %s", want)
		}
	}

	// At expiry the file goes and the link opens nothing.
	h.advance(31 * 24 * time.Hour)
	expired, err := h.db.ExpirePackages(context.Background(), h.clock())
	if err != nil || len(expired) != 1 {
		t.Fatalf("expire: %v %v", expired, err)
	}
	if p := h.do(dl, "GET", link[1], nil); p.status != http.StatusNotFound && p.status != http.StatusGone {
		t.Errorf("expired link: %d", p.status)
	}
}
