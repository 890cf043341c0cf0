package odootest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// User is an account that may call the server.
type User struct {
	Login    string // the login authenticate takes
	Password string // refused over RPC when TwoFactor is set
	APIKey   string // accepted wherever the password is (JSON-2: the only credential)
	UID      int    // the user's res.users id; one is made (with a partner) if the dataset lacks it
	Admin    bool   // an administrator: may read ir.model and ir.model.fields
	// TwoFactor makes the user's password useless over RPC, as Odoo does for
	// users with two-factor authentication: only the API key works.
	TwoFactor bool
	// Denied lists models the user has no access rights on at all.
	Denied []string
}

// Default credentials of the administrator a server gets when
// Options.Users is empty.
const (
	DefaultLogin    = "admin"
	DefaultPassword = "admin"
	DefaultAPIKey   = "5f1c6e0b9d2a4c8e7f3b1a9d6c4e2f0a8b7d5c3e"
	DefaultUID      = 2
)

// DefaultUsers is the administrator every server has unless told otherwise.
func DefaultUsers() []User {
	return []User{{Login: DefaultLogin, Password: DefaultPassword, APIKey: DefaultAPIKey, UID: DefaultUID, Admin: true}}
}

// Options configure a server.
type Options struct {
	Version int    // Odoo major version, 16 to 19 (default 17)
	DB      string // database name (default "vracoop")
	Users   []User // who may call (default DefaultUsers())
	// Data is the database's content, copied (default: empty).
	Data *Dataset
	// Latency is added to every call, for benchmarks and timeouts.
	Latency time.Duration
	// Now is the clock: record dates and the login cooldown follow it.
	Now func() time.Time
	// Uninstalled names modules the instance lacks, besides those its
	// Dataset names.
	Uninstalled []string
	// CooldownAfter is how many failed logins from one address put it on
	// cooldown: 0 is Odoo's fallback, 5 (a database made by Odoo's
	// installer sets base.login_cooldown_after to 10); negative disables it.
	CooldownAfter int
	// CooldownDuration is how long the cooldown lasts (default 60 s).
	CooldownDuration time.Duration
}

// Call counts the calls of one method on one model: Service is "common",
// "object", "db" or "json2"; Model is empty for common and db.
type Call struct {
	Service string // common, object, db or json2
	Model   string // the model of an object or JSON-2 call
	Method  string // the method called
	Count   int    // how many times
}

// Server is an Odoo test server over an in-memory dataset.
type Server struct {
	opt     Options
	version int
	sc      schema
	now     func() time.Time
	ts      *httptest.Server

	mu       sync.Mutex
	data     *Dataset
	users    []User
	failures map[string]loginFailure
	authOK   map[authKey]bool
	calls    []Call
	latency  time.Duration
	down     bool
	drop     bool
}

// New returns a server that is not listening: mount Handler.
func New(opt Options) *Server {
	if opt.Version == 0 {
		opt.Version = 17
	}
	if opt.Version < 16 || opt.Version > 19 {
		panic(fmt.Sprintf("odootest: Odoo version %d: 16 to 19 only", opt.Version))
	}
	if opt.DB == "" {
		opt.DB = "vracoop"
	}
	if len(opt.Users) == 0 {
		opt.Users = DefaultUsers()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.CooldownDuration == 0 {
		opt.CooldownDuration = 60 * time.Second
	}
	data := NewDataset()
	if opt.Data != nil {
		data = opt.Data.clone()
	}
	s := &Server{
		opt: opt, version: opt.Version, now: opt.Now, data: data,
		users: append([]User(nil), opt.Users...), latency: opt.Latency,
		failures: map[string]loginFailure{}, authOK: map[authKey]bool{},
	}
	s.sc = buildSchema(opt.Version, installedModules(append(append([]string(nil), opt.Uninstalled...), data.Uninstalled...)))
	data.normalize(s.sc)
	s.seed()
	return s
}

// Start runs a server on 127.0.0.1 for the length of the test.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	s := New(opt)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("odootest: listen: %v", err)
	}
	s.ts = httptest.NewUnstartedServer(s.Handler())
	s.ts.Listener = l
	s.ts.Start()
	t.Cleanup(s.ts.Close)
	return s
}

// seed makes the records a database always has: the mail subtypes, and a
// res.users (with its partner) for each configured user.
func (s *Server) seed() {
	e := s.env(0, nil)
	if st := e.model("mail.message.subtype"); st != nil && len(e.rows(st)) == 0 {
		s.data.Put(st.name, 1, map[string]any{"name": "Discussions", "internal": false})
		s.data.Put(st.name, 2, map[string]any{"name": "Note", "internal": true})
	}
	stamp := s.now().UTC().Format(datetimeLayout)
	for _, u := range s.users {
		if row, ok := s.data.table("res.users").rows[u.UID]; ok {
			row["login"] = u.Login
			continue
		}
		pid := s.data.Add("res.partner", map[string]any{"name": u.Login, "type": "contact", "active": true,
			"is_company": false, "create_date": stamp, "write_date": stamp})
		s.data.Put("res.users", u.UID, map[string]any{"login": u.Login, "partner_id": pid, "active": true,
			"share": false, "create_date": stamp, "write_date": stamp})
	}
}

