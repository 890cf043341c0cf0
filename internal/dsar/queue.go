package dsar

import "time"

// OpenStatuses are the statuses of requests staff still have to work on.
var OpenStatuses = []Status{StatusReceived, StatusInProgress, StatusAwaitingInfo, StatusForwarded}

// QueueFilter selects requests for the staff queue. Zero values select
// everything they concern.
type QueueFilter struct {
	Statuses   []Status // empty: every status
	Kind       Kind     // "": any right
	Role       Role     // "": any; RoleController or RoleProcessor
	AssigneeID int64    // 0: anyone
	Overdue    bool     // due date passed, request open
	DueWithin  int      // > 0: due within this many days from today (open requests)
	Search     string   // a reference (or its start) or an email address
	Today      Date     // the day the urgency filters count from
	Offset     int
	Limit      int // default 50, at most 200
}

// QueueItem is one line of the staff queue.
type QueueItem struct {
	ID           string
	Ref          string
	Status       Status
	Kinds        []Kind
	Relationship Relationship
	Channel      Channel
	Name         string
	Email        string
	ReceivedAt   time.Time
	Due          Date // zero until the clock starts
	AssigneeID   int64
	AssigneeName string
	Processor    bool // part of it is forwarded to a client shop
	Controller   bool // VRACOOP answers part of it as controller
}

// DaysLeft returns the days from today to the due date (negative when
// overdue), and false when the clock has not started.
func (q QueueItem) DaysLeft(today Date) (int, bool) {
	if q.Due.IsZero() {
		return 0, false
	}
	return today.DaysUntil(q.Due), true
}

// Urgency classes the time left for the queue's colours: "overdue", "5"
// (under 5 days), "10" (under 10 days), "ok" (more), or "" without a clock.
func Urgency(daysLeft int, started bool) string {
	switch {
	case !started:
		return ""
	case daysLeft < 0:
		return "overdue"
	case daysLeft < 5:
		return "5"
	case daysLeft < 10:
		return "10"
	}
	return "ok"
}
