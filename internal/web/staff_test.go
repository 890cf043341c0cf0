package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/password"
)

// fastHash keeps argon2id cheap in tests; production uses password.Default.
var fastHash = password.Params{Memory: 64, Time: 1, Threads: 1}

const staffPassword = "un mot de passe solide"

func (h *harness) addStaff(email string, role dsar.StaffRole) dsar.Staff {
	h.t.Helper()
	hash, err := password.Hash(staffPassword, fastHash)
	if err != nil {
		h.t.Fatal(err)
	}
	s := dsar.Staff{Email: email, Name: "Claire " + string(role), Role: role, Active: true, CreatedAt: h.clock()}
	if err := h.db.CreateStaff(context.Background(), &s, hash, "test"); err != nil {
		h.t.Fatal(err)
	}
	return s
}

// login logs b in and returns the page it lands on.
func (h *harness) login(b *http.Client, email, pw string) page {
	h.t.Helper()
	form := h.do(b, "GET", "/staff/login", nil)
	return h.do(b, "POST", "/staff/login", url.Values{"csrf_token": {form.csrf(h.t)}, "email": {email}, "password": {pw}, "next": {"/staff"}})
}

func (h *harness) auditActions() []string {
	h.t.Helper()
	entries, err := h.db.AuditLog(context.Background(), 0, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	return out
}

func TestStaffPagesNeedALogin(t *testing.T) {
	h := newHarness(t, nil)
	for _, path := range []string{"/staff", "/staff/users", "/staff/register", "/staff/requests", "/staff/requests/DSAR-2026-000001"} {
		p := h.do(h.browser(), "GET", path, nil)
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/staff/login?next=") {
			t.Errorf("%s: anonymous got %d %q", path, p.status, p.header.Get("Location"))
		}
	}
	if p := h.do(h.browser(), "POST", "/staff/users", url.Values{"email": {"x@vracoop.fr"}}); p.status != http.StatusSeeOther {
		t.Errorf("anonymous POST: %d", p.status)
	}
	if p := h.do(h.browser(), "GET", "/", nil); strings.Contains(p.body, "/staff") {
		t.Errorf("the public form links to the back office")
	}
}

func TestStaffLogin(t *testing.T) {
	h := newHarness(t, nil)
	h.addStaff("claire@vracoop.fr", dsar.StaffAgent)
	b := h.browser()

	if p := h.login(b, "claire@vracoop.fr", "wrong password!"); p.status != http.StatusUnauthorized || !strings.Contains(p.body, "Adresse e-mail ou mot de passe incorrect.") {
		t.Errorf("wrong password: %d", p.status)
	}
	if p := h.login(b, "nobody@vracoop.fr", staffPassword); p.status != http.StatusUnauthorized || !strings.Contains(p.body, "Adresse e-mail ou mot de passe incorrect.") {
		t.Errorf("unknown account: %d", p.status)
	}
	p := h.login(b, "Claire@VRACOOP.fr", staffPassword)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/staff" {
		t.Fatalf("login: %d %q\n%s", p.status, p.header.Get("Location"), p.body)
	}
	cookie := p.header.Get("Set-Cookie")
	for _, attr := range []string{"dsar_session=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie %q lacks %s", cookie, attr)
		}
	}
	home := h.do(b, "GET", "/staff", nil)
	if home.status != http.StatusOK || !strings.Contains(home.body, "Demandes par état") {
		t.Fatalf("home: %d", home.status)
	}
	if home.header.Get("Cache-Control") != "no-store" {
		t.Errorf("staff page may be cached")
	}

	// Logout needs the CSRF token, and ends the session server-side.
	if p := h.do(b, "POST", "/staff/logout", url.Values{"csrf_token": {"forged"}}); p.status != http.StatusForbidden {
		t.Errorf("logout with a forged token: %d", p.status)
	}
	if p := h.do(b, "POST", "/staff/logout", url.Values{"csrf_token": {home.csrf(t)}}); p.status != http.StatusSeeOther {
		t.Errorf("logout: %d", p.status)
	}
	if p := h.do(b, "GET", "/staff", nil); p.status != http.StatusSeeOther {
		t.Errorf("after logout: %d", p.status)
	}
	got := strings.Join(h.auditActions(), ",")
	if want := "staff_add,login_failed,login,logout"; got != want {
		t.Errorf("audit = %s, want %s", got, want)
	}
}

func TestStaffLoginRefusesForgedCSRF(t *testing.T) {
	h := newHarness(t, nil)
	h.addStaff("claire@vracoop.fr", dsar.StaffAgent)
	b := h.browser()
	h.do(b, "GET", "/staff/login", nil)
	p := h.do(b, "POST", "/staff/login", url.Values{"csrf_token": {"forged"}, "email": {"claire@vracoop.fr"}, "password": {staffPassword}})
	if p.status != http.StatusForbidden {
		t.Errorf("login with forged CSRF: %d", p.status)
	}
}

