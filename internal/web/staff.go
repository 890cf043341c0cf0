package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
	"github.com/vracoop/dsar/internal/password"
)

// StaffStore is what the back office needs from storage for accounts and
// sessions.
type StaffStore interface {
	StaffByEmail(ctx context.Context, email string) (dsar.Staff, string, error)
	StaffByID(ctx context.Context, id int64) (dsar.Staff, error)
	ListStaff(ctx context.Context) ([]dsar.Staff, error)
	CreateStaff(ctx context.Context, s *dsar.Staff, passwordHash, actor string) error
	SetStaffActive(ctx context.Context, id int64, active bool, actor string, now time.Time) error
	SetStaffRole(ctx context.Context, id int64, role dsar.StaffRole, actor string, now time.Time) error
	SetStaffPassword(ctx context.Context, id int64, passwordHash, actor string, now time.Time) error
	RecordLoginFailure(ctx context.Context, s dsar.Staff, now time.Time, ip string) error
	StartSession(ctx context.Context, s dsar.Staff, sessionHash string, now, expires time.Time, ip string) error
	SessionStaff(ctx context.Context, sessionHash string, now time.Time, idle time.Duration) (dsar.Staff, error)
	EndSession(ctx context.Context, sessionHash string, s dsar.Staff, now time.Time) error
}

const (
	sessionCookie = "dsar_session"
	staffKey      = "staff"
	// loginPerIPPerHour bounds password guessing from one address across
	// accounts; the per-account lockout bounds it on one account.
	loginPerIPPerHour = 60
	loginBurst        = 10
)

// dummyHash is verified when the email is unknown, so that a wrong email
// takes as long as a wrong password and does not reveal which accounts
// exist.
var dummyHash, _ = password.Hash("dsar-no-such-account", password.Default)

// requireStaff lets only a logged-in staff member through; others are sent
// to the login page, which brings them back afterwards.
func (s *Server) requireStaff(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	if v, err := c.Cookie(sessionCookie); err == nil && v != "" {
		st, err := s.opt.Staff.SessionStaff(c.Request.Context(), dsar.HashToken(v), s.opt.Now(), s.opt.SessionIdle)
		if err == nil {
			c.Set(staffKey, st)
			c.Next()
			return
		}
		if dsar.ErrorCode(err) != dsar.EUNAUTHORIZED {
			s.fail(c, err, "read session")
			c.Abort()
			return
		}
	}
	c.Redirect(http.StatusSeeOther, "/staff/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
	c.Abort()
}

// requireAdmin follows requireStaff on admin-only routes.
func (s *Server) requireAdmin(c *gin.Context) {
	if !currentStaff(c).IsAdmin() {
		s.renderMessage(c, http.StatusForbidden, "staff.forbidden.title", "staff.forbidden.body")
		c.Abort()
		return
	}
	c.Next()
}

func currentStaff(c *gin.Context) dsar.Staff {
	v, _ := c.Get(staffKey)
	st, _ := v.(dsar.Staff)
	return st
}

// loginPage is the view of the login form.
type loginPage struct {
	base
	Email, Next, Error string
}

func (s *Server) handleLoginPage(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	b := s.base(c)
	b.CSRF = s.csrfToken(c)
	c.HTML(http.StatusOK, "staff_login", loginPage{base: b, Next: safeNext(c.Query("next"))})
}

func (s *Server) handleLogin(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	lang := langOf(c)
	b := s.base(c)
	b.CSRF = s.csrfToken(c)
	v := loginPage{base: b, Email: strings.TrimSpace(c.PostForm("email")), Next: safeNext(c.PostForm("next"))}
	fail := func(status int, key string, args ...any) {
		v.Error = i18n.T(lang, key, args...)
		c.HTML(status, "staff_login", v)
	}
	if !s.csrfValid(c) {
		fail(http.StatusForbidden, "err.csrf")
		return
	}
	ip := c.ClientIP()
	if !s.loginLimiter.Allow(ip) {
		c.Header("Retry-After", "3600")
		fail(http.StatusTooManyRequests, "staff.login.throttled")
		return
	}
	ctx, now := c.Request.Context(), s.opt.Now()
	st, hash, err := s.opt.Staff.StaffByEmail(ctx, v.Email)
	if err != nil && dsar.ErrorCode(err) != dsar.ENOTFOUND {
		s.fail(c, err, "find staff")
		return
	}
	if err != nil || !st.Active {
		password.Verify(dummyHash, c.PostForm("password"))
		fail(http.StatusUnauthorized, "staff.login.wrong")
		return
	}
	if st.Locked(now) {
		fail(http.StatusTooManyRequests, "staff.login.locked", int(st.LockedUntil.Sub(now).Minutes())+1)
		return
	}
	if ok, _ := password.Verify(hash, c.PostForm("password")); !ok {
		st.LoginFailed(now)
		if err := s.opt.Staff.RecordLoginFailure(ctx, st, now, ip); err != nil {
			s.fail(c, err, "record login failure")
			return
		}
		if st.Locked(now) {
			fail(http.StatusTooManyRequests, "staff.login.locked", int(dsar.LockoutDuration.Minutes()))
			return
		}
		fail(http.StatusUnauthorized, "staff.login.wrong")
		return
	}
	st.LoginSucceeded(now)
	plain := newSessionID()
	if err := s.opt.Staff.StartSession(ctx, st, dsar.HashToken(plain), now, now.Add(s.opt.SessionTTL), ip); err != nil {
		s.fail(c, err, "start session")
		return
	}
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(sessionCookie, plain, int(s.opt.SessionTTL.Seconds()), "/", "", s.secure, true)
	s.opt.Logger.Info("Staff login", "staff_id", st.ID)
	c.Redirect(http.StatusSeeOther, v.Next)
}

func (s *Server) handleLogout(c *gin.Context) {
	if !s.csrfValid(c) {
		s.renderMessage(c, http.StatusForbidden, "site.error.title", "err.csrf")
		return
	}
	if v, err := c.Cookie(sessionCookie); err == nil {
		if err := s.opt.Staff.EndSession(c.Request.Context(), dsar.HashToken(v), currentStaff(c), s.opt.Now()); err != nil {
			s.fail(c, err, "end session")
			return
		}
	}
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(sessionCookie, "", -1, "/", "", s.secure, true)
	c.Redirect(http.StatusSeeOther, "/staff/login")
}

// safeNext keeps a post-login redirect inside the back office.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/staff") || strings.HasPrefix(next, "/staff/login") || strings.ContainsAny(next, "\\\r\n") {
		return "/staff"
	}
	return next
}

func newSessionID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
