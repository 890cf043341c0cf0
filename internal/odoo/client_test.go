package odoo_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/odoo/odootest"
)

// clock is a movable clock for the test server's login cooldown.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newClient(t *testing.T, srv *odootest.Server, cfg odoo.Config) *odoo.Client {
	t.Helper()
	if cfg.URL == "" {
		cfg.URL = srv.URL()
	}
	if cfg.DB == "" {
		cfg.DB = srv.DB()
	}
	if cfg.Login == "" {
		cfg.Login = odootest.DefaultLogin
	}
	if cfg.Password == "" {
		cfg.Password = odootest.DefaultAPIKey
	}
	if cfg.Name == "" {
		cfg.Name = "VRACOOP"
	}
	if cfg.RetryWait == 0 {
		cfg.RetryWait = 10 * time.Millisecond
	}
	c, err := odoo.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestVersionsAndFields(t *testing.T) {
	for _, version := range []int{16, 17, 18, 19} {
		t.Run(fmt.Sprint(version), func(t *testing.T) {
			srv := odootest.Start(t, odootest.Options{Version: version, Data: odootest.DemoVRACOOP()})
			protocols := []string{odoo.ProtocolXMLRPC}
			if version >= 19 {
				protocols = append(protocols, odoo.ProtocolJSON2)
			}
			for _, proto := range protocols {
				c := newClient(t, srv, odoo.Config{Protocol: proto})
				ctx := context.Background()
				v, err := c.ServerVersion(ctx)
				if err != nil || v.Major != version {
					t.Fatalf("%s: version %+v, %v", proto, v, err)
				}
				got, err := c.Existing(ctx, "res.partner", []string{"name", "email", "mobile", "nope"})
				if err != nil {
					t.Fatal(err)
				}
				wantMobile := version < 19
				if hasMobile := len(got) == 3; hasMobile != wantMobile || got[0] != "name" || got[1] != "email" {
					t.Errorf("%s: existing fields %v (mobile expected: %v)", proto, got, wantMobile)
				}
				recs, err := c.SearchRead(ctx, "res.partner", []any{[]any{"email", "=ilike", "sophie.martin@example.fr"}}, got, odoo.ReadOptions{})
				if err != nil || len(recs) != 1 || recs[0].String("email") != "sophie.martin@example.fr" {
					t.Errorf("%s: search_read %+v, %v", proto, recs, err)
				}
				if ok, err := c.Installed(ctx, "pos.order"); ok || err != nil {
					t.Errorf("%s: pos.order installed on VRACOOP's instance: %v %v", proto, ok, err)
				}
			}
		})
	}
}

func TestFaultsAreTyped(t *testing.T) {
	ctx := context.Background()
	srv := odootest.Start(t, odootest.Options{Version: 17, Data: odootest.DemoVRACOOP(),
		Users: append(odootest.DefaultUsers(), odootest.User{Login: "limited", Password: "limited-pass", UID: 40, Denied: []string{"crm.lead"}})})
	c := newClient(t, srv, odoo.Config{})
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"model not installed", func() error {
			_, err := c.SearchRead(ctx, "pos.order", nil, []string{"name"}, odoo.ReadOptions{})
			return err
		}, odoo.ErrModelMissing},
		{"invalid field", func() error {
			_, err := c.SearchRead(ctx, "res.partner", []any{[]any{"nope", "=", "x"}}, []string{"name"}, odoo.ReadOptions{})
			return err
		}, odoo.ErrInvalidField},
		{"private method", func() error {
			_, err := c.Execute(ctx, "res.partner", "_compute_display_name", []int{1}, nil)
			return err
		}, odoo.ErrUnknownMethod},
		{"missing record", func() error { return c.Write(ctx, "res.partner", []int{99999}, map[string]any{"name": "x"}) }, odoo.ErrUser},
		{"partner used in accounting", func() error { return c.Unlink(ctx, "res.partner", []int{5}) }, odoo.ErrUser},
		{"access rights", func() error {
			lc := newClient(t, srv, odoo.Config{Login: "limited", Password: "limited-pass"})
			_, err := lc.SearchRead(ctx, "crm.lead", nil, []string{"name"}, odoo.ReadOptions{})
			return err
		}, odoo.ErrAccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var oe *odoo.Error
			if !errors.As(err, &oe) || oe.Message == "" || oe.Instance != "VRACOOP" {
				t.Errorf("error does not keep Odoo's message and the instance: %#v", oe)
			}
		})
	}
}

func TestLoginRefusedAndCooldown(t *testing.T) {
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP(), Now: clk.Now})
	bad := newClient(t, srv, odoo.Config{Password: "wrong", Retries: 1})
	for range 6 {
		_, err := bad.SearchCount(ctx, "res.partner", nil, odoo.ReadOptions{})
		if !errors.Is(err, odoo.ErrAccessDenied) {
			t.Fatalf("wrong password: %v", err)
		}
	}
	// Now even the right key is refused from this address, and the call is
	// retried; the error says it may succeed later.
	good := newClient(t, srv, odoo.Config{Retries: 1})
	if _, err := good.SearchCount(ctx, "res.partner", nil, odoo.ReadOptions{}); err == nil {
		t.Fatalf("login accepted during the cooldown")
	}
	clk.Add(61 * time.Second)
	if n, err := good.SearchCount(ctx, "res.partner", nil, odoo.ReadOptions{}); err != nil || n == 0 {
		t.Errorf("after the cooldown: %d, %v", n, err)
	}
}

