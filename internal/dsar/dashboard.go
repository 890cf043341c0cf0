package dsar

import (
	"sort"
	"time"
)

// Dashboard is the back office's summary of the requests.
type Dashboard struct {
	ByStatus      map[Status]int
	OpenByKind    map[Kind]int
	Overdue       int
	DueWithinWeek int
	// DaysToClose are, for the requests closed in the last twelve months,
	// the calendar days from the start of the clock to the closing.
	DaysToClose []int
	PerMonth    []MonthCount // requests received, the last twelve months, oldest first
}

// MonthCount is the number of requests received in one month.
type MonthCount struct {
	Month string // "2026-11"
	N     int
}

// MedianDaysToClose returns the median of DaysToClose, and false when no
// request was closed.
func (d Dashboard) MedianDaysToClose() (float64, bool) {
	n := len(d.DaysToClose)
	if n == 0 {
		return 0, false
	}
	s := append([]int(nil), d.DaysToClose...)
	sort.Ints(s)
	if n%2 == 1 {
		return float64(s[n/2]), true
	}
	return float64(s[n/2-1]+s[n/2]) / 2, true
}

// LastMonths returns the twelve months ending with today's, oldest first,
// as "YYYY-MM".
func LastMonths(today Date, n int) []string {
	out := make([]string, n)
	for i := range n {
		d := AddMonths(NewDate(today.Year, today.Month, 1), i-n+1)
		out[i] = time.Date(d.Year, d.Month, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
	}
	return out
}

// RequestRecord is one line of the register of requests, kept for
// accountability to the CNIL: no personal data, only what was asked, when,
// and how it ended.
type RequestRecord struct {
	Ref          string
	ReceivedAt   time.Time
	Channel      Channel
	Kinds        []Kind
	Relationship Relationship
	Routing      string // "controller", "processor", "controller+processor"
	Status       Status
	ClockStart   Date
	Due          Date
	Extended     bool
	ClosedAt     *time.Time
	DenialGround string
	DenialReason string
}

// DaysTaken returns the calendar days from the start of the clock to the
// closing, and false while the request is open or had no clock.
func (r RequestRecord) DaysTaken() (int, bool) {
	if r.ClosedAt == nil || r.ClockStart.IsZero() {
		return 0, false
	}
	return r.ClockStart.DaysUntil(DateOf(*r.ClosedAt)), true
}

// Reminder kinds: a week before the due date, and once it is passed.
const (
	ReminderWeek    = "week"
	ReminderOverdue = "overdue"
)

// ReminderDays is how many days before the due date staff are reminded.
const ReminderDays = 7
