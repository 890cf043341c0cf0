package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/opendsr"
)

// TestShopAPIKeyAndSignedCallback: "dsar shop apikey" gives a shop its
// bearer key and callback secret; the shop submits and cancels a request
// through the OpenDSR API, and the service's callback job posts the new
// status, signed with that secret.
func TestShopAPIKeyAndSignedCallback(t *testing.T) {
	var mu sync.Mutex
	var bodies [][]byte
	var sigs []string
	shopSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies, sigs = append(bodies, b), append(sigs, r.Header.Get("X-OpenDSR-Signature"))
		mu.Unlock()
	}))
	defer shopSrv.Close()

	env := baseEnv(t, nil)
	svc := startService(t, env) // demo mode: shop #1 exists
	var out bytes.Buffer
	if err := run(context.Background(), []string{"shop", "apikey", "1"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, nil); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`API key \(bearer\):\s+(\S+)\nCallback secret:\s+(\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("shop apikey printed:\n%s", out.String())
	}
	key, secret := m[1], m[2]

	api := func(method, path string, body []byte) int {
		req, _ := http.NewRequest(method, svc.url+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	id := uuid.NewString()
	body, _ := json.Marshal(opendsr.Request{SubjectRequestID: id, SubjectRequestType: "erasure", APIVersion: "0.1",
		SubmittedTime: "2026-11-26T09:00:00Z", StatusCallbackURLs: []string{shopSrv.URL + "/dsar"},
		SubjectIdentities: []opendsr.Identity{{Type: "email", Value: "camille.durand@exemple.fr", Format: "raw"}}})
	if code := api("POST", "/opengdpr_requests", body); code != http.StatusCreated {
		t.Fatalf("submit: %d", code)
	}
	if code := api("DELETE", "/opengdpr_requests/"+id, nil); code != http.StatusAccepted {
		t.Fatalf("cancel: %d", code)
	}

	// The job runs every 10 s.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		mu.Lock()
		n := len(bodies)
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no callback\n%s", svc.logs)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if !opendsr.Verify([]byte(secret), bodies[0], sigs[0]) {
		t.Errorf("the callback's signature does not verify with the secret the shop was given: %s", sigs[0])
	}
	var st opendsr.Status
	if err := json.Unmarshal(bodies[0], &st); err != nil || st.SubjectRequestID != id || st.RequestStatus != "cancelled" {
		t.Errorf("callback: %s", bodies[0])
	}
}
