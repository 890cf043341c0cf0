package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestOpsOnMainPort: with no DSAR_OPS_ADDR, /readyz and /metrics are on the
// service's port; the metrics count HTTP requests and the Odoo calls of a
// lookup, with no personal data in them.
func TestOpsOnMainPort(t *testing.T) {
	env := baseEnv(t, nil)
	svc := startService(t, env)
	if code, body := httpGet(t, svc.url+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz: %d %s", code, body)
	}
	p := newPerson(t)
	p.submit(svc.url, "camille.durand@exemple.fr", "fr")
	_, link := p.confirmFromMail(svc.url, env)

	var body string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		_, body = httpGet(t, svc.url+"/metrics")
		// The lookup's first calls (version, authenticate, fields_get)
		// show before its searches: wait for what is checked below.
		if strings.Contains(body, `dsar_odoo_call_duration_seconds_count{instance="VRACOOP",method="search_read"}`) {
			break
		}
	}
	for _, want := range []string{
		`dsar_odoo_call_duration_seconds_count{instance="VRACOOP",method="search_read"}`,
		`dsar_http_requests_total{code="303",method="POST",route="/"}`,
		`dsar_requests{status=`,
		`dsar_outbox_pending`,
		`dsar_requests_overdue 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, leak := range []string{"camille", "exemple.fr", link} {
		if strings.Contains(body, leak) {
			t.Errorf("/metrics shows %q", leak)
		}
	}
}

// TestOpsOnTheirOwnPort: with DSAR_OPS_ADDR, /readyz and /metrics are there
// and not on the public port.
func TestOpsOnTheirOwnPort(t *testing.T) {
	opsAddr := freeAddr(t)
	env := baseEnv(t, nil)
	env["DSAR_OPS_ADDR"] = opsAddr
	svc := startService(t, env)
	for _, path := range []string{"/metrics", "/readyz"} {
		if code, _ := httpGet(t, svc.url+path); code != http.StatusNotFound {
			t.Errorf("public %s: %d, want 404", path, code)
		}
		var code int
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if resp, err := http.Get("http://" + opsAddr + path); err == nil {
				code = resp.StatusCode
				resp.Body.Close()
				break
			}
		}
		if code != http.StatusOK {
			t.Errorf("ops %s: %d", path, code)
		}
	}
	if code, _ := httpGet(t, svc.url+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: %d", code)
	}
}
