package web_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/sqlite"
	"github.com/vracoop/dsar/internal/web"
)

// opsHarness is Ops on a real SQLite file, served by an engine with one
// route of the shape the portal has, and a clock the test moves.
type opsHarness struct {
	t   *testing.T
	db  *sqlite.DB
	ops *web.Ops
	e   *gin.Engine
	mu  sync.Mutex
	now time.Time
}

var (
	opsT0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	quiet = slog.New(slog.DiscardHandler)
)

func newOpsHarness(t *testing.T) *opsHarness {
	t.Helper()
	gin.SetMode(gin.TestMode)
	db := openTestDB(t)
	h := &opsHarness{t: t, db: db, now: opsT0}
	h.ops = web.NewOps(web.OpsOptions{Store: db, Now: h.clock, Logger: quiet})
	db.ObserveIntake(h.ops.ObserveIntakeBatch)
	h.e = gin.New()
	h.e.Use(h.ops.Middleware(), gin.RecoveryWithWriter(io.Discard))
	h.ops.Register(h.e)
	h.e.GET("/c/:token", func(c *gin.Context) { c.String(http.StatusOK, "confirm page") })
	h.e.GET("/panic", func(c *gin.Context) { panic("boom") })
	return h
}

func (h *opsHarness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *opsHarness) set(t time.Time) {
	h.mu.Lock()
	h.now = t
	h.mu.Unlock()
}

func (h *opsHarness) get(method, path string) (int, string) {
	h.t.Helper()
	w := httptest.NewRecorder()
	h.e.ServeHTTP(w, httptest.NewRequest(method, path, nil))
	b, _ := io.ReadAll(w.Result().Body)
	return w.Code, string(b)
}

