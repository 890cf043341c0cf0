package dsar

import (
	"fmt"
	"time"
)

// Request is one person's exercise of their rights, from submission to
// closing.
type Request struct {
	ID           string // UUID
	Ref          string // public reference, e.g. DSAR-2026-000042
	Status       Status
	Kinds        []Kind
	Relationship Relationship
	Channel      Channel
	Lang         string  // "fr" or "en": the language the person is answered in
	Routing      Routing // the register's activities it concerns, and VRACOOP's role in each
	ShopID       int64   // the client shop the person picked, 0 when not listed

	// Personal fields, purged when a request is not confirmed and, later,
	// when its retention ends.
	Name           string
	Email          string
	Phone          string
	ShopName       string
	ShopTown       string
	RectifyWrong   string
	RectifyCorrect string
	Details        string

	CreatedAt       time.Time  // when the portal stored it
	ReceivedAt      time.Time  // when VRACOOP received it (form submission, or the date staff enter)
	ConfirmedAt     *time.Time // when the person proved control of the email address
	Clock           Deadline   // zero until the clock starts
	ExtensionReason string
	PausedSince     *time.Time
	ClosedAt        *time.Time
	PurgedAt        *time.Time

	AssigneeID         int64      // 0: nobody
	IdentityVerifiedAt *time.Time // identity established by other means than the confirmed email
	IdentityMethod     string     // how
	DenialGround       string     // one of DenialGrounds
	DenialReason       string
	Outcome            string // what was done, when completed
}

// Event is one entry of a request's history: a status change or any other
// thing that happened to it.
type Event struct {
	ID        int64
	RequestID string
	At        time.Time
	Actor     string // ActorPerson, ActorSystem, or "staff:<id>"
	Type      string // EventStatus, ...
	From, To  Status // for status changes
	Note      string
}

// Actors that are not staff members.
const (
	ActorPerson = "person"
	ActorSystem = "system"
)

// Event types.
const (
	EventStatus  = "status"
	EventRouting = "routing" // the activities the request concerns were set
	EventLookup  = "lookup"  // an Odoo lookup ran
	EventPlan    = "plan"    // a plan was made, approved, executed, or a manual task ticked
	EventPackage = "package" // an access package was released, a code sent, a download made
)

// NewRequest turns a validated submission into a request awaiting the
// confirmation of its email address.
func NewRequest(id string, s Submission, channel Channel, now time.Time) Request {
	lang := s.Lang
	if lang != "en" {
		lang = "fr"
	}
	return Request{
		ID: id, Status: StatusAwaitingConfirmation,
		Kinds: append([]Kind(nil), s.Kinds...), Relationship: s.Relationship,
		Channel: channel, Lang: lang,
		Name: s.Name, Email: s.Email, Phone: s.Phone,
		ShopName: s.ShopName, ShopTown: s.ShopTown,
		RectifyWrong: s.RectifyWrong, RectifyCorrect: s.RectifyCorrect,
		Details: s.Details, ShopID: s.ShopID,
		CreatedAt: now, ReceivedAt: now,
	}
}

// NewEnteredRequest turns a submission that staff typed in from an email,
// a letter or a call into a received request: the clock starts on the day
// VRACOOP received it, which may be before today but not after.
func NewEnteredRequest(id string, s Submission, channel Channel, receivedOn Date, now time.Time) (Request, error) {
	if channel == ChannelWeb || !channel.Valid() {
		return Request{}, ErrChannel
	}
	if receivedOn.IsZero() || receivedOn.After(DateOf(now)) {
		return Request{}, ErrReceivedDate
	}
	r := NewRequest(id, s, channel, now)
	r.Status = StatusReceived
	r.ReceivedAt = receivedOn.Time()
	if receivedOn == DateOf(now) {
		r.ReceivedAt = now
	}
	r.Clock = Deadline{Start: receivedOn}
	return r, nil
}

// Errors of requests entered by staff.
var (
	ErrChannel      = &Error{Code: EINVALID, Message: "choose how the request arrived: email, post or phone"}
	ErrReceivedDate = &Error{Code: EINVALID, Message: "the date of receipt must be given and not in the future"}
)

// FormatRef returns the public reference of the n-th request of a year.
func FormatRef(year, n int) string {
	return fmt.Sprintf("DSAR-%d-%06d", year, n)
}

// moveTo changes the status and returns the event that records it.
func (r *Request) moveTo(next Status, actor, note string, now time.Time) (Event, error) {
	if !r.Status.CanMoveTo(next) {
		return Event{}, Errorf(ECONFLICT, "a request %s cannot become %s", r.Status, next)
	}
	ev := Event{RequestID: r.ID, At: now, Actor: actor, Type: EventStatus, From: r.Status, To: next, Note: note}
	r.Status = next
	if next.Closed() {
		r.ClosedAt = &now
	}
	return ev, nil
}

// Confirm records that the person proved control of the email address: the
// request is received and the legal clock starts now.
func (r *Request) Confirm(now time.Time) (Event, error) {
	ev, err := r.moveTo(StatusReceived, ActorPerson, "email address confirmed", now)
	if err != nil {
		return Event{}, err
	}
	r.ConfirmedAt = &now
	r.Clock = StartClock(now)
	return ev, nil
}

// ExpireUnconfirmed closes a request whose email was not confirmed in time
// and purges its personal fields: nothing is kept about a person who never
// proved who they are.
func (r *Request) ExpireUnconfirmed(now time.Time) (Event, error) {
	ev, err := r.moveTo(StatusNotConfirmed, ActorSystem, "email address not confirmed in time", now)
	if err != nil {
		return Event{}, err
	}
	r.Purge(now)
	return ev, nil
}

// Purge removes every personal field.
func (r *Request) Purge(now time.Time) {
	r.Name, r.Email, r.Phone = "", "", ""
	r.ShopName, r.ShopTown = "", ""
	r.RectifyWrong, r.RectifyCorrect, r.Details = "", "", ""
	r.PurgedAt = &now
}

// ClockStarted reports whether the legal clock runs or ran.
func (r *Request) ClockStarted() bool { return !r.Clock.Start.IsZero() }
