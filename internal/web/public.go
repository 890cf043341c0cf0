package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
	"github.com/vracoop/dsar/internal/register"
)

func (s *Server) formPage(c *gin.Context, sub dsar.Submission) formPage {
	b := s.base(c)
	b.CSRF = s.csrfToken(c)
	return formPage{base: b, Form: sub, Errors: map[string]string{},
		Relationships: dsar.Relationships, Kinds: dsar.Kinds, Shops: s.activeShops(c.Request.Context())}
}

// handleForm shows the empty request form.
func (s *Server) handleForm(c *gin.Context) {
	c.HTML(http.StatusOK, "form", s.formPage(c, dsar.Submission{}))
}

// handleSubmit validates and stores a request, then sends the person to a
// page that says what happens next. On any problem the form comes back
// with what they typed and a message next to each field; nothing is stored.
func (s *Server) handleSubmit(c *gin.Context) {
	lang := langOf(c)
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		status, key := http.StatusBadRequest, "err.csrf"
		if errors.As(err, &tooBig) {
			status, key = http.StatusRequestEntityTooLarge, "err.too_large"
		}
		p := s.formPage(c, dsar.Submission{})
		p.FormError = i18n.T(lang, key)
		c.HTML(status, "form", p)
		return
	}
	sub := parseSubmission(c, lang)
	// The form is built (with its shop list and a fresh CSRF token) only
	// when it is shown again: a valid post needs neither.
	again := func(status int, formError string, problems dsar.Problems) {
		p := s.formPage(c, sub)
		p.FormError = formError
		if problems != nil {
			p.Errors = problemMessages(lang, problems)
		}
		c.HTML(status, "form", p)
	}
	switch {
	case !s.csrfValid(c):
		again(http.StatusForbidden, i18n.T(lang, "err.csrf"), nil)
		return
	case c.PostForm("website") != "":
		// A person's browser may autofill the hidden field: say so rather
		// than pretend, so that no real request is silently lost.
		s.opt.Logger.Info("Honeypot field filled; request refused")
		again(http.StatusUnprocessableEntity, i18n.T(lang, "err.honeypot"), nil)
		return
	}
	problems := sub.Validate()
	if sub.ShopID != 0 {
		ok, err := s.shopActive(c.Request.Context(), sub.ShopID)
		if err != nil {
			s.fail(c, err, "read the shop picked")
			return
		}
		if !ok {
			problems["shop_id"] = dsar.ProblemChoice
		}
	}
	if len(problems) > 0 {
		again(http.StatusUnprocessableEntity, "", problems)
		return
	}
	if s.limiter != nil && !s.limiter.Allow(c.ClientIP()) {
		s.opt.Logger.Warn("Rate limit reached for form posts")
		c.Header("Retry-After", "3600")
		again(http.StatusTooManyRequests, i18n.T(lang, "err.rate_limited"), nil)
		return
	}
	now := s.opt.Now()
	r := dsar.NewRequest(newRequestID(), sub, dsar.ChannelWeb, now)
	r.Routing = s.opt.Register.Route(register.RouteInput{Relationship: r.Relationship})
	tok, err := dsar.NewToken(r.ID, dsar.TokenConfirm, now.Add(s.opt.ConfirmTTL))
	if err != nil {
		s.fail(c, err, "new confirmation token")
		return
	}
	if err := s.opt.Store.CreateRequest(c.Request.Context(), &r, tok, s.opt.Mails.Confirmation); err != nil {
		s.fail(c, err, "create request")
		return
	}
	s.opt.Notify()
	s.opt.Logger.Info("Request submitted", slog.String("ref", r.Ref), slog.String("request_id", r.ID))
	c.Redirect(http.StatusSeeOther, "/submitted?lang="+string(lang))
}

// submittedPage says what happens next, the same whatever the address.
type submittedPage struct {
	base
	ConfirmDays int
}

func (s *Server) handleSubmitted(c *gin.Context) {
	c.HTML(http.StatusOK, "submitted", submittedPage{base: s.base(c), ConfirmDays: int(s.opt.ConfirmTTL.Hours() / 24)})
}
