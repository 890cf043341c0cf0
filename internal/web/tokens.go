package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// requestByToken opens the request behind the link's token, or answers the
// page that says why it cannot and returns false.
func (s *Server) requestByToken(c *gin.Context, purpose dsar.TokenPurpose) (dsar.Request, bool) {
	plain := c.Param("token")
	if !dsar.WellFormedToken(plain) {
		s.linkProblem(c, dsar.ErrTokenUnknown)
		return dsar.Request{}, false
	}
	r, err := s.opt.Store.RequestByToken(c.Request.Context(), dsar.HashToken(plain), purpose, s.opt.Now())
	if err != nil {
		s.linkProblem(c, err)
		return dsar.Request{}, false
	}
	useRequestLang(c, r.Lang)
	return r, true
}

// linkProblem answers a link that cannot be used, without saying anything
// about the request behind it.
func (s *Server) linkProblem(c *gin.Context, err error) {
	switch {
	case errors.Is(err, dsar.ErrTokenUnknown):
		s.renderMessage(c, http.StatusNotFound, "link.unknown.title", "link.unknown.body")
	case errors.Is(err, dsar.ErrTokenExpired):
		s.renderMessage(c, http.StatusGone, "link.expired.title", "link.expired.body")
	case errors.Is(err, dsar.ErrTokenUsed):
		s.renderMessage(c, http.StatusConflict, "link.used.title", "link.used.body")
	default:
		s.fail(c, err, "open token link")
	}
}

// confirmPage asks the person to press a button: confirming on GET would
// let mail scanners that prefetch links confirm on their behalf.
type confirmPage struct {
	base
	Ref    string
	Action string
}

func (s *Server) handleConfirmPage(c *gin.Context) {
	r, ok := s.requestByToken(c, dsar.TokenConfirm)
	if !ok {
		return
	}
	b := s.tokenBase(c)
	c.HTML(http.StatusOK, "confirm", confirmPage{base: b, Ref: r.Ref, Action: c.Request.URL.Path})
}

// confirmedPage tells the person their request is received and when the
// answer is due.
type confirmedPage struct {
	base
	Ref, Due string
}

func (s *Server) handleConfirm(c *gin.Context) {
	plain := c.Param("token")
	if !dsar.WellFormedToken(plain) {
		s.linkProblem(c, dsar.ErrTokenUnknown)
		return
	}
	if !s.csrfValid(c) {
		// The button's form expired: show it again with a fresh token.
		s.handleConfirmPage(c)
		return
	}
	now := s.opt.Now()
	status, err := dsar.NewToken("", dsar.TokenStatus, now.Add(s.opt.StatusTTL))
	if err != nil {
		s.fail(c, err, "new status token")
		return
	}
	r, err := s.opt.Store.ConfirmRequest(c.Request.Context(), dsar.HashToken(plain), status, now, s.opt.Mails.Acknowledgment)
	if err != nil {
		s.linkProblem(c, err)
		return
	}
	s.opt.Notify()
	useRequestLang(c, r.Lang)
	s.opt.Logger.Info("Request confirmed", slog.String("ref", r.Ref), slog.String("due", r.Clock.Due().String()))
	// No language switch here: the link it would give is used up.
	b := s.base(c)
	b.LangSwitch = ""
	c.HTML(http.StatusOK, "confirmed", confirmedPage{base: b, Ref: r.Ref, Due: i18n.FormatDate(langOf(c), r.Clock.Due())})
}

// tokenBase is the base view of a token page that has a form: the
// language switch keeps the person on the same link.
func (s *Server) tokenBase(c *gin.Context) base {
	b := s.base(c)
	b.CSRF = s.csrfToken(c)
	return b
}

// statusPage shows where a request stands and nothing else personal.
type statusPage struct {
	base
	Ref, Status                        string
	Received, Due, Closed, PausedSince string
	Extended                           bool
}

func (s *Server) handleStatus(c *gin.Context) {
	r, ok := s.requestByToken(c, dsar.TokenStatus)
	if !ok {
		return
	}
	lang := langOf(c)
	v := statusPage{base: s.base(c), Ref: r.Ref, Status: string(r.Status), Extended: r.Clock.Extended}
	if r.ClockStarted() {
		v.Received = i18n.FormatDate(lang, r.Clock.Start)
		v.Due = i18n.FormatDate(lang, r.Clock.Due())
	}
	if r.ClosedAt != nil {
		v.Closed = i18n.FormatDate(lang, dsar.DateOf(*r.ClosedAt))
	}
	if r.PausedSince != nil {
		v.PausedSince = i18n.FormatDate(lang, dsar.DateOf(*r.PausedSince))
	}
	c.HTML(http.StatusOK, "status", v)
}
