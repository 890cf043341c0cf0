package web

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/access"
	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
	"github.com/vracoop/dsar/internal/register"
)

// Requests reads one request and what hangs on it, for its staff page.
type Requests interface {
	FindRequestByRef(ctx context.Context, ref string) (dsar.Request, error)
	FindRequest(ctx context.Context, id string) (dsar.Request, error)
	RequestEvents(ctx context.Context, id string) ([]dsar.Event, error)
	LatestLookup(ctx context.Context, requestID string) (dsar.Lookup, error)
	SimilarRequests(ctx context.Context, email, exceptID string, since time.Time) ([]dsar.QueueItem, error)
	PendingLookup(ctx context.Context, requestID string) (dsar.LookupJob, bool, error)
	RequestLookup(ctx context.Context, requestID, actor string, now time.Time) error
}

// requestPage is the view of one request for staff.
type requestPage struct {
	staffBase
	R         dsar.Request
	Received  string
	Due       string
	DaysLeft  int
	Urgency   string
	Events    []eventRow
	Lookup    *dsar.Lookup
	Pending   *dsar.LookupJob // a lookup waiting to run, or to run again
	Plan      *dsar.Plan
	Retention map[string]register.Retention // the register's rule of each activity routed to

	Cases       []caseRow // the request's processor cases
	ShopsToPick []dsar.Shop
	ShopID      int64 // the shop the person picked

	ShowPackage bool          // the request asks for a copy of the data
	Package     *dsar.Package // the latest package released
	Included    int
	Excluded    []dsar.Finding
	Fields      []string // the fields a rectification may set
	Instances   []findingGroup
	Similar     []dsar.QueueItem
	Notice      string // what the last action did
	Done        string // the last action's name
	Error       string // why the last action was refused
	Agents      []dsar.Staff
	Grounds     []string
	CanExtend   bool
}

type eventRow struct {
	dsar.Event
	When string
}

// findingGroup is the findings of one instance, model by model.
type findingGroup struct {
	Instance string
	Models   []modelFindings
}

type modelFindings struct {
	Model    string
	Findings []dsar.Finding
}

func groupFindings(fs []dsar.Finding) []findingGroup {
	byInst := map[string]map[string][]dsar.Finding{}
	for _, f := range fs {
		if byInst[f.Instance] == nil {
			byInst[f.Instance] = map[string][]dsar.Finding{}
		}
		byInst[f.Instance][f.Model] = append(byInst[f.Instance][f.Model], f)
	}
	var out []findingGroup
	for inst, models := range byInst {
		g := findingGroup{Instance: inst}
		for m, list := range models {
			g.Models = append(g.Models, modelFindings{Model: m, Findings: list})
		}
		sort.Slice(g.Models, func(i, j int) bool { return g.Models[i].Model < g.Models[j].Model })
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Instance < out[j].Instance })
	return out
}

// caseRow is a processor case with its shop's name.
type caseRow struct {
	dsar.Case
	Shop string
}

// rectifiable lists, in a stable order, the fields staff may rectify.
var rectifiable = []string{"name", "email", "phone", "mobile", "street", "street2", "zip", "city"}

// similarWindow is how far back a request by the same person is worth a
// warning (Art. 12(5): repetitive requests may be manifestly excessive).
const similarWindow = 365 * 24 * time.Hour

func (s *Server) handleRequestPage(c *gin.Context) {
	notice, done := "", c.Query("done")
	if done != "" && i18n.Has("action.done."+done) {
		notice = i18n.T(langOf(c), "action.done."+done)
	} else {
		done = ""
	}
	s.renderRequest(c, http.StatusOK, done, notice, "")
}

