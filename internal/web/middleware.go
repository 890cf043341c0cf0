package web

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// securityHeaders sets the headers every page carries. The policy allows no
// inline script or style: the pages need neither.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	c.Next()
}

// tokenPage marks pages reached through a secret link: never cached, and
// the link never leaks through the Referer header.
func (s *Server) tokenPage(c *gin.Context) {
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// boundBody caps what a client may post, for handlers that read the body
// themselves and answer one too large in their own way (the public form
// shows itself again; the API answers in JSON).
func (s *Server) boundBody(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	c.Next()
}

// limitBody caps a posted form and reads it at once, so that one too large
// is refused as such (413) rather than as a form that failed its CSRF
// check.
func (s *Server) limitBody(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderMessage(c, http.StatusRequestEntityTooLarge, "site.error.title", "err.too_large")
			c.Abort()
			return
		}
	}
	c.Next()
}

// logRequests logs each request without its query string, which may hold a
// token or a language only.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s.opt.Logger.LogAttrs(c.Request.Context(), slog.LevelDebug, "HTTP request",
		slog.String("method", c.Request.Method), slog.String("route", route),
		slog.Int("status", c.Writer.Status()), slog.Duration("duration", time.Since(start)))
}

// recoverer turns a panic into the internal-error page, with a reference
// that leads to the log line.
func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if p := recover(); p != nil {
			ref := errorRef()
			s.opt.Logger.Error("Panic while serving", "error_ref", ref, "route", c.FullPath(), "panic", p)
			if !c.Writer.Written() {
				s.renderError(c, http.StatusInternalServerError, ref)
			}
			c.Abort()
		}
	}()
	c.Next()
}

// fail answers an error from a lower layer: unavailable errors ask the
// person to try later; anything else internal is logged with a reference
// and shown as a plain sentence, never as err.Error().
func (s *Server) fail(c *gin.Context, err error, what string) {
	if dsar.ErrorCode(err) == dsar.EUNAVAILABLE {
		s.opt.Logger.Warn("Service unavailable", "op", what, "error", err)
		c.Header("Retry-After", "60")
		s.renderMessage(c, http.StatusServiceUnavailable, "site.error.title", "err.unavailable")
		return
	}
	ref := errorRef()
	s.opt.Logger.Error("Request failed", "op", what, "error_ref", ref, "error", err)
	s.renderError(c, http.StatusInternalServerError, ref)
}

func (s *Server) renderError(c *gin.Context, status int, ref string) {
	v := messagePage{base: s.base(c), Warning: true}
	v.Title = i18n.T(v.Lang, "site.error.title")
	v.Paragraphs = []string{i18n.T(v.Lang, "err.internal", ref)}
	c.HTML(status, "message", v)
}

func errorRef() string { return uuid.NewString()[:8] }

// newRequestID returns a new request's ID: a time-ordered UUID (version 7),
// so that the indexes keyed by it grow at their end instead of dirtying a
// random page per insert (see BENCHMARKS.md). It reveals only when the
// request was made, which its record says anyway.
func newRequestID() string { return uuid.Must(uuid.NewV7()).String() }
