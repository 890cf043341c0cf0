package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/opendsr"
	"github.com/vracoop/dsar/internal/sqlite"
)

// apiShop registers a shop with an API key and a callback secret.
func (h *harness) apiShop(name, key string, secret []byte) dsar.Shop {
	h.t.Helper()
	ctx := context.Background()
	s := dsar.Shop{Name: name, LegalEntity: name, Town: "Biarritz", PrivacyEmail: "privacy@" + strings.ToLower(strings.ReplaceAll(name, " ", "")) + ".example.fr",
		Lang: "fr", ContractStart: dsar.NewDate(2024, 1, 1), CreatedAt: h.clock()}
	sealer := testSealer(h.t)
	if err := h.db.CreateShop(ctx, &s, "", sealer.Seal, "test"); err != nil {
		h.t.Fatal(err)
	}
	if err := h.db.SetShopAPI(ctx, s.ID, dsar.HashToken(key), secret, "test", h.clock()); err != nil {
		h.t.Fatal(err)
	}
	s.CallbackSealed = secret
	return s
}

func (h *harness) api(method, path, key, body string) (int, map[string]any) {
	h.t.Helper()
	req, _ := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

func apiBody(id, typ, email string, callbacks ...string) string {
	b, _ := json.Marshal(opendsr.Request{SubjectRequestID: id, SubjectRequestType: typ, APIVersion: "0.1",
		SubmittedTime: "2026-11-26T09:00:00Z", StatusCallbackURLs: callbacks,
		SubjectIdentities: []opendsr.Identity{{Type: "email", Value: email, Format: "raw"}}})
	return string(b)
}

func TestOpenDSRAPI(t *testing.T) {
	h := newHarness(t, nil)
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	secret := []byte("callback-secret-of-la-cagette")
	cagette := h.apiShop("La Cagette Biarritz", "key-of-la-cagette", secret)
	h.apiShop("Vrac & Co Bayonne", "key-of-vrac-and-co", []byte("other"))

	var mu sync.Mutex
	var received []*http.Request
	var bodies [][]byte
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		received, bodies = append(received, r), append(bodies, b)
		mu.Unlock()
	}))
	defer hook.Close()

	if code, d := h.api("GET", "/discovery", "", ""); code != 200 || d["api_version"] != "0.1" {
		t.Errorf("discovery: %d %v", code, d)
	}
	if code, _ := h.api("GET", "/openapi.json", "", ""); code != 200 {
		t.Errorf("openapi: %d", code)
	}
	id := uuid.NewString()
	body := apiBody(id, "erasure", "ainhoa.bidart@example.fr", hook.URL+"/dsar")
	if code, _ := h.api("POST", "/opengdpr_requests", "", body); code != 401 {
		t.Errorf("no key: %d", code)
	}
	if code, _ := h.api("POST", "/opengdpr_requests", "not-a-key", body); code != 401 {
		t.Errorf("unknown key: %d", code)
	}
	code, resp := h.api("POST", "/opengdpr_requests", "key-of-la-cagette", body)
	if code != 201 || resp["subject_request_id"] != id || resp["controller_id"] != opendsr.ControllerID(cagette.ID) || resp["expected_completion_time"] == "" {
		t.Fatalf("create: %d %v", code, resp)
	}
	if code, _ := h.api("POST", "/opengdpr_requests", "key-of-la-cagette", body); code != 409 {
		t.Errorf("duplicate subject_request_id: %d", code)
	}
	for name, bad := range map[string]string{
		"bad type":     apiBody(uuid.NewString(), "delete_everything", "a@example.fr"),
		"bad id":       apiBody("not-a-uuid", "access", "a@example.fr"),
		"bad email":    apiBody(uuid.NewString(), "access", "not-an-email"),
		"hashed":       strings.Replace(apiBody(uuid.NewString(), "access", "a@example.fr"), `"raw"`, `"sha256"`, 1),
		"unknown key":  `{"subject_request_id":"` + uuid.NewString() + `","subject_request_type":"access","surprise":1}`,
		"bad callback": apiBody(uuid.NewString(), "access", "a@example.fr", "ftp://x"),
	} {
		if code, _ := h.api("POST", "/opengdpr_requests", "key-of-la-cagette", bad); code != 400 {
			t.Errorf("%s: %d", name, code)
		}
	}

	// The other shop sees nothing of it.
	if code, _ := h.api("GET", "/opengdpr_requests/"+id, "key-of-vrac-and-co", ""); code != 404 {
		t.Errorf("another shop's key: %d", code)
	}
	if code, st := h.api("GET", "/opengdpr_requests/"+id, "key-of-la-cagette", ""); code != 200 || st["request_status"] != "pending" {
		t.Errorf("status: %d %v", code, st)
	}
	r := h.request()
	if r.Channel != dsar.ChannelAPI || r.Status != dsar.StatusReceived || !dsar.HasKind(r.Kinds, dsar.KindErasure) || r.ShopID != cagette.ID {
		t.Errorf("stored request: %+v", r)
	}
	cases, _ := h.db.Cases(context.Background(), r.ID)
	if len(cases) != 1 || cases[0].State != dsar.CaseInstructed || cases[0].Instruction != dsar.InstructErasure {
		t.Errorf("case: %+v", cases)
	}

	// Work starts: it can no longer be cancelled, and the shop is called
	// back, signed.
	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	h.act(b, "note", nil)
	h.act(b, "identity", map[string][]string{"text": {"Demande de la boutique, responsable du traitement."}})
	if code, _ := h.api("DELETE", "/opengdpr_requests/"+id, "key-of-la-cagette", ""); code != 409 {
		t.Errorf("cancel after work started: %d", code)
	}
	// The store checks it too, in the transaction that would cancel: a
	// shop's cancel read as pending just before work started is refused.
	if a, err := h.db.APIRequest(context.Background(), cagette.ID, id); err != nil {
		t.Fatal(err)
	} else if err := h.db.CancelAPIRequest(context.Background(), a, r.Ref, "shop:test", h.clock()); !errors.Is(err, dsar.ErrNotPending) {
		t.Errorf("cancel of a request in progress, in the store: %v", err)
	}
	if got := h.request(); got.Status.Closed() {
		t.Errorf("a request in progress was closed by a cancel: %s", got.Status)
	}
	render := func(a dsar.APIRequest, r dsar.Request, shop dsar.Shop, status string) ([]dsar.Mail, error) {
		return opendsr.Callbacks(a, r, status, shop.CallbackSealed)
	}
	if n, err := h.db.QueueCallbacks(context.Background(), h.clock(), render); err != nil || n != 1 {
		t.Fatalf("callbacks: %d %v", n, err)
	}
	if n, _ := h.db.QueueCallbacks(context.Background(), h.clock(), render); n != 0 {
		t.Errorf("the same status called back twice")
	}
	w := mail.NewWorker(h.db, mail.Dispatch{Mail: mail.FileSender{Dir: t.TempDir()}}, nil)
	w.Now = func() time.Time { return h.clock().Add(time.Minute) }
	if _, err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(received) != 1 {
		t.Fatalf("callbacks received: %d", len(received))
	}
	sig := received[0].Header.Get(mail.WebhookSignatureHeader)
	if !opendsr.Verify(secret, bodies[0], sig) {
		t.Errorf("the callback's signature does not verify")
	}
	if opendsr.Verify(secret, append([]byte(nil), strings.Replace(string(bodies[0]), "in_progress", "completed", 1)...), sig) {
		t.Errorf("a tampered body verifies")
	}
	if opendsr.Verify([]byte("other"), bodies[0], sig) {
		t.Errorf("another shop's secret verifies")
	}
	var st opendsr.Status
	if err := json.Unmarshal(bodies[0], &st); err != nil || st.RequestStatus != "in_progress" || st.SubjectRequestID != id {
		t.Errorf("callback body: %s", bodies[0])
	}

	// A pending request can be cancelled.
	id2 := uuid.NewString()
	h.api("POST", "/opengdpr_requests", "key-of-la-cagette", apiBody(id2, "access", "lucas.moreau@example.fr"))
	if code, _ := h.api("DELETE", "/opengdpr_requests/"+id2, "key-of-la-cagette", ""); code != 202 {
		t.Errorf("cancel while pending: %d", code)
	}
	if _, st := h.api("GET", "/opengdpr_requests/"+id2, "key-of-la-cagette", ""); st["request_status"] != "cancelled" {
		t.Errorf("after cancel: %v", st)
	}
	// The cancellation is called back once; a final status is not looked
	// at again.
	if n, err := h.db.QueueCallbacks(context.Background(), h.clock(), render); err != nil || n != 1 {
		t.Errorf("callbacks after the cancellation: %d, %v", n, err)
	}
	if n, err := h.db.QueueCallbacks(context.Background(), h.clock(), render); err != nil || n != 0 {
		t.Errorf("callbacks once more: %d, %v", n, err)
	}
	if code, _ := h.api("DELETE", "/opengdpr_requests/"+id2, "key-of-la-cagette", ""); code < 400 {
		t.Errorf("cancelling a cancelled request: %d", code)
	}
}