func TestUnavailableIsRetriedThenReported(t *testing.T) {
	ctx := context.Background()
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	c := newClient(t, srv, odoo.Config{Retries: 2})
	srv.SetDown(true)
	_, err := c.SearchCount(ctx, "res.partner", nil, odoo.ReadOptions{})
	if !errors.Is(err, odoo.ErrUnavailable) || !odoo.Retryable(err) {
		t.Fatalf("down: %v", err)
	}
	if n := srv.CallCount("", "version") + len(srv.Calls()); n != 0 {
		// A server that is down counts nothing: the retries hit the wall.
		t.Logf("calls while down: %d", n)
	}
	srv.SetDown(false)
	if _, err := c.SearchCount(ctx, "res.partner", nil, odoo.ReadOptions{}); err != nil {
		t.Errorf("after recovery: %v", err)
	}
}

func TestDeadline(t *testing.T) {
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP(), Latency: 300 * time.Millisecond})
	c := newClient(t, srv, odoo.Config{Timeout: 50 * time.Millisecond, Retries: 1})
	start := time.Now()
	_, err := c.SearchCount(context.Background(), "res.partner", nil, odoo.ReadOptions{})
	if !errors.Is(err, odoo.ErrUnavailable) {
		t.Fatalf("slow Odoo: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the call did not respect its deadline: %s", d)
	}
}

func TestWriteCreateMessage(t *testing.T) {
	ctx := context.Background()
	for _, proto := range []string{odoo.ProtocolXMLRPC, odoo.ProtocolJSON2} {
		t.Run(proto, func(t *testing.T) {
			srv := odootest.Start(t, odootest.Options{Version: 19, Data: odootest.DemoVRACOOP()})
			c := newClient(t, srv, odoo.Config{Protocol: proto})
			id, err := c.Create(ctx, "res.partner", map[string]any{"name": "Test", "email": "t@example.fr"})
			if err != nil || id == 0 {
				t.Fatalf("create: %d %v", id, err)
			}
			if err := c.Write(ctx, "res.partner", []int{id}, map[string]any{"phone": "0102030405"}); err != nil {
				t.Fatal(err)
			}
			rec, _ := srv.Record("res.partner", id)
			if rec["phone"] != "0102030405" {
				t.Errorf("write not applied: %v", rec["phone"])
			}
			msg, err := c.PostNote(ctx, "res.partner", id, "<p>DSAR-2026-000001 : test</p>")
			if err != nil || msg == 0 {
				t.Fatalf("message_post: %d %v", msg, err)
			}
			if m, ok := srv.Record("mail.message", msg); !ok || m["res_id"] == nil {
				t.Errorf("message not stored: %v", m)
			}
			if err := c.Unlink(ctx, "res.partner", []int{id}); err != nil {
				t.Errorf("unlink: %v", err)
			}
		})
	}
}

var _ = http.StatusOK

// TestApplySteps carries out each kind of step on the demo instance and
// checks what Odoo holds afterwards.
func TestApplySteps(t *testing.T) {
	ctx := context.Background()
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	c := newClient(t, srv, odoo.Config{})

	// Partner 9 (Camille at the supplier): fully anonymised and archived.
	before, after, err := c.Apply(ctx, dsar.Step{Kind: dsar.StepAnonymise, Model: "res.partner", RecordID: 9, Archive: true,
		Values: map[string]string{"name": "Anonymisé (DSAR-2026-000007)", "email": "", "phone": "", "mobile": ""}})
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := srv.Record("res.partner", 9)
	if rec["name"] != "Anonymisé (DSAR-2026-000007)" || !empty(rec["email"]) || rec["active"] != false {
		t.Errorf("partner 9 after: %v", rec)
	}
	if before["email"] != "C***@E***.fr" || after["email"] != "" || before["name"] != "C****** D*****" {
		t.Errorf("before/after not recorded masked: %v / %v", before, after)
	}
	for _, v := range before {
		if strings.Contains(v, "Durand") || strings.Contains(v, "12 34 56") {
			t.Errorf("unmasked value in the record: %q", v)
		}
	}

	// A lead is deleted; the user archived; a note posted.
	if _, _, err := c.Apply(ctx, dsar.Step{Kind: dsar.StepDelete, Model: "crm.lead", RecordID: 1}); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.Record("crm.lead", 1); ok {
		t.Errorf("lead still there")
	}
	if _, _, err := c.Apply(ctx, dsar.Step{Kind: dsar.StepArchive, Model: "res.users", RecordID: 3}); err != nil {
		t.Fatal(err)
	}
	if u, _ := srv.Record("res.users", 3); u["active"] != false {
		t.Errorf("user not archived: %v", u)
	}
	if _, _, err := c.Apply(ctx, dsar.Step{Kind: dsar.StepNote, Model: "res.partner", RecordID: 5,
		Values: map[string]string{"body": "DSAR-2026-000007 <traitée>"}}); err != nil {
		t.Fatal(err)
	}

	// Opt-out twice: one blacklist entry.
	for range 2 {
		if _, _, err := c.Apply(ctx, dsar.Step{Kind: dsar.StepOptOut, Model: "mail.blacklist", Values: map[string]string{"email": "camille.durand@exemple.fr"}}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(srv.Records("mail.blacklist")); n != 1 {
		t.Errorf("%d blacklist entries", n)
	}

	// Accounting documents are never touched, whatever the step says.
	if _, _, err := c.Apply(ctx, dsar.Step{Kind: dsar.StepDelete, Model: "account.move", RecordID: 2}); !errors.Is(err, odoo.ErrForbiddenStep) {
		t.Errorf("deleting an invoice: %v", err)
	}
	if _, ok := srv.Record("account.move", 2); !ok {
		t.Errorf("the invoice is gone")
	}
}

func empty(v any) bool { return v == nil || v == false || v == "" }
