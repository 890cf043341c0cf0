package odootest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kolo/xmlrpc"
)

func TestLatency(t *testing.T) {
	c := newClient(t, Options{Latency: 200 * time.Millisecond})
	start := time.Now()
	c.must("res.partner", "search_count", []any{[]any{}}, nil)
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("call took %v, want at least 200ms", d)
	}
	c.s.SetLatency(0)
	start = time.Now()
	c.must("res.partner", "search_count", []any{[]any{}}, nil)
	if d := time.Since(start); d > 150*time.Millisecond {
		t.Errorf("call took %v after SetLatency(0)", d)
	}
	// A client that gives up does not wait for the latency.
	c.s.SetLatency(time.Second)
	req, _ := xmlrpc.NewRequest(c.s.URL()+"/xmlrpc/2/common", "version", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := http.DefaultClient.Do(req.WithContext(ctx)); err == nil {
		t.Error("no timeout")
	}
}

func TestDownAndDropped(t *testing.T) {
	c := newClient(t, Options{})
	c.s.SetDown(true)
	status, _, _ := raw(t, c.s.URL()+"/xmlrpc/2/common", "text/xml", "<methodCall><methodName>version</methodName></methodCall>", nil)
	if status != http.StatusServiceUnavailable {
		t.Errorf("down: status %d", status)
	}
	c.s.SetDown(false)
	c.s.SetDropConnections(true)
	if _, err := c.call("common", "version"); err == nil {
		t.Error("dropped connection gave an answer")
	}
	c.s.SetDropConnections(false)
	if _, err := c.call("common", "version"); err != nil {
		t.Errorf("back up: %v", err)
	}
}

func TestCalls(t *testing.T) {
	c := newClient(t, Options{Data: DemoVRACOOP()})
	c.call("common", "authenticate", c.s.DB(), "admin", "admin", map[string]any{})
	for i := 0; i < 3; i++ {
		c.must("res.partner", "search_read", []any{[]any{}}, map[string]any{"fields": []any{"name"}})
	}
	c.must("crm.lead", "search_count", []any{[]any{}}, nil)
	want := []Call{
		{"common", "", "authenticate", 1},
		{"object", "res.partner", "search_read", 3},
		{"object", "crm.lead", "search_count", 1},
	}
	got := c.s.Calls()
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d: %v, want %v", i, got[i], want[i])
		}
	}
	if n := c.s.CallCount("res.partner", ""); n != 3 {
		t.Errorf("CallCount = %d", n)
	}
	c.s.ResetCalls()
	if len(c.s.Calls()) != 0 {
		t.Error("ResetCalls kept calls")
	}
}

func TestHandlerMounted(t *testing.T) {
	s := New(Options{Version: 18})
	mux := http.NewServeMux()
	mux.Handle("/xmlrpc/", s.Handler())
	ts := httptest.NewServer(mux)
	defer ts.Close()
	req, _ := xmlrpc.NewRequest(ts.URL+"/xmlrpc/2/common", "version", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Errorf("content type %q", ct)
	}
}

func TestLegacyEndpoint(t *testing.T) {
	s := Start(t, Options{Data: DemoVRACOOP()})
	body, _ := xmlrpc.EncodeMethodCall("execute_kw", s.DB(), 2, "admin", "res.partner", "unlink", []any{[]any{4}}, map[string]any{})
	_, out, _ := raw(t, s.URL()+"/xmlrpc/object", "text/xml", string(body), nil)
	if !strings.Contains(out, "<name>faultCode</name>\n<value><string>warning -- UserError\n\nThe partner cannot be deleted because it is used in Accounting</string></value>") {
		t.Errorf("legacy fault: %s", out)
	}
	// kolo cannot read a string fault code: clients must use /xmlrpc/2.
	if err := xmlrpc.Response([]byte(out)).Err(); err == nil {
		t.Error("kolo decoded a string faultCode")
	}
}

func TestGetIsNotAllowed(t *testing.T) {
	s := Start(t, Options{})
	resp, err := http.Get(s.URL() + "/xmlrpc/2/common")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("status %d", resp.StatusCode)
	}
}

func TestMalformedRequest(t *testing.T) {
	s := Start(t, Options{})
	_, out, _ := raw(t, s.URL()+"/xmlrpc/2/object", "text/xml", "<methodCall><methodName>execute_kw", nil)
	if !strings.Contains(out, "<int>1</int>") || !strings.Contains(out, "ExpatError") {
		t.Errorf("malformed: %s", out)
	}
}

func TestServersDoNotShareData(t *testing.T) {
	data := DemoVRACOOP()
	a := newClient(t, Options{Data: data})
	b := newClient(t, Options{Data: data})
	a.must("res.partner", "write", []any{[]any{5}, map[string]any{"phone": "01"}}, nil)
	r, _ := b.s.Record("res.partner", 5)
	if r["phone"] == "01" {
		t.Error("a write on one server shows on the other")
	}
	if r, _ := data.Get("res.partner", 5); r["phone"] == "01" {
		t.Error("a write shows in the seed dataset")
	}
}

// BenchmarkSearchRead measures one search_read round trip; with Latency it
// shows what a slow Odoo costs a caller.
func BenchmarkSearchRead(b *testing.B) {
	for _, latency := range []time.Duration{0, time.Millisecond} {
		b.Run(latency.String(), func(b *testing.B) {
			c := newClient(b, Options{Data: DemoVRACOOP(), Latency: latency})
			dom := []any{[]any{"email_normalized", "=", "camille.durand@exemple.fr"}}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c.must("res.partner", "search_read", []any{dom}, map[string]any{"fields": []any{"name", "email"}})
			}
		})
	}
}
