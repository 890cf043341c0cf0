package odootest

import (
	"strings"
	"testing"
	"time"
)

func TestVersion(t *testing.T) {
	for _, v := range []int{16, 17, 18, 19} {
		c := newClient(t, Options{Version: v})
		out, err := c.call("common", "version")
		if err != nil {
			t.Fatal(err)
		}
		m := out.(map[string]any)
		want := map[string]string{"16": "16.0", "17": "17.0", "18": "18.0", "19": "19.0"}[itoa(v)]
		if m["server_version"] != want || m["server_serie"] != want || asI(m["protocol_version"]) != 1 {
			t.Errorf("version %d: got %v", v, m)
		}
		info := m["server_version_info"].([]any)
		if asI(info[0]) != v || info[3] != "final" || len(info) != 6 {
			t.Errorf("version %d: server_version_info %v", v, info)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	users := []User{
		{Login: "admin", Password: "admin", APIKey: DefaultAPIKey, UID: 2, Admin: true},
		{Login: "dsar", Password: "secret", APIKey: "0123456789abcdef0123456789abcdef01234567", UID: 7, TwoFactor: true},
	}
	c := newClient(t, Options{Users: users, Data: DemoVRACOOP()})
	cases := []struct {
		name, login, password string
		want                  any
	}{
		{"password", "admin", "admin", int64(2)},
		{"api key", "admin", DefaultAPIKey, int64(2)},
		{"wrong password", "admin", "nope", false},
		{"unknown login", "nobody", "admin", false},
		{"empty password", "admin", "", false},
		{"two-factor user: password refused", "dsar", "secret", false},
		{"two-factor user: api key", "dsar", "0123456789abcdef0123456789abcdef01234567", int64(7)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.call("common", "authenticate", c.s.DB(), tc.login, tc.password, map[string]any{})
			if err != nil {
				t.Fatalf("authenticate is not a fault on bad credentials: %v", err)
			}
			if got != tc.want {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
			c.s.mu.Lock()
			c.s.failures = map[string]loginFailure{} // keep the cases independent
			c.s.mu.Unlock()
		})
	}
	t.Run("login", func(t *testing.T) {
		got, err := c.call("common", "login", c.s.DB(), "admin", "admin")
		if err != nil || got != int64(2) {
			t.Errorf("login: %v, %v", got, err)
		}
	})
	t.Run("wrong database", func(t *testing.T) {
		_, err := c.call("common", "authenticate", "nope", "admin", "admin", map[string]any{})
		code, s := fault(t, err)
		if code != 1 || !strings.Contains(s, `database "nope" does not exist`) {
			t.Errorf("got %d %q", code, s)
		}
	})
}

func TestAccessDenied(t *testing.T) {
	c := newClient(t, Options{})
	c.pw = "wrong"
	_, err := c.kw("res.partner", "search_count", []any{[]any{}}, nil)
	code, s := fault(t, err)
	if code != 3 || s != "Access Denied" {
		t.Errorf("got %d %q, want 3 Access Denied", code, s)
	}
	c.pw = DefaultAPIKey
	if _, err := c.kw("res.partner", "search_count", []any{[]any{}}, nil); err != nil {
		t.Errorf("API key refused: %v", err)
	}
}

func TestLoginCooldown(t *testing.T) {
	clk := newClock()
	c := newClient(t, Options{Now: clk.now})
	auth := func(pw string) any {
		t.Helper()
		out, err := c.call("common", "authenticate", c.s.DB(), "admin", pw, map[string]any{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for i := 0; i < 5; i++ {
		if got := auth("bad"); got != false {
			t.Fatalf("failure %d: %v", i, got)
		}
	}
	// On cooldown: even the right password gets False.
	if got := auth("admin"); got != false {
		t.Fatalf("right password during cooldown: %v, want false", got)
	}
	// execute_kw with credentials never verified: fault 3, cooldown text.
	c.pw = DefaultAPIKey
	_, err := c.kw("res.partner", "search_count", []any{[]any{}}, nil)
	code, s := fault(t, err)
	if code != 3 || s != "Too many login failures, please wait a bit before trying again." {
		t.Errorf("execute_kw during cooldown: %d %q", code, s)
	}
	clk.advance(59 * time.Second)
	if got := auth("admin"); got != false {
		t.Errorf("after 59 s: %v, want still on cooldown", got)
	}
	clk.advance(2 * time.Second)
	if got := auth("admin"); got != int64(2) {
		t.Errorf("after 61 s: %v, want uid 2", got)
	}
	// The success forgot the failures: one more failure is not a cooldown.
	auth("bad")
	if got := auth("admin"); got != int64(2) {
		t.Errorf("after one new failure: %v", got)
	}
}

func TestCooldownSparesVerifiedCredentials(t *testing.T) {
	clk := newClock()
	c := newClient(t, Options{Now: clk.now})
	c.must("res.partner", "search_count", []any{[]any{}}, nil) // verified, cached as Odoo does
	for i := 0; i < 5; i++ {
		c.call("common", "authenticate", c.s.DB(), "admin", "bad", map[string]any{})
	}
	if _, err := c.kw("res.partner", "search_count", []any{[]any{}}, nil); err != nil {
		t.Errorf("cached credentials refused during cooldown: %v", err)
	}
	c.pw = "still wrong"
	_, err := c.kw("res.partner", "search_count", []any{[]any{}}, nil)
	if code, s := fault(t, err); code != 3 || !strings.HasPrefix(s, "Too many login failures") {
		t.Errorf("bad password during cooldown: %d %q", code, s)
	}
}

func TestCooldownOptions(t *testing.T) {
	c := newClient(t, Options{CooldownAfter: 10})
	for i := 0; i < 9; i++ {
		c.call("common", "authenticate", c.s.DB(), "admin", "bad", map[string]any{})
	}
	if got, _ := c.call("common", "authenticate", c.s.DB(), "admin", "admin", map[string]any{}); got != int64(2) {
		t.Errorf("after 9 failures with a threshold of 10: %v", got)
	}
}
