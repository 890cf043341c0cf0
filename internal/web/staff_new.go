package web

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
	"github.com/vracoop/dsar/internal/register"
)

// Enterer stores requests that staff enter.
type Enterer interface {
	EnterRequest(ctx context.Context, r *dsar.Request, status dsar.Token, actor string, render dsar.RenderMail) error
}

// newRequestPage is the form on which staff enter a request that arrived by
// email, post or phone.
type newRequestPage struct {
	staffBase
	F          formPage // the request's own fields, as on the public form
	Channel    string
	ReceivedOn string
	Channels   []dsar.Channel
	Errors     map[string]string // channel, received_on
}

var staffChannels = []dsar.Channel{dsar.ChannelEmail, dsar.ChannelPost, dsar.ChannelPhone}

func (s *Server) newRequestPage(c *gin.Context, sub dsar.Submission) newRequestPage {
	sb := s.staffBase(c)
	f := formPage{base: sb.base, Form: sub, Errors: map[string]string{}, Relationships: dsar.Relationships, Kinds: dsar.Kinds,
		Shops: s.activeShops(c.Request.Context())}
	return newRequestPage{staffBase: sb, F: f, Channels: staffChannels, Errors: map[string]string{},
		ReceivedOn: dsar.DateOf(s.opt.Now()).String()}
}

func (s *Server) handleNewRequestPage(c *gin.Context) {
	c.HTML(http.StatusOK, "staff_new", s.newRequestPage(c, dsar.Submission{Lang: string(langOf(c))}))
}

// handleEnterRequest stores a request entered by staff: received at once,
// its clock started on the day it arrived, acknowledged by email.
func (s *Server) handleEnterRequest(c *gin.Context) {
	lang := langOf(c)
	reqLang, _ := i18n.Parse(c.PostForm("request_lang"))
	sub := parseSubmission(c, reqLang)
	v := s.newRequestPage(c, sub)
	v.Channel, v.ReceivedOn = c.PostForm("channel"), c.PostForm("received_on")
	if !s.csrfValid(c) {
		v.F.FormError = i18n.T(lang, "err.csrf")
		c.HTML(http.StatusForbidden, "staff_new", v)
		return
	}
	v.F.Errors = problemMessages(lang, sub.Validate())
	received, dateErr := dsar.ParseDate(v.ReceivedOn)
	now := s.opt.Now()
	r, err := dsar.NewEnteredRequest(newRequestID(), sub, dsar.Channel(v.Channel), received, now)
	switch {
	case !dsar.Channel(v.Channel).Valid() || v.Channel == string(dsar.ChannelWeb):
		v.Errors["channel"] = i18n.T(lang, "new.err.channel")
	case dateErr != nil || err != nil:
		v.Errors["received_on"] = i18n.T(lang, "new.err.received_on")
	}
	if len(v.F.Errors) > 0 || len(v.Errors) > 0 {
		c.HTML(http.StatusUnprocessableEntity, "staff_new", v)
		return
	}
	r.Routing = s.opt.Register.Route(register.RouteInput{Relationship: r.Relationship})
	tok, err := dsar.NewToken(r.ID, dsar.TokenStatus, now.Add(s.opt.StatusTTL))
	if err != nil {
		s.fail(c, err, "new status token")
		return
	}
	me := currentStaff(c)
	if err := s.opt.Enterer.EnterRequest(c.Request.Context(), &r, tok, me.Actor(), s.opt.Mails.Acknowledgment); err != nil {
		s.fail(c, err, "enter request")
		return
	}
	s.opt.Notify()
	s.opt.Logger.Info("Request entered by staff", "ref", r.Ref, "staff_id", me.ID, "channel", r.Channel)
	c.Redirect(http.StatusSeeOther, "/staff/requests/"+r.Ref+"?done=entered")
}