// env returns an environment for a call by uid (0 for the server itself).
func (s *Server) env(uid int, ctx map[string]any) *env {
	if ctx == nil {
		ctx = map[string]any{}
	}
	e := &env{s: s, sc: s.sc, data: s.data, version: s.version, uid: uid, ctx: ctx, now: s.now()}
	for i := range s.users {
		if s.users[i].UID == uid {
			e.user = &s.users[i]
		}
	}
	return e
}

// URL is the server's base URL (only for a server made by Start).
func (s *Server) URL() string {
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// DB is the server's database name.
func (s *Server) DB() string { return s.opt.DB }

// Version is the Odoo major version the server plays.
func (s *Server) Version() int { return s.version }

// SetDown makes the server answer every request 503 Service Unavailable
// (as a proxy does in front of a stopped Odoo), or serve again.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// SetDropConnections makes the server close every connection without
// answering, or serve again.
func (s *Server) SetDropConnections(drop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop = drop
}

// SetLatency changes the delay added to every call.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Calls returns how many times each method was called, in the order of
// first call.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallCount returns how many times model.method was called ("" matches any).
func (s *Server) CallCount(model, method string) int {
	n := 0
	for _, c := range s.Calls() {
		if (model == "" || c.Model == model) && (method == "" || c.Method == method) {
			n += c.Count
		}
	}
	return n
}

// ResetCalls forgets the calls counted so far.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

func (s *Server) countCall(service, model, method string) {
	for i := range s.calls {
		c := &s.calls[i]
		if c.Service == service && c.Model == model && c.Method == method {
			c.Count++
			return
		}
	}
	s.calls = append(s.calls, Call{Service: service, Model: model, Method: method, Count: 1})
}

// Record returns a record as stored, with its stored computed fields
// (email_normalized): many2one values are ids, empty values nil.
func (s *Server) Record(model string, id int) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.env(0, map[string]any{"active_test": false})
	m := e.model(model)
	if m == nil {
		row, ok := s.data.Get(model, id)
		return row, ok
	}
	row, ok := e.row(m, id)
	if !ok {
		return nil, false
	}
	out := copyRow(id, row)
	for _, f := range m.fields {
		if f.computed && f.store {
			out[f.name] = e.get(m, id, row, f)
		}
	}
	return out, true
}

// Records returns every record of a model, archived ones included, by id.
func (s *Server) Records(model string) []map[string]any {
	s.mu.Lock()
	var ids []int
	if m := s.sc[model]; m != nil && m.virtual {
		e := s.env(0, nil)
		ids = e.allIDs(m)
	} else {
		ids = s.data.IDs(model)
	}
	s.mu.Unlock()
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		if r, ok := s.Record(model, id); ok {
			out = append(out, r)
		}
	}
	return out
}

// Handler serves Odoo's external API: /xmlrpc/2/common, /xmlrpc/2/object,
// /xmlrpc/2/db (and the legacy /xmlrpc/...), /web/webclient/version_info,
// /web/version and, from version 19, /json/2/<model>/<method>.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	down, drop, latency := s.down, s.drop, s.latency
	s.mu.Unlock()
	if drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if down {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n")
		return
	}
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/xmlrpc/2/"):
		s.serveXMLRPC(w, r, strings.TrimPrefix(path, "/xmlrpc/2/"), false)
	case strings.HasPrefix(path, "/xmlrpc/"):
		s.serveXMLRPC(w, r, strings.TrimPrefix(path, "/xmlrpc/"), true)
	case path == "/web/webclient/version_info":
		s.serveVersionInfo(w, r)
	case path == "/web/version":
		writeJSON(w, http.StatusOK, s.versionInfo(true), nil)
	case s.version >= 19 && (path == "/json/2" || strings.HasPrefix(path, "/json/2/")):
		s.serveJSON2(w, r)
	default:
		notFoundHTML(w)
	}
}

func notFoundHTML(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n")
}

// versionInfo is common.version()'s answer (or /web/version's).
func (s *Server) versionInfo(web bool) *dict {
	serie := fmt.Sprintf("%d.0", s.version)
	info := []any{s.version, 0, 0, "final", 0, ""}
	d := newDict()
	if web {
		d.set("version_info", info)
		d.set("version", serie)
		return d
	}
	d.set("server_version", serie)
	d.set("server_version_info", info)
	d.set("server_serie", serie)
	d.set("protocol_version", 1)
	return d
}

// remoteIP is the address Odoo counts login failures against.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// snapshot and restore give each call a transaction: an exception rolls
// back what the call changed.
// Methods that only read need none.
func (s *Server) snapshot(spec *methodSpec) *Dataset {
	switch spec.name {
	case "create", "write", "unlink", "message_post":
		return s.data.clone()
	}
	return nil
}

func (s *Server) restore(d *Dataset) {
	if d != nil {
		s.data.tables = d.tables
	}
}

// invalidateAuthCache forgets verified credentials, as Odoo clears its
// caches when users change.
func (s *Server) invalidateAuthCache() { s.authOK = map[authKey]bool{} }

// sortedKeys returns a map's keys in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
