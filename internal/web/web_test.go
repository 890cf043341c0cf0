package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/seal"
	"github.com/vracoop/dsar/internal/sqlite"
	"github.com/vracoop/dsar/internal/web"
)

// harness is the web server on a real SQLite file and the real composer.
type harness struct {
	t   *testing.T
	db  *sqlite.DB
	srv *httptest.Server
	mu  sync.Mutex
	now time.Time
}

// openTestDB opens a fresh database file in a temp directory, closed when
// the test ends.
func openTestDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dsar.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newHarness(t *testing.T, tweak func(*web.Options)) *harness {
	t.Helper()
	gin.SetMode(gin.TestMode)
	db := openTestDB(t)
	h := &harness{t: t, db: db, now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	composer, err := mail.NewComposer("http://dsar.test")
	if err != nil {
		t.Fatal(err)
	}
	opt := web.Options{Store: db, Mails: composer, Staff: db, Reports: db, Queue: db, Requests: db, Changer: db, Enterer: db, Plans: db, StaffMails: composer, Previewer: composer, Packages: db, PackageMails: composer, Shops: db, ShopMails: composer, API: db, Sealer: testSealer(t), PackageDir: filepath.Join(t.TempDir(), "packages"), PasswordParams: fastHash,
		Now: h.clock, BaseURL: "http://dsar.test",
		ConfirmTTL: 7 * 24 * time.Hour, StatusTTL: 180 * 24 * time.Hour,
		CSRFKey: []byte("0123456789abcdef0123456789abcdef"), RateLimit: 100, RateBurst: 100}
	if tweak != nil {
		tweak(&opt)
	}
	s, err := web.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	h.srv = httptest.NewServer(s)
	t.Cleanup(h.srv.Close)
	return h
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// browser is a client with cookies that does not follow redirects.
func (h *harness) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type page struct {
	status int
	body   string
	header http.Header
}

func (h *harness) do(c *http.Client, method, path string, form url.Values, headers ...string) page {
	h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(b), header: resp.Header}
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf returns the form token of a page.
func (p page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", p.body)
	}
	return m[1]
}

// fieldError returns the text of the error shown next to a field.
func (p page) fieldError(field string) string {
	re := regexp.MustCompile(`<p class="field-error" id="f-` + regexp.QuoteMeta(field) + `-err">([^<]*)</p>`)
	m := re.FindStringSubmatch(p.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func (h *harness) count() int {
	h.t.Helper()
	n, err := h.db.CountRequests(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *harness) outbox() int {
	h.t.Helper()
	m, err := h.db.DueMail(context.Background(), h.clock().Add(time.Hour), 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	return len(m)
}

// validForm is a complete, valid submission.
func validForm(token string) url.Values {
	return url.Values{
		"csrf_token": {token}, "name": {"Jeanne Dupont"}, "email": {"jeanne@example.fr"},
		"phone": {"06 12 34 56 78"}, "relationship": {"customer"}, "kinds": {"access", "erasure"},
		"details": {"Client depuis 2019."}, "website": {""},
	}
}

// testSealer seals shops' keys with a fixed test key.
func testSealer(t *testing.T) *seal.Key {
	k, err := seal.NewKey([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