// renderRequest shows a request's page, with the outcome of an action.
func (s *Server) renderRequest(c *gin.Context, status int, done, notice, actionErr string) {
	ctx, lang, now := c.Request.Context(), langOf(c), s.opt.Now()
	r, ok := s.requestForStaff(c)
	if !ok {
		return
	}
	v := requestPage{staffBase: s.staffBase(c), R: r, Done: done, Notice: notice, Error: actionErr, Grounds: dsar.DenialGrounds,
		Received: i18n.FormatDate(lang, dsar.DateOf(r.ReceivedAt))}
	if r.ClockStarted() && !r.Clock.Extended && !dsar.DateOf(now).After(r.Clock.InitialDue()) {
		v.CanExtend = true
	}
	staff, err := s.opt.Staff.ListStaff(ctx)
	if err != nil {
		s.fail(c, err, "list staff")
		return
	}
	for _, st := range staff {
		if st.Active {
			v.Agents = append(v.Agents, st)
		}
	}
	if r.ClockStarted() {
		v.Due = i18n.FormatDate(lang, r.Clock.Due())
		v.DaysLeft = r.Clock.DaysLeft(now)
		if !r.Status.Closed() {
			v.Urgency = dsar.Urgency(v.DaysLeft, true)
		}
	}
	evs, err := s.opt.Requests.RequestEvents(ctx, r.ID)
	if err != nil {
		s.fail(c, err, "request events")
		return
	}
	for _, e := range evs {
		v.Events = append(v.Events, eventRow{Event: e, When: e.At.In(dsar.Paris()).Format("2006-01-02 15:04")})
	}
	l, err := s.opt.Requests.LatestLookup(ctx, r.ID)
	switch {
	case err == nil:
		v.Lookup = &l
		v.Instances = groupFindings(l.Findings)
	case dsar.ErrorCode(err) != dsar.ENOTFOUND:
		s.fail(c, err, "latest lookup")
		return
	}
	if p, err := s.opt.Plans.LatestPlan(ctx, r.ID); err == nil {
		v.Plan = &p
	} else if dsar.ErrorCode(err) != dsar.ENOTFOUND {
		s.fail(c, err, "latest plan")
		return
	}
	v.Fields = rectifiable
	v.Retention = map[string]register.Retention{}
	for _, route := range r.Routing {
		if a, ok := s.opt.Register.Activity(route.Activity); ok {
			v.Retention[route.Activity] = a.Retention
		}
	}
	if r.Routing.Processor() && s.opt.Shops != nil {
		cases, err := s.opt.Shops.Cases(ctx, r.ID)
		if err != nil {
			s.fail(c, err, "cases")
			return
		}
		for _, cs := range cases {
			row := caseRow{Case: cs}
			if shop, err := s.opt.Shops.Shop(ctx, cs.ShopID); err == nil {
				row.Shop = shop.Name
			}
			v.Cases = append(v.Cases, row)
		}
		v.ShopsToPick, v.ShopID = s.activeShops(ctx), r.ShopID
	}
	v.ShowPackage = dsar.HasKind(r.Kinds, dsar.KindAccess) || dsar.HasKind(r.Kinds, dsar.KindPortability)
	if v.ShowPackage {
		if p, err := s.opt.Packages.LatestPackage(ctx, r.ID); err == nil {
			v.Package = &p
		} else if dsar.ErrorCode(err) != dsar.ENOTFOUND {
			s.fail(c, err, "latest package")
			return
		}
		if v.Lookup != nil {
			in, err := s.packageInput(ctx, r)
			if err != nil {
				s.fail(c, err, "package input")
				return
			}
			included, excluded := access.Select(in)
			v.Included, v.Excluded = len(included), excluded
		}
	}
	if job, ok, err := s.opt.Requests.PendingLookup(ctx, r.ID); err != nil {
		s.fail(c, err, "pending lookup")
		return
	} else if ok {
		v.Pending = &job
	}
	if v.Similar, err = s.opt.Requests.SimilarRequests(ctx, r.Email, r.ID, r.ReceivedAt.Add(-similarWindow)); err != nil {
		s.fail(c, err, "similar requests")
		return
	}
	c.HTML(status, "staff_request", v)
}

// handleLookup asks for a new Odoo lookup of the request; the lookup
// runner picks it up within seconds.
func (s *Server) handleLookup(c *gin.Context) {
	r, ok := s.postedRequest(c)
	if !ok {
		return
	}
	ctx, me, now := c.Request.Context(), currentStaff(c), s.opt.Now()
	if r.PurgedAt != nil || r.Status == dsar.StatusAwaitingConfirmation {
		s.renderRequest(c, http.StatusUnprocessableEntity, "", "", i18n.T(langOf(c), "action.err.closed"))
		return
	}
	if err := s.opt.Requests.RequestLookup(ctx, r.ID, me.Actor(), now); err != nil {
		s.fail(c, err, "request lookup")
		return
	}
	c.Redirect(http.StatusSeeOther, "/staff/requests/"+r.Ref+"?done=lookup")
}
