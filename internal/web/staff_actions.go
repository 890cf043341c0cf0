package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// Changer applies staff actions to requests, in one transaction each.
type Changer interface {
	ChangeRequest(ctx context.Context, ref, actor string, now time.Time, change func(r *dsar.Request) (dsar.Change, error)) (dsar.Request, error)
}

// StaffMails renders the mails that staff actions send.
type StaffMails interface {
	InfoRequest(r dsar.Request, question string) (dsar.Mail, error)
	ExtensionNotice(r dsar.Request) (dsar.Mail, error)
	Denial(r dsar.Request) (dsar.Mail, error)
	Outcome(r dsar.Request, p *dsar.Plan) (dsar.Mail, error)
}

// action is one staff action on a request: it reads its form and changes
// the request, returning the events and mails.
type action func(c *gin.Context, me dsar.Staff, r *dsar.Request, now time.Time) (dsar.Change, error)

// actions are the staff actions, by the last segment of their URL.
func (s *Server) actions() map[string]action {
	return map[string]action{
		"assign": func(c *gin.Context, me dsar.Staff, r *dsar.Request, now time.Time) (dsar.Change, error) {
			id, _ := strconv.ParseInt(c.PostForm("assignee"), 10, 64)
			name := ""
			if id != 0 {
				st, err := s.opt.Staff.StaffByID(c.Request.Context(), id)
				if err != nil || !st.Active {
					return dsar.Change{}, errUnknownStaff
				}
				name = st.Name
			}
			evs, err := r.Assign(id, name, me.Actor(), now)
			return dsar.Change{Events: evs}, err
		},
		"note": func(c *gin.Context, me dsar.Staff, r *dsar.Request, now time.Time) (dsar.Change, error) {
			ev, err := r.Note(c.PostForm("text"), me.Actor(), now)
			return dsar.Change{Events: []dsar.Event{ev}}, err
		},
		"ask": func(c *gin.Context, me dsar.Staff, r *dsar.Request, now time.Time) (dsar.Change, error) {
			evs, err := r.AskInfo(c.PostForm("text"), me.Actor(), now)
			if err != nil {
				return dsar.Change{}, err
			}
			m, err := s.opt.StaffMails.InfoRequest(*r, evs[len(evs)-1].Note)
			return dsar.Change{Events: evs, Mails: []dsar.Mail{m}}, err
		},
		"answer": func(c *gin.Context, me dsar.Staff, r *dsar.Request, now time.Time) (dsar.Change, error) {
			ev, err := r.InfoReceived(c.PostForm("text"), me.Actor(), now)
			return dsar.Change{Events: []dsar.Event{ev}}, err
		},
		"identity": func(c *gin.Context, me dsar.Staff, r *dsar.Request, now time.Time) (dsar.Change, error) {
			evs, err := r.VerifyIdentity(c.PostForm("text"), me.Actor(), now)
			return dsar.Change{Events: evs}, err
		},
		"extend": func(c *gin.Context, me dsar.Staff, r *dsar.Request, now time.Time) (dsar.Change, error) {
			evs, err := r.Extend(c.PostForm("text"), me.Actor(), now)
			if err != nil {
				return dsar.Change{}, err
			}
			m, err := s.opt.StaffMails.ExtensionNotice(*r)
			return dsar.Change{Events: evs, Mails: []dsar.Mail{m}}, err
		},
		"deny": func(c *gin.Context, me dsar.Staff, r *dsar.Request, now time.Time) (dsar.Change, error) {
			ev, err := r.Deny(c.PostForm("ground"), c.PostForm("text"), me.Actor(), now)
			if err != nil {
				return dsar.Change{}, err
			}
			m, err := s.opt.StaffMails.Denial(*r)
			return dsar.Change{Events: []dsar.Event{ev}, Mails: []dsar.Mail{m}}, err
		},
		"complete": func(c *gin.Context, me dsar.Staff, r *dsar.Request, now time.Time) (dsar.Change, error) {
			// Manual tasks must be ticked and an approved plan executed
			// before the request is closed.
			var plan *dsar.Plan
			p, err := s.opt.Plans.LatestPlan(c.Request.Context(), r.ID)
			if err == nil {
				if err := p.Blocking(); err != nil {
					return dsar.Change{}, err
				}
				plan = &p
			} else if dsar.ErrorCode(err) != dsar.ENOTFOUND {
				return dsar.Change{}, err
			}
			ev, err := r.Complete(c.PostForm("text"), me.Actor(), now)
			if err != nil {
				return dsar.Change{}, err
			}
			ch := dsar.Change{Events: []dsar.Event{ev}}
			// The person is told what was done for every right but access,
			// whose answer is the data package.
			for _, k := range []dsar.Kind{dsar.KindErasure, dsar.KindRectification, dsar.KindRestriction, dsar.KindObjection} {
				if dsar.HasKind(r.Kinds, k) {
					m, err := s.opt.StaffMails.Outcome(*r, plan)
					if err != nil {
						return dsar.Change{}, err
					}
					ch.Mails = append(ch.Mails, m)
					break
				}
			}
			return ch, nil
		},
	}
}