// submit stores a request as the form does, with its confirmation mail put
// in the outbox at opsT0.
func (h *opsHarness) submit(email string) dsar.Request {
	h.t.Helper()
	sub := dsar.Submission{Name: "Camille Durand", Email: email, Phone: "06 12 34 56 78",
		Relationship: dsar.RelCustomer, Kinds: []dsar.Kind{dsar.KindAccess}, Lang: "fr"}
	r := dsar.NewRequest(uuid.NewString(), sub, dsar.ChannelWeb, opsT0)
	tok, err := dsar.NewToken(r.ID, dsar.TokenConfirm, opsT0.Add(7*24*time.Hour))
	if err != nil {
		h.t.Fatal(err)
	}
	err = h.db.CreateRequest(context.Background(), &r, tok, func(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
		return dsar.Mail{RequestID: r.ID, To: r.Email, Subject: "[" + r.Ref + "] Confirmez", Text: tok.Plain, HTML: tok.Plain}, nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

func TestReadyz(t *testing.T) {
	h := newOpsHarness(t)
	check := func(t *testing.T, wantStatus int, wantBody string) {
		t.Helper()
		status, body := h.get(http.MethodGet, "/readyz")
		if status != wantStatus || !strings.Contains(body, wantBody) {
			t.Errorf("GET /readyz = %d %q, want %d with %q", status, body, wantStatus, wantBody)
		}
		if status, _ := h.get(http.MethodHead, "/readyz"); status != wantStatus {
			t.Errorf("HEAD /readyz = %d, want %d", status, wantStatus)
		}
	}
	t.Run("healthy, empty outbox", func(t *testing.T) {
		check(t, http.StatusOK, "ok")
	})
	h.submit("camille.durand@exemple.fr")
	t.Run("healthy, a fresh mail waits", func(t *testing.T) {
		h.set(opsT0.Add(10 * time.Minute))
		check(t, http.StatusOK, "ok")
	})
	t.Run("stale outbox", func(t *testing.T) {
		h.set(opsT0.Add(web.DefaultMaxMailAge + time.Minute))
		check(t, http.StatusServiceUnavailable, "oldest unsent mail has waited 31m0s")
	})
	t.Run("sent mail no longer counts", func(t *testing.T) {
		mails, err := h.db.DueMail(context.Background(), h.clock(), 10)
		if err != nil || len(mails) != 1 {
			t.Fatalf("due mail: %v, %v", mails, err)
		}
		if err := h.db.MarkMailSent(context.Background(), mails[0].ID, h.clock()); err != nil {
			t.Fatal(err)
		}
		check(t, http.StatusOK, "ok")
	})
	t.Run("database closed", func(t *testing.T) {
		h.db.Close()
		check(t, http.StatusServiceUnavailable, "the database does not answer")
	})
}

// failingStore fails every question, as a database that is gone does.
type failingStore struct{}

var errGone = errors.New("disk I/O error")

func (failingStore) Ping(context.Context) error { return errGone }
func (failingStore) OldestPendingMail(context.Context) (time.Time, bool, error) {
	return time.Time{}, false, errGone
}
func (failingStore) CountRequestsByStatus(context.Context) (map[dsar.Status]int, error) {
	return nil, errGone
}
func (failingStore) CountOverdue(context.Context, dsar.Date) (int, error) { return 0, errGone }
func (failingStore) PendingMail(context.Context) (int, error)             { return 0, errGone }

func TestMetrics(t *testing.T) {
	ctx := context.Background()
	h := newOpsHarness(t)
	const email, token = "camille.durand@exemple.fr", "s3cretT0kenValue"
	r := h.submit(email)
	// A request entered by staff, received three months ago: overdue.
	sub := dsar.Submission{Name: "Dominique Martin", Email: "dominique@exemple.fr", Relationship: dsar.RelSupplier,
		Kinds: []dsar.Kind{dsar.KindErasure}, Lang: "fr"}
	late, err := dsar.NewEnteredRequest(uuid.NewString(), sub, dsar.ChannelPost, dsar.DateOf(opsT0).AddDays(-90), opsT0)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := dsar.NewToken(late.ID, dsar.TokenStatus, opsT0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.db.EnterRequest(ctx, &late, tok, "staff:claire@vracoop.fr", func(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
		return dsar.Mail{RequestID: r.ID, To: r.Email, Subject: "ack", Text: tok.Plain, HTML: tok.Plain}, nil
	}); err != nil {
		t.Fatal(err)
	}
	h.set(opsT0.Add(90 * time.Second))

	h.get(http.MethodGet, "/c/"+token)
	h.get(http.MethodGet, "/c/"+token)
	h.get(http.MethodGet, "/"+email)
	h.get("BREW", "/c/"+token)
	h.get(http.MethodGet, "/panic")
	h.ops.ObserveOdooCall("VRACOOP", "search_read", 20*time.Millisecond, nil)
	h.ops.ObserveOdooCall("VRACOOP", "search_read", 30*time.Second, errors.New("timeout"))
	var nilOps *web.Ops
	nilOps.ObserveOdooCall("VRACOOP", "read", time.Second, nil) // the Odoo client may run without Ops

	status, body := h.get(http.MethodGet, "/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics = %d\n%s", status, body)
	}
	for _, want := range []string{
		`dsar_requests{status="awaiting_confirmation"} 1`,
		`dsar_requests{status="received"} 1`,
		`dsar_requests{status="completed"} 0`,
		`dsar_requests_overdue 1`,
		`dsar_outbox_pending 2`,
		`dsar_outbox_oldest_pending_age_seconds 90`,
		`dsar_http_requests_total{code="200",method="GET",route="/c/:token"} 2`,
		`dsar_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`dsar_http_requests_total{code="404",method="other",route="unmatched"} 1`,
		`dsar_http_requests_total{code="500",method="GET",route="/panic"} 1`,
		`dsar_http_request_duration_seconds_bucket{method="GET",route="/c/:token",le="0.001"}`,
		`dsar_http_request_duration_seconds_count{method="GET",route="/c/:token"} 2`,
		`dsar_odoo_call_duration_seconds_count{instance="VRACOOP",method="search_read"} 2`,
		`dsar_odoo_call_errors_total{instance="VRACOOP",method="search_read"} 1`,
		`dsar_intake_batch_size_count 1`,
		`dsar_intake_batch_size_bucket{le="1"} 1`,
		`dsar_intake_batch_duration_seconds_count 1`,
		`dsar_intake_batch_failures_total 0`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, personal := range []string{email, "camille", "Camille", "Dominique", token, r.Ref, r.ID, "06 12"} {
		if strings.Contains(body, personal) {
			t.Errorf("metrics show %q", personal)
		}
	}

	// A batch that failed is counted, and DELETE (the OpenDSR API's) is a
	// method of its own.
	h.ops.ObserveIntakeBatch(3, time.Millisecond, errGone)
	h.get(http.MethodDelete, "/c/"+token)
	_, body = h.get(http.MethodGet, "/metrics")
	for _, want := range []string{
		`dsar_intake_batch_failures_total 1`,
		`dsar_http_requests_total{code="404",method="DELETE",route="unmatched"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	t.Run("store failing", func(t *testing.T) {
		ops := web.NewOps(web.OpsOptions{Store: failingStore{}, Logger: quiet})
		e := gin.New()
		ops.Register(e)
		for _, path := range []string{"/readyz", "/metrics"} {
			w := httptest.NewRecorder()
			e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			body := w.Body.String()
			switch path {
			case "/readyz":
				if w.Code != http.StatusServiceUnavailable || strings.Contains(body, errGone.Error()) {
					t.Errorf("/readyz = %d %q, want 503 without the error's detail", w.Code, body)
				}
			case "/metrics":
				// The process's own metrics are still served.
				if w.Code != http.StatusOK || !strings.Contains(body, "go_goroutines") || strings.Contains(body, "dsar_requests{") {
					t.Errorf("/metrics = %d\n%s", w.Code, body)
				}
			}
		}
	})
}

func TestOpsHandlerAlone(t *testing.T) {
	db := openTestDB(t)
	srv := httptest.NewServer(web.NewOps(web.OpsOptions{Store: db}).Handler())
	defer srv.Close()
	for path, want := range map[string]string{"/readyz": "ok", "/metrics": "dsar_outbox_pending 0"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("GET %s = %d, want 200 with %q:\n%s", path, resp.StatusCode, want, b)
		}
	}
}
