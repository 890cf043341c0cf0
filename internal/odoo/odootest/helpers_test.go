package odootest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kolo/xmlrpc"
)

// client calls a test server with kolo/xmlrpc, as dsar's connector does.
type client struct {
	t   testing.TB
	s   *Server
	uid int
	pw  string
}

func newClient(t testing.TB, opt Options) *client {
	t.Helper()
	s := Start(t, opt)
	return &client{t: t, s: s, uid: DefaultUID, pw: DefaultPassword}
}

// call posts one XML-RPC call and decodes the answer into any.
func (c *client) call(service, method string, args ...any) (any, error) {
	c.t.Helper()
	req, err := xmlrpc.NewRequest(c.s.URL()+"/xmlrpc/2/"+service, method, args)
	if err != nil {
		c.t.Fatalf("encode request: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	r := xmlrpc.Response(body)
	if err := r.Err(); err != nil {
		return nil, err
	}
	var out any
	if err := r.Unmarshal(&out); err != nil {
		c.t.Fatalf("decode %s: %v\n%s", method, err, body)
	}
	return out, nil
}

// kw calls execute_kw as the client's user.
func (c *client) kw(model, method string, args []any, kw map[string]any) (any, error) {
	c.t.Helper()
	if args == nil {
		args = []any{}
	}
	if kw == nil {
		kw = map[string]any{}
	}
	return c.call("object", "execute_kw", c.s.DB(), c.uid, c.pw, model, method, args, kw)
}

// must is kw that fails the test on a fault.
func (c *client) must(model, method string, args []any, kw map[string]any) any {
	c.t.Helper()
	out, err := c.kw(model, method, args, kw)
	if err != nil {
		c.t.Fatalf("%s.%s: %v", model, method, err)
	}
	return out
}

// searchRead returns records as maps.
func (c *client) searchRead(model string, domain []any, fields []string, kw map[string]any) []map[string]any {
	c.t.Helper()
	if kw == nil {
		kw = map[string]any{}
	}
	kw["fields"] = fields
	out := c.must(model, "search_read", []any{domain}, kw)
	return records(c.t, out)
}

func records(t testing.TB, out any) []map[string]any {
	t.Helper()
	list, ok := out.([]any)
	if !ok {
		t.Fatalf("not a list: %#v", out)
	}
	recs := make([]map[string]any, len(list))
	for i, r := range list {
		recs[i] = r.(map[string]any)
	}
	return recs
}

// fault returns the code and string of a fault, failing the test if err
// is not one.
func fault(t testing.TB, err error) (int, string) {
	t.Helper()
	var f xmlrpc.FaultError
	if !errors.As(err, &f) {
		t.Fatalf("want a fault, got %v", err)
	}
	return f.Code, f.String
}

// raw posts a body and returns the response's status and body.
func raw(t testing.TB, url, contentType, body string, header map[string]string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// rawXML posts an XML-RPC call built by kolo and returns the XML answer.
func rawXML(t testing.TB, s *Server, service, method string, args ...any) string {
	t.Helper()
	body, err := xmlrpc.EncodeMethodCall(method, args...)
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := raw(t, s.URL()+"/xmlrpc/2/"+service, "text/xml", string(body), nil)
	return out
}

// json2 posts to the JSON-2 API with the default API key.
func json2(t testing.TB, s *Server, model, method string, params map[string]any) (int, any) {
	t.Helper()
	return json2As(t, s, DefaultAPIKey, model, method, params)
}

func json2As(t testing.TB, s *Server, key, model, method string, params map[string]any) (int, any) {
	t.Helper()
	b, _ := json.Marshal(params)
	h := map[string]string{}
	if key != "" {
		h["Authorization"] = "bearer " + key
	}
	status, body, _ := raw(t, s.URL()+"/json/2/"+model+"/"+method, "application/json", string(b), h)
	var out any
	d := json.NewDecoder(bytes.NewReader([]byte(body)))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return status, out
}

// clock is a clock tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)} }
func asI(v any) int                      { n, _ := v.(int64); return int(n) }
func ids(t testing.TB, out any) []int {
	t.Helper()
	var r []int
	for _, v := range out.([]any) {
		r = append(r, asI(v))
	}
	return r
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
