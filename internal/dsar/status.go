package dsar

// Status is where a request stands in its life.
type Status string

// The statuses of a request.
const (
	StatusAwaitingConfirmation Status = "awaiting_confirmation" // submitted, email not yet confirmed
	StatusNotConfirmed         Status = "not_confirmed"         // confirmation expired; personal fields purged
	StatusReceived             Status = "received"              // confirmed: the legal clock runs
	StatusInProgress           Status = "in_progress"           // staff are working on it
	StatusAwaitingInfo         Status = "awaiting_info"         // waiting for the person: the clock is paused
	StatusForwarded            Status = "forwarded"             // processor case: sent to the client shop
	StatusCompleted            Status = "completed"
	StatusDenied               Status = "denied"
)

// transitions lists, for each status, the statuses it may move to.
var transitions = map[Status][]Status{
	StatusAwaitingConfirmation: {StatusReceived, StatusNotConfirmed},
	StatusReceived:             {StatusInProgress, StatusAwaitingInfo, StatusForwarded, StatusCompleted, StatusDenied},
	StatusInProgress:           {StatusAwaitingInfo, StatusForwarded, StatusCompleted, StatusDenied},
	StatusAwaitingInfo:         {StatusInProgress, StatusDenied},
	StatusForwarded:            {StatusInProgress, StatusCompleted, StatusDenied},
}

// CanMoveTo reports whether a request in status s may move to next.
func (s Status) CanMoveTo(next Status) bool {
	for _, allowed := range transitions[s] {
		if allowed == next {
			return true
		}
	}
	return false
}

// Closed reports whether s is final.
func (s Status) Closed() bool {
	switch s {
	case StatusNotConfirmed, StatusCompleted, StatusDenied:
		return true
	}
	return false
}

// ClockRuns reports whether the legal deadline runs in status s.
func (s Status) ClockRuns() bool {
	switch s {
	case StatusReceived, StatusInProgress, StatusForwarded:
		return true
	}
	return false
}