func TestStaffLockout(t *testing.T) {
	h := newHarness(t, nil)
	h.addStaff("claire@vracoop.fr", dsar.StaffAgent)
	b := h.browser()
	for i := 1; i <= dsar.MaxFailedLogins; i++ {
		p := h.login(b, "claire@vracoop.fr", "not the password")
		want := http.StatusUnauthorized
		if i == dsar.MaxFailedLogins {
			want = http.StatusTooManyRequests
		}
		if p.status != want {
			t.Errorf("attempt %d: status %d, want %d", i, p.status, want)
		}
	}
	// Locked: even the right password is refused, with a clear message.
	p := h.login(b, "claire@vracoop.fr", staffPassword)
	if p.status != http.StatusTooManyRequests || !strings.Contains(p.body, "ce compte est bloqué") {
		t.Errorf("right password while locked: %d\n%s", p.status, p.body)
	}
	h.advance(dsar.LockoutDuration + time.Second)
	if p := h.login(b, "claire@vracoop.fr", staffPassword); p.status != http.StatusSeeOther {
		t.Errorf("after the lockout: %d", p.status)
	}
	if got := strings.Count(strings.Join(h.auditActions(), ","), "login_locked"); got != 1 {
		t.Errorf("lockout audited %d times", got)
	}
}

func TestAdminManagesUsers(t *testing.T) {
	h := newHarness(t, nil)
	h.addStaff("admin@vracoop.fr", dsar.StaffAdmin)
	agent := h.addStaff("agent@vracoop.fr", dsar.StaffAgent)

	ab := h.browser()
	h.login(ab, "agent@vracoop.fr", staffPassword)
	if p := h.do(ab, "GET", "/staff/users", nil); p.status != http.StatusForbidden {
		t.Errorf("an agent opened the accounts page: %d", p.status)
	}
	home := h.do(ab, "GET", "/staff", nil)
	if p := h.do(ab, "POST", "/staff/users", url.Values{"csrf_token": {home.csrf(t)}, "email": {"x@vracoop.fr"}, "name": {"X"}, "role": {"admin"}, "password": {staffPassword}}); p.status != http.StatusForbidden {
		t.Errorf("an agent created an account: %d", p.status)
	}
	if strings.Contains(home.body, `href="/staff/users"`) {
		t.Errorf("an agent sees the accounts link")
	}

	b := h.browser()
	h.login(b, "admin@vracoop.fr", staffPassword)
	users := h.do(b, "GET", "/staff/users", nil)
	tok := users.csrf(t)
	bad := h.do(b, "POST", "/staff/users", url.Values{"csrf_token": {tok}, "email": {"nope"}, "name": {""}, "role": {"boss"}, "password": {"short"}})
	if bad.status != http.StatusUnprocessableEntity {
		t.Errorf("invalid account: %d", bad.status)
	}
	for field, want := range map[string]string{"email": "n'est pas valide", "name": "Indiquez votre nom", "role": "Choisissez un rôle.", "password": "12 caractères au minimum"} {
		if got := bad.fieldError(field); !strings.Contains(got, want) {
			t.Errorf("%s error = %q, want %q", field, got, want)
		}
	}
	ok := h.do(b, "POST", "/staff/users", url.Values{"csrf_token": {tok}, "email": {"new@vracoop.fr"}, "name": {"Nouvel Agent"}, "role": {"agent"}, "password": {staffPassword}})
	if ok.status != http.StatusCreated || !strings.Contains(ok.body, "new@vracoop.fr") {
		t.Errorf("create: %d", ok.status)
	}
	if p := h.do(b, "POST", "/staff/users", url.Values{"csrf_token": {tok}, "email": {"NEW@vracoop.fr"}, "name": {"Encore"}, "role": {"agent"}, "password": {staffPassword}}); p.status != http.StatusConflict {
		t.Errorf("duplicate: %d", p.status)
	}
	if p := h.login(h.browser(), "new@vracoop.fr", staffPassword); p.status != http.StatusSeeOther {
		t.Errorf("the new account cannot log in: %d", p.status)
	}

	// Disabling the agent ends their session at once.
	if p := h.do(b, "POST", "/staff/users/"+itoa(agent.ID)+"/disable", url.Values{"csrf_token": {tok}}); p.status != http.StatusOK {
		t.Errorf("disable: %d", p.status)
	}
	if p := h.do(ab, "GET", "/staff", nil); p.status != http.StatusSeeOther {
		t.Errorf("a disabled agent still has a session: %d", p.status)
	}
	if p := h.do(b, "POST", "/staff/users/"+itoa(agent.ID)+"/disable", url.Values{"csrf_token": {"forged"}}); p.status != http.StatusForbidden {
		t.Errorf("admin action with a forged token: %d", p.status)
	}
	log := strings.Join(h.auditActions(), ",")
	for _, want := range []string{"staff_add", "staff_disable"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit lacks %s: %s", want, log)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
