package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail/smtptest"
	"github.com/vracoop/dsar/internal/sqlite"
)

// service is the real main wiring, running on a temp directory and port 0.
type service struct {
	t      *testing.T
	url    string
	cancel context.CancelFunc
	done   chan error
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startService(t *testing.T, env map[string]string) *service {
	t.Helper()
	getenv := func(k string) string { return env[k] }
	ctx, cancel := context.WithCancel(context.Background())
	s := &service{t: t, cancel: cancel, done: make(chan error, 1), logs: &syncBuffer{}}
	ready := make(chan string, 1)
	go func() {
		s.done <- run(ctx, []string{"serve"}, getenv, strings.NewReader(""), s.logs, func(addr string) { ready <- addr })
	}()
	select {
	case addr := <-ready:
		s.url = "http://" + addr
	case err := <-s.done:
		t.Fatalf("service did not start: %v\n%s", err, s.logs)
	case <-time.After(10 * time.Second):
		t.Fatal("service did not start in time")
	}
	t.Cleanup(s.stop)
	return s
}

func (s *service) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	if err := <-s.done; err != nil {
		s.t.Errorf("service stopped with %v", err)
	}
}

func baseEnv(t *testing.T, smtp *smtptest.Server) map[string]string {
	env := map[string]string{
		"DSAR_ADDR": "127.0.0.1:0", "DSAR_DATA_DIR": t.TempDir(), "DSAR_BASE_URL": "http://dsar.test",
		"DSAR_MAIL_RETRY_MIN": "100ms", "DSAR_MAIL_RETRY_MAX": "300ms", "DSAR_LOG_LEVEL": "debug",
	}
	if smtp != nil {
		env["DSAR_SMTP_HOST"] = smtp.Host()
		env["DSAR_SMTP_PORT"] = fmt.Sprint(smtp.Port())
		env["DSAR_SMTP_TLS"] = "none"
	}
	return env
}

// person is a browser with cookies.
type person struct {
	t *testing.T
	c *http.Client
}

func newPerson(t *testing.T) *person {
	jar, _ := cookiejar.New(nil)
	return &person{t: t, c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

func (p *person) get(u string) string {
	p.t.Helper()
	resp, err := p.c.Get(u)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("GET %s: %s\n%s", u, resp.Status, b)
	}
	return string(b)
}

func (p *person) post(u string, form url.Values) string {
	p.t.Helper()
	resp, err := p.c.PostForm(u, form)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("POST %s: %s\n%s", u, resp.Status, b)
	}
	return string(b)
}

var (
	csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	linkRe = regexp.MustCompile(`http://dsar\.test(/[cs]/[A-Za-z0-9_-]{43})`)
	refRe  = regexp.MustCompile(`DSAR-\d{4}-\d{6}`)
)

func csrf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in:\n%s", page)
	}
	return m[1]
}

// link returns the path of the first link of a kind ("c" to confirm, "s"
// for the status page) in a mail's text.
func link(t *testing.T, kind, text string) string {
	t.Helper()
	for _, m := range linkRe.FindAllStringSubmatch(text, -1) {
		if strings.HasPrefix(m[1], "/"+kind+"/") {
			return m[1]
		}
	}
	t.Fatalf("no /%s/ link in:\n%s", kind, text)
	return ""
}

// submit fills in the form as a person would and returns the page that
// follows.
func (p *person) submit(base, email, lang string) string {
	page := p.get(base + "/?lang=" + lang)
	return p.post(base+"/", url.Values{
		"csrf_token": {csrf(p.t, page)}, "name": {"Jeanne Dupont"}, "email": {email},
		"relationship": {"prospect"}, "kinds": {"access", "erasure"}, "details": {"Salon de Bordeaux, 2025."},
	})
}

