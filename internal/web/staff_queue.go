package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// Queue finds requests for the staff queue.
type Queue interface {
	FindQueue(ctx context.Context, f dsar.QueueFilter) ([]dsar.QueueItem, int, error)
}

// queueCountCap mirrors the store's cap on counts.
const queueCountCap = 10_000

const queuePageSize = 50

// queuePage is the view of the staff queue.
type queuePage struct {
	staffBase
	Filter    queueForm
	Rows      []queueRow
	Total     int
	TotalMore bool // more than queueCountCap
	Page      int
	Prev      string // link to the previous page, "" on the first
	Next      string
	ShowNames bool
	Statuses  []dsar.Status
	Kinds     []dsar.Kind
}

// queueForm is the filter as the person chose it in the form.
type queueForm struct {
	Status, Kind, Role, Urgency, Q string
	Mine                           bool
}

type queueRow struct {
	dsar.QueueItem
	DaysLeft int
	Started  bool
	Urgency  string
	Due      string
}

// parseQueueForm reads the filter from the query string. Unknown values are
// ignored rather than refused: the page always shows something.
func parseQueueForm(c *gin.Context) queueForm {
	return queueForm{Status: c.DefaultQuery("status", "open"), Kind: c.Query("kind"), Role: c.Query("role"),
		Urgency: c.Query("urgency"), Q: strings.TrimSpace(c.Query("q")), Mine: c.Query("mine") == "1"}
}

func (f queueForm) filter(me dsar.Staff, today dsar.Date) dsar.QueueFilter {
	q := dsar.QueueFilter{Today: today, Search: f.Q}
	switch s := dsar.Status(f.Status); {
	case f.Status == "open":
		q.Statuses = dsar.OpenStatuses
	case f.Status == "all":
	case validQueueStatus(s):
		q.Statuses = []dsar.Status{s}
	default:
		q.Statuses = dsar.OpenStatuses
	}
	if k := dsar.Kind(f.Kind); k.Valid() {
		q.Kind = k
	}
	if r := dsar.Role(f.Role); r == dsar.RoleController || r == dsar.RoleProcessor {
		q.Role = r
	}
	if f.Mine {
		q.AssigneeID = me.ID
	}
	switch f.Urgency {
	case "overdue":
		q.Overdue = true
	case "week":
		q.DueWithin = 7
	}
	return q
}

func validQueueStatus(s dsar.Status) bool {
	for _, x := range allStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// query returns the filter as a query string, with a page number.
func (f queueForm) query(page int) string {
	v := url.Values{}
	v.Set("status", f.Status)
	for k, val := range map[string]string{"kind": f.Kind, "role": f.Role, "urgency": f.Urgency, "q": f.Q} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if f.Mine {
		v.Set("mine", "1")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/staff/requests?" + v.Encode()
}

func (s *Server) handleQueue(c *gin.Context) {
	me, now := currentStaff(c), s.opt.Now()
	today := dsar.DateOf(now)
	form := parseQueueForm(c)
	page, _ := strconv.Atoi(c.Query("page"))
	page = max(page, 1)
	f := form.filter(me, today)
	f.Limit, f.Offset = queuePageSize, (page-1)*queuePageSize
	items, total, err := s.opt.Queue.FindQueue(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err, "find queue")
		return
	}
	lang := langOf(c)
	v := queuePage{staffBase: s.staffBase(c), Filter: form, Total: min(total, queueCountCap), TotalMore: total > queueCountCap,
		Page: page, ShowNames: !s.opt.HideNames, Statuses: allStatuses, Kinds: dsar.Kinds}
	for _, q := range items {
		days, started := q.DaysLeft(today)
		v.Rows = append(v.Rows, queueRow{QueueItem: q, DaysLeft: days, Started: started,
			Urgency: dsar.Urgency(days, started), Due: i18n.FormatDate(lang, q.Due)})
	}
	if page > 1 {
		v.Prev = form.query(page - 1)
	}
	if f.Offset+len(items) < total {
		v.Next = form.query(page + 1)
	}
	c.HTML(http.StatusOK, "staff_queue", v)
}

// daysLabel writes the time left as staff read it.
func daysLabel(lang i18n.Lang, days int) string {
	switch {
	case days < 0:
		return i18n.T(lang, "queue.days.overdue", -days)
	case days == 0:
		return i18n.T(lang, "queue.days.today")
	}
	return i18n.T(lang, "queue.days.left", days)
}
