package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
	"github.com/vracoop/dsar/internal/plans"
)

// Plans stores the plans of requests.
type Plans interface {
	SavePlan(ctx context.Context, p *dsar.Plan, actor, action, note string, now time.Time) error
	LatestPlan(ctx context.Context, requestID string) (dsar.Plan, error)
}

// Executor carries out one approved step on the Odoo instance it names.
type Executor interface {
	Apply(ctx context.Context, instance string, s dsar.Step) (before, after map[string]string, err error)
}

// handlePlan runs one operation on a request's plan: build, rectify,
// approve, execute, tick.
func (s *Server) handlePlan(c *gin.Context) {
	lang := langOf(c)
	r, ok := s.postedRequest(c)
	if !ok {
		return
	}
	ctx, me, now := c.Request.Context(), currentStaff(c), s.opt.Now()
	op := c.Param("op")
	var err error
	if op == "build" {
		err = s.buildPlan(ctx, r, me, now)
	} else {
		err = s.changePlan(c, r, op, me, now)
	}
	if err != nil {
		if code := dsar.ErrorCode(err); code == dsar.EINVALID || code == dsar.ECONFLICT || code == dsar.ENOTFOUND {
			s.renderRequest(c, http.StatusUnprocessableEntity, "", "", planError(lang, err))
			return
		}
		s.fail(c, err, "plan "+op)
		return
	}
	c.Redirect(http.StatusSeeOther, "/staff/requests/"+r.Ref+"?done=plan_"+op)
}

var errNoLookup = &dsar.Error{Code: dsar.ECONFLICT, Message: "run the Odoo lookup first"}

// buildPlan makes a new draft from the latest lookup.
func (s *Server) buildPlan(ctx context.Context, r dsar.Request, me dsar.Staff, now time.Time) error {
	if r.Status.Closed() || r.Status == dsar.StatusAwaitingConfirmation {
		return dsar.ErrClosed
	}
	l, err := s.opt.Requests.LatestLookup(ctx, r.ID)
	if dsar.ErrorCode(err) == dsar.ENOTFOUND {
		return errNoLookup
	} else if err != nil {
		return err
	}
	instance := s.opt.Instance
	if shop, cs, ok := s.instructedShop(ctx, r); ok && cs.Instruction == dsar.InstructErasure {
		// VRACOOP carries out the shop's documented instruction on the
		// shop's own instance (GDPR Art. 28(3)(a)).
		instance = shop.Name
	}
	p := plans.Build(plans.Input{Request: r, Lookup: l, Register: s.opt.Register, Instance: instance, Actor: me.Actor(), Now: now})
	return s.opt.Plans.SavePlan(ctx, &p, me.Actor(), "plan_build", fmt.Sprintf("draft with %d steps", len(p.Steps)), now)
}

// changePlan applies op to the latest plan.
func (s *Server) changePlan(c *gin.Context, r dsar.Request, op string, me dsar.Staff, now time.Time) error {
	ctx := c.Request.Context()
	p, err := s.opt.Plans.LatestPlan(ctx, r.ID)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(c.PostForm("step"))
	switch op {
	case "rectify":
		if err := p.SetRectification(n, c.PostForm("field"), c.PostForm("value")); err != nil {
			return err
		}
		return s.opt.Plans.SavePlan(ctx, &p, me.Actor(), "plan_rectify", fmt.Sprintf("step %d: field %s set", n, c.PostForm("field")), now)
	case "approve":
		if err := p.Approve(me.Actor(), now); err != nil {
			return err
		}
		return s.opt.Plans.SavePlan(ctx, &p, me.Actor(), "plan_approve", "approved", now)
	case "execute":
		return s.executePlan(ctx, &p, me, now)
	case "tick":
		if err := p.TickManual(n, c.PostForm("note"), me.Actor(), now); err != nil {
			return err
		}
		return s.opt.Plans.SavePlan(ctx, &p, me.Actor(), "plan_manual_done", fmt.Sprintf("manual step %d done", n), now)
	}
	return &dsar.Error{Code: dsar.ENOTFOUND, Message: "unknown plan operation"}
}

// executePlan carries out every step that is not done yet, saving after
// each one so that a failure or a crash midway loses nothing: failed steps
// can be run again.
func (s *Server) executePlan(ctx context.Context, p *dsar.Plan, me dsar.Staff, now time.Time) error {
	if p.State != dsar.PlanApproved && p.State != dsar.PlanExecuted {
		return dsar.ErrPlanState
	}
	done, failed := 0, 0
	for i := range p.Steps {
		st := &p.Steps[i]
		if st.State == dsar.StepDone || st.Kind == dsar.StepManual {
			continue
		}
		at := s.opt.Now()
		if !st.Acts() {
			st.State, st.DoneBy, st.DoneAt = dsar.StepDone, me.Actor(), &at // kept: nothing to do
			continue
		}
		before, after, err := s.opt.Executor.Apply(ctx, st.Instance, *st)
		st.Before, st.After, st.DoneBy, st.DoneAt = before, after, me.Actor(), &at
		if err != nil {
			st.State, st.Error = dsar.StepFailed, err.Error()
			failed++
			s.opt.Logger.Warn("Plan step failed", "plan_id", p.ID, "step", st.N, "model", st.Model, "error", err)
		} else {
			st.State, st.Error = dsar.StepDone, ""
			done++
		}
		note := fmt.Sprintf("step %d %s %s/%d: %s", st.N, st.Kind, st.Model, st.RecordID, st.State)
		if err := s.opt.Plans.SavePlan(ctx, p, me.Actor(), "plan_step", note, at); err != nil {
			return err
		}
	}
	p.State, p.ExecutedAt = dsar.PlanExecuted, &now
	return s.opt.Plans.SavePlan(ctx, p, me.Actor(), "plan_execute", fmt.Sprintf("executed: %d done, %d failed", done, failed), now)
}

// planError says why a plan operation was refused.
func planError(lang i18n.Lang, err error) string {
	for _, e := range []struct {
		err error
		key string
	}{
		{errNoLookup, "plan.err.no_lookup"},
		{dsar.ErrPlanState, "plan.err.state"},
		{dsar.ErrRectifyEmpty, "plan.err.rectify_empty"},
		{dsar.ErrNoStep, "plan.err.step"},
		{dsar.ErrClosed, "action.err.closed"},
		{dsar.ErrTextRequired, "action.err.text_required"},
	} {
		if errors.Is(err, e.err) {
			return i18n.T(lang, e.key)
		}
	}
	if dsar.ErrorCode(err) == dsar.ENOTFOUND {
		return i18n.T(lang, "plan.err.none")
	}
	if dsar.ErrorCode(err) == dsar.EINVALID {
		return i18n.T(lang, "plan.err.rectify_field")
	}
	return i18n.T(lang, "action.err.refused")
}