// TestOpenDSRStoreFailure: when the database cannot be read, a shop is told
// so (a server error), not that its key is unknown or its request gone.
func TestOpenDSRStoreFailure(t *testing.T) {
	h := newHarness(t, nil)
	h.apiShop("La Cagette Biarritz", "key-of-la-cagette", []byte("secret"))
	h.db.Close()
	for _, method := range []string{"GET", "DELETE"} {
		if code, body := h.api(method, "/opengdpr_requests/"+uuid.NewString(), "key-of-la-cagette", ""); code != http.StatusInternalServerError {
			t.Errorf("%s with the database closed: %d %v", method, code, body)
		}
	}
}

// TestOpenDSRCallbackFailureHoldsBackNoOther: a request whose callbacks
// cannot be rendered (its shop's secret unreadable, say) is left for the
// next run; the other shops' callbacks are queued meanwhile.
func TestOpenDSRCallbackFailureHoldsBackNoOther(t *testing.T) {
	h := newHarness(t, nil)
	broken := h.apiShop("La Cagette Biarritz", "key-of-la-cagette", []byte("secret-a"))
	h.apiShop("Vrac & Co Bayonne", "key-of-vrac-and-co", []byte("secret-b"))
	for _, key := range []string{"key-of-la-cagette", "key-of-vrac-and-co"} {
		id := uuid.NewString()
		if code, _ := h.api("POST", "/opengdpr_requests", key, apiBody(id, "access", "a@example.fr", "https://shop.example/cb")); code != 201 {
			t.Fatalf("submit: %d", code)
		}
		if code, _ := h.api("DELETE", "/opengdpr_requests/"+id, key, ""); code != 202 {
			t.Fatalf("cancel: %d", code)
		}
	}
	ctx := context.Background()
	failFor := func(shopID int64) sqlite.CallbackFunc {
		return func(a dsar.APIRequest, r dsar.Request, shop dsar.Shop, status string) ([]dsar.Mail, error) {
			if shop.ID == shopID {
				return nil, errors.New("secret unreadable")
			}
			return opendsr.Callbacks(a, r, status, shop.CallbackSealed)
		}
	}
	if n, err := h.db.QueueCallbacks(ctx, h.clock(), failFor(broken.ID)); err == nil || n != 1 {
		t.Errorf("with one shop failing: %d queued, err %v; want 1 and the error", n, err)
	}
	if n, err := h.db.QueueCallbacks(ctx, h.clock(), failFor(0)); err != nil || n != 1 {
		t.Errorf("the failed one at the next run: %d queued, err %v; want 1", n, err)
	}
}

// TestOpenDSRBodyTooLarge: an oversized JSON body is refused as such, in
// JSON, and with the bearer challenge when the key is missing.
func TestOpenDSRBodyTooLarge(t *testing.T) {
	h := newHarness(t, nil)
	h.apiShop("La Cagette Biarritz", "key-of-la-cagette", []byte("secret"))
	big := apiBody(uuid.NewString(), "access", "a@example.fr", "https://shop.example/"+bigValue)
	if code, body := h.api("POST", "/opengdpr_requests", "key-of-la-cagette", big); code != http.StatusRequestEntityTooLarge || body["error"] == nil {
		t.Errorf("oversized JSON: %d %v", code, body)
	}
	req, _ := http.NewRequest("POST", h.srv.URL+"/opengdpr_requests", strings.NewReader("{}"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("no key: %d, WWW-Authenticate %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}