var errUnknownStaff = &dsar.Error{Code: dsar.EINVALID, Message: "unknown staff member"}

// handleRequestAction runs one staff action and shows the request again,
// with what happened.
func (s *Server) handleRequestAction(c *gin.Context) {
	ref, name := c.Param("ref"), c.Param("action")
	act, ok := s.actions()[name]
	if !ok {
		s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
		return
	}
	if !s.csrfValid(c) {
		s.renderRequest(c, http.StatusForbidden, "", "", i18n.T(langOf(c), "err.csrf"))
		return
	}
	me, now := currentStaff(c), s.opt.Now()
	_, err := s.opt.Changer.ChangeRequest(c.Request.Context(), ref, me.Actor(), now, func(r *dsar.Request) (dsar.Change, error) {
		return act(c, me, r, now)
	})
	switch {
	case dsar.ErrorCode(err) == dsar.ENOTFOUND && !errors.Is(err, errUnknownStaff):
		s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
		return
	case err != nil && (dsar.ErrorCode(err) == dsar.EINVALID || dsar.ErrorCode(err) == dsar.ECONFLICT):
		s.renderRequest(c, http.StatusUnprocessableEntity, "", "", actionError(langOf(c), err))
		return
	case err != nil:
		s.fail(c, err, "request action "+name)
		return
	}
	if name == "complete" {
		r, err := s.opt.Requests.FindRequestByRef(c.Request.Context(), ref)
		if err == nil {
			err = s.notifyShopsDone(c.Request.Context(), r, me, now)
		}
		if err != nil {
			s.fail(c, err, "tell the shop")
			return
		}
	}
	s.opt.Notify()
	s.opt.Logger.Info("Staff action", "action", name, "ref", ref, "staff_id", me.ID)
	c.Redirect(http.StatusSeeOther, "/staff/requests/"+ref+"?done="+name)
}

// actionError says why an action was refused, in the staff member's
// language.
func actionError(lang i18n.Lang, err error) string {
	for _, e := range []struct {
		err error
		key string
	}{
		{dsar.ErrAlreadyExtended, "action.err.already_extended"},
		{dsar.ErrExtensionTooLate, "action.err.extension_too_late"},
		{dsar.ErrClosed, "action.err.closed"},
		{dsar.ErrNoClock, "action.err.no_clock"},
		{dsar.ErrNotWaiting, "action.err.not_waiting"},
		{dsar.ErrWaitingInfo, "action.err.waiting_info"},
		{dsar.ErrGround, "action.err.ground"},
		{dsar.ErrTextRequired, "action.err.text_required"},
		{dsar.ErrTextTooLong, "action.err.text_too_long"},
		{dsar.ErrTextInvalid, "err.control"},
		{errUnknownStaff, "action.err.staff"},
		{dsar.ErrManualOpen, "plan.err.manual_open"},
		{dsar.ErrPlanPending, "plan.err.pending"},
	} {
		if errors.Is(err, e.err) {
			return i18n.T(lang, e.key)
		}
	}
	return i18n.T(lang, "action.err.refused")
}
