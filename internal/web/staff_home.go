package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// Reports computes the dashboard and exports the register of requests.
type Reports interface {
	Dashboard(ctx context.Context, today dsar.Date) (dsar.Dashboard, error)
	ExportRequests(ctx context.Context, fn func(dsar.RequestRecord) error) error
	Audit(ctx context.Context, e dsar.AuditEntry) error
}

// homePage is the dashboard.
type homePage struct {
	staffBase
	D          dsar.Dashboard
	Counts     []statusCount
	Kinds      []kindCount
	Open       int
	Median     string
	Chart      chart
	MonthTotal int
}

type statusCount struct {
	Status dsar.Status
	N      int
}

type kindCount struct {
	Kind dsar.Kind
	N    int
}

// allStatuses is the order the dashboard lists statuses in.
var allStatuses = []dsar.Status{dsar.StatusReceived, dsar.StatusInProgress, dsar.StatusAwaitingInfo,
	dsar.StatusForwarded, dsar.StatusAwaitingConfirmation, dsar.StatusCompleted, dsar.StatusDenied, dsar.StatusNotConfirmed}

func (s *Server) handleStaffHome(c *gin.Context) {
	lang := langOf(c)
	d, err := s.opt.Reports.Dashboard(c.Request.Context(), dsar.DateOf(s.opt.Now()))
	if err != nil {
		s.fail(c, err, "dashboard")
		return
	}
	v := homePage{staffBase: s.staffBase(c), D: d, Chart: barChart(d.PerMonth)}
	for _, st := range allStatuses {
		v.Counts = append(v.Counts, statusCount{st, d.ByStatus[st]})
		if !st.Closed() && st != dsar.StatusAwaitingConfirmation {
			v.Open += d.ByStatus[st]
		}
	}
	for _, k := range dsar.Kinds {
		v.Kinds = append(v.Kinds, kindCount{k, d.OpenByKind[k]})
	}
	if m, ok := d.MedianDaysToClose(); ok {
		v.Median = i18n.T(lang, "dash.days", strconv.FormatFloat(m, 'f', -1, 64))
	}
	for _, m := range d.PerMonth {
		v.MonthTotal += m.N
	}
	c.HTML(http.StatusOK, "staff_home", v)
}

// chart is a bar chart drawn as SVG on the server: no script, no library.
type chart struct {
	Width, Height int
	Bars          []bar
	Max           int
}

type bar struct {
	X, Y, W, H   int
	LabelX       int
	Label, Value string
	N            int
}

func barChart(months []dsar.MonthCount) chart {
	const width, height, top, bottom = 720, 220, 20, 30
	c := chart{Width: width, Height: height}
	for _, m := range months {
		c.Max = max(c.Max, m.N)
	}
	if len(months) == 0 {
		return c
	}
	slot := width / len(months)
	for i, m := range months {
		h := 0
		if c.Max > 0 {
			h = m.N * (height - top - bottom) / c.Max
		}
		x := i*slot + slot/6
		c.Bars = append(c.Bars, bar{X: x, Y: height - bottom - h, W: slot * 2 / 3, H: h, LabelX: x + slot/3,
			Label: m.Month[5:] + "/" + m.Month[2:4], Value: strconv.Itoa(m.N), N: m.N})
	}
	return c
}

// handleExport streams the register of requests as CSV, for accountability
// to the CNIL: references, dates, rights, channel, outcome, days taken and
// denial grounds; no personal data.
func (s *Server) handleExport(c *gin.Context) {
	me := currentStaff(c)
	if err := s.opt.Reports.Audit(c.Request.Context(), dsar.AuditEntry{At: s.opt.Now(), Actor: me.Actor(), Action: "export_requests"}); err != nil {
		s.fail(c, err, "audit export")
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="registre-des-demandes-%s.csv"`, dsar.DateOf(s.opt.Now())))
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	w.Write([]string{"reference", "received", "channel", "rights", "relationship", "routing", "status", "clock_start",
		"due", "extended", "closed", "days_taken", "denial_ground", "denial_reason"})
	err := s.opt.Reports.ExportRequests(c.Request.Context(), func(r dsar.RequestRecord) error {
		kinds := make([]string, len(r.Kinds))
		for i, k := range r.Kinds {
			kinds[i] = string(k)
		}
		closed, days := "", ""
		if r.ClosedAt != nil {
			closed = dsar.DateOf(*r.ClosedAt).String()
		}
		if d, ok := r.DaysTaken(); ok {
			days = strconv.Itoa(d)
		}
		return w.Write([]string{r.Ref, dsar.DateOf(r.ReceivedAt).String(), string(r.Channel), strings.Join(kinds, "+"),
			string(r.Relationship), r.Routing, string(r.Status), dateOrEmpty(r.ClockStart), dateOrEmpty(r.Due),
			strconv.FormatBool(r.Extended), closed, days, r.DenialGround, csvSafe(r.DenialReason)})
	})
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if err != nil {
		// The header is sent: the client sees a truncated file, the log why.
		s.opt.Logger.Error("Export of the register of requests failed", "error", err)
		return
	}
	s.opt.Logger.Info("Register of requests exported", "staff_id", me.ID)
}

func dateOrEmpty(d dsar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