// confirmFromMail follows the confirmation link of the mail written to
// files, and returns the request's reference and the link.
func (p *person) confirmFromMail(base string, env map[string]string) (ref, link string) {
	p.t.Helper()
	link = waitMailFile(p.t, filepath.Join(env["DSAR_DATA_DIR"], "mail"), "/c/")
	page := p.get(base + link)
	return refRe.FindString(p.post(base+link, url.Values{"csrf_token": {csrf(p.t, page)}})), link
}

// storedRequest opens the service's database, closed when the test ends,
// and finds the request ref in it.
func storedRequest(t *testing.T, env map[string]string, ref string) (*sqlite.DB, dsar.Request) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(env["DSAR_DATA_DIR"], "dsar.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := db.FindRequestByRef(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return db, r
}

// TestEndToEnd drives the whole flow through the real wiring: submit, the
// confirmation mail reaches a real SMTP server, the link is followed, the
// acknowledgment arrives, and the status page shows the due date.
func TestEndToEnd(t *testing.T) {
	smtp := smtptest.Start(t)
	env := baseEnv(t, smtp)
	svc := startService(t, env)
	p := newPerson(t)

	next := p.submit(svc.url, "jeanne@example.fr", "fr")
	if !strings.Contains(next, "Vérifiez votre boîte e-mail") {
		t.Fatalf("page after submitting:\n%s", next)
	}
	msgs := smtp.Wait(t, 1, 10*time.Second)
	confirm := msgs[0]
	if len(confirm.To) != 1 || confirm.To[0] != "jeanne@example.fr" {
		t.Errorf("confirmation sent to %v", confirm.To)
	}
	ref := refRe.FindString(confirm.Subject)
	if ref == "" || !strings.Contains(confirm.Subject, "Confirmez votre demande") {
		t.Errorf("subject %q lacks the reference or is not in French", confirm.Subject)
	}
	if confirm.Text == "" || confirm.HTML == "" || !strings.Contains(confirm.HTML, "Bonjour Jeanne Dupont") {
		t.Errorf("want a text body and an HTML alternative; got text %d bytes, html:\n%s", len(confirm.Text), confirm.HTML)
	}

	page := p.get(svc.url + link(t, "c", confirm.Text))
	done := p.post(svc.url+link(t, "c", confirm.Text), url.Values{"csrf_token": {csrf(t, page)}})
	if !strings.Contains(done, "Votre demande est confirmée") || !strings.Contains(done, ref) {
		t.Fatalf("after confirming:\n%s", done)
	}

	msgs = smtp.Wait(t, 2, 10*time.Second)
	ack := msgs[1]
	if !strings.Contains(ack.Subject, ref) || !strings.Contains(ack.Subject, "Accusé de réception") {
		t.Errorf("acknowledgment subject %q", ack.Subject)
	}
	due := regexp.MustCompile(`au plus tard le ([^.]+)\.`).FindStringSubmatch(ack.Text)
	if due == nil {
		t.Fatalf("acknowledgment has no due date:\n%s", ack.Text)
	}
	status := p.get(svc.url + link(t, "s", ack.Text))
	if !strings.Contains(status, ref) || !strings.Contains(status, due[1]) {
		t.Errorf("status page lacks %s or the due date %q:\n%s", ref, due[1], status)
	}
	if strings.Contains(status, "jeanne@example.fr") || strings.Contains(status, "Jeanne") {
		t.Errorf("status page shows personal data")
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.Messages()); n != 2 {
		t.Errorf("%d messages delivered, want exactly 2", n)
	}

	// Once sent, neither link's token is left in the outbox's copies.
	tokens := []string{strings.TrimPrefix(link(t, "c", confirm.Text), "/c/"), strings.TrimPrefix(link(t, "s", ack.Text), "/s/")}
	db, err := sql.Open("sqlite3", sqlite.DSN(filepath.Join(env["DSAR_DATA_DIR"], "dsar.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sent int
	var bodies sql.NullString
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && sent < 2; time.Sleep(50 * time.Millisecond) {
		if err := db.QueryRow(`SELECT count(*), group_concat(text_body || html_body || secret) FROM outbox WHERE state = 'sent'`).Scan(&sent, &bodies); err != nil {
			t.Fatal(err)
		}
	}
	if sent != 2 {
		t.Fatalf("%d mails marked sent, want 2", sent)
	}
	for _, tok := range tokens {
		if len(tok) < 40 || strings.Contains(bodies.String, tok) {
			t.Errorf("token %q is still in the sent mails' copies", tok)
		}
	}
}

// TestSMTPOutage takes the SMTP server down, submits, brings it back, and
// checks that every message arrives exactly once, also across a restart of
// the service.
func TestSMTPOutage(t *testing.T) {
	smtp := smtptest.Start(t)
	env := baseEnv(t, smtp)
	svc := startService(t, env)
	smtp.Stop()

	const n = 3
	for i := range n {
		newPerson(t).submit(svc.url, fmt.Sprintf("person%d@example.fr", i), "en")
	}
	time.Sleep(700 * time.Millisecond) // several attempts fail meanwhile
	if got := len(smtp.Messages()); got != 0 {
		t.Fatalf("%d messages while the server was down", got)
	}
	if !strings.Contains(svc.logs.String(), "retry") && !strings.Contains(svc.logs.String(), "Retry") {
		t.Errorf("no retry in the log:\n%s", svc.logs)
	}

	smtp.Restart(t)
	smtp.Wait(t, n, 10*time.Second)
	time.Sleep(700 * time.Millisecond) // time for any duplicate to show up
	svc.stop()
	startService(t, env) // a restart must not send anything again
	time.Sleep(700 * time.Millisecond)

	msgs := smtp.Messages()
	if len(msgs) != n {
		t.Fatalf("%d messages delivered, want %d", len(msgs), n)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.To[0]] {
			t.Errorf("%s got two messages", m.To[0])
		}
		seen[m.To[0]] = true
		if !strings.Contains(m.Subject, "Confirm your personal data request") {
			t.Errorf("subject %q", m.Subject)
		}
	}
}

// TestMailToFiles runs on the embedded defaults: no SMTP server, so mail is
// written under the data directory and shown on the development mailbox.
func TestMailToFiles(t *testing.T) {
	env := baseEnv(t, nil)
	svc := startService(t, env)
	if !strings.Contains(svc.logs.String(), "No SMTP server configured") {
		t.Errorf("the log does not say mail goes to files:\n%s", svc.logs)
	}
	p := newPerson(t)
	p.submit(svc.url, "jeanne@example.fr", "en")
	var files []string
	for deadline := time.Now().Add(10 * time.Second); len(files) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		files, _ = filepath.Glob(filepath.Join(env["DSAR_DATA_DIR"], "mail", "*.eml"))
	}
	if len(files) != 1 {
		t.Fatalf("mail files: %v", files)
	}
	box := p.get(svc.url + "/dev/mail")
	if !strings.Contains(box, "Confirm your personal data request") {
		t.Errorf("mailbox page:\n%s", box)
	}
	msg := p.get(svc.url + "/dev/mail/" + filepath.Base(files[0]))
	if !strings.Contains(msg, "/c/") {
		t.Errorf("mailbox message lacks the confirmation link:\n%s", msg)
	}
}

func TestRegisterCheckCommand(t *testing.T) {
	env := map[string]string{"DSAR_DATA_DIR": t.TempDir()}
	getenv := func(k string) string { return env[k] }
	var out bytes.Buffer
	if err := run(context.Background(), []string{"register", "check"}, getenv, strings.NewReader(""), &out, nil); err != nil {
		t.Fatalf("the embedded register has warnings only, yet: %v\n%s", err, out.String())
	}
	for _, want := range []string{"VRACOOOP", "VRACCOOP", "prospects"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	broken := filepath.Join(t.TempDir(), "register.yaml")
	if err := os.WriteFile(broken, []byte("activities:\n  - id: x\n    role: boss\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"register", "check", "--file", broken}, getenv, strings.NewReader(""), &out, nil); err == nil {
		t.Errorf("a register with an unknown role passed")
	}
}

func TestUserAddAndAuditVerifyCommands(t *testing.T) {
	env := map[string]string{"DSAR_DATA_DIR": t.TempDir()}
	getenv := func(k string) string { return env[k] }
	var out bytes.Buffer
	args := []string{"user", "add", "--email", "claire@vracoop.fr", "--name", "Claire Martin", "--role", "admin"}
	if err := run(context.Background(), args, getenv, strings.NewReader("un mot de passe solide\n"), &out, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Created admin account") {
		t.Errorf("output: %s", out.String())
	}
	if err := run(context.Background(), args, getenv, strings.NewReader("un mot de passe solide\n"), &out, nil); err == nil {
		t.Errorf("a second account with the same email was created")
	}
	if err := run(context.Background(), []string{"user", "add", "--email", "x@vracoop.fr", "--name", "X"}, getenv, strings.NewReader("short\n"), &out, nil); err == nil {
		t.Errorf("a short password was accepted")
	}
	out.Reset()
	if err := run(context.Background(), []string{"audit", "verify"}, getenv, strings.NewReader(""), &out, nil); err != nil || !strings.Contains(out.String(), "1 entries verified") {
		t.Errorf("audit verify: %v, %s", err, out.String())
	}
}

// TestLookupAfterConfirmation: on the embedded defaults the Odoo test
// server runs in demo mode, and a confirmed request is searched there at
// once.
func TestLookupAfterConfirmation(t *testing.T) {
	env := baseEnv(t, nil)
	svc := startService(t, env)
	if !strings.Contains(svc.logs.String(), "demo mode") {
		t.Errorf("the log does not say Odoo runs in demo mode")
	}
	p := newPerson(t)
	p.submit(svc.url, "camille.durand@exemple.fr", "fr")
	ref, _ := p.confirmFromMail(svc.url, env)
	db, r := storedRequest(t, env, ref)
	l, err := waitLookup(db, r.ID)
	if err != nil || !l.Complete() || len(l.Findings) < 10 {
		t.Fatalf("no complete lookup after confirmation: %d findings, %v", len(l.Findings), err)
	}
}

// TestDemoShops: in demo mode two client shops run their own Odoo test
// servers; a loyalty customer who picks her shop is searched there too.
func TestDemoShops(t *testing.T) {
	env := baseEnv(t, nil)
	// A fixed port for the demo Odoo, as an operator may set it: the
	// shops' servers must find ports of their own.
	env["DSAR_ODOO_DEMO_ADDR"] = freeAddr(t)
	svc := startService(t, env)
	p := newPerson(t)
	page := p.get(svc.url + "/?lang=fr")
	m := regexp.MustCompile(`<option value="(\d+)"[^>]*>Vrac &amp; Co Bayonne`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the demo shops are not on the form")
	}
	done := p.post(svc.url+"/", url.Values{"csrf_token": {csrf(t, page)}, "name": {"Camille Durand"}, "email": {"camille.durand@exemple.fr"},
		"relationship": {"loyalty"}, "shop_id": {m[1]}, "kinds": {"access"}})
	if !strings.Contains(done, "Vérifiez votre boîte e-mail") {
		t.Fatalf("submit:\n%s", done)
	}
	ref, _ := p.confirmFromMail(svc.url, env)
	db, r := storedRequest(t, env, ref)
	l, err := waitLookup(db, r.ID)
	if err != nil {
		t.Fatalf("no lookup: %v", err)
	}
	for _, f := range l.Findings {
		if f.Instance == "Vrac & Co Bayonne" && f.Model == "loyalty.card" {
			return
		}
	}
	t.Fatalf("the shop's instance was not searched: %+v", l.Problems)
}

// waitLookup waits up to 15 s for the first lookup of request id.
func waitLookup(db *sqlite.DB, id string) (dsar.Lookup, error) {
	var l dsar.Lookup
	var err error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if l, err = db.LatestLookup(context.Background(), id); err == nil {
			break
		}
	}
	return l, err
}
