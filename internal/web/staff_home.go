package web

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
)

// Counter counts requests for the back office's home page.
type Counter interface {
	CountRequestsByStatus(ctx context.Context) (map[dsar.Status]int, error)
}

// homePage shows how many requests are in each status.
type homePage struct {
	staffBase
	Counts []statusCount
	Total  int
}

type statusCount struct {
	Status dsar.Status
	N      int
}

// allStatuses is the order the home page lists statuses in.
var allStatuses = []dsar.Status{dsar.StatusReceived, dsar.StatusInProgress, dsar.StatusAwaitingInfo,
	dsar.StatusForwarded, dsar.StatusAwaitingConfirmation, dsar.StatusCompleted, dsar.StatusDenied, dsar.StatusNotConfirmed}

func (s *Server) handleStaffHome(c *gin.Context) {
	counts, err := s.opt.Counter.CountRequestsByStatus(c.Request.Context())
	if err != nil {
		s.fail(c, err, "count requests")
		return
	}
	v := homePage{staffBase: s.staffBase(c)}
	for _, st := range allStatuses {
		v.Counts = append(v.Counts, statusCount{st, counts[st]})
		v.Total += counts[st]
	}
	c.HTML(http.StatusOK, "staff_home", v)
}
