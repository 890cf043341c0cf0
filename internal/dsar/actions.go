package dsar

import (
	"fmt"
	"strings"
	"time"
)

// Change is what an action on a request produces besides the request
// itself: the events of its history and the mails it sends. Storage writes
// them all in one transaction.
type Change struct {
	Events []Event
	Mails  []Mail
}

// Event types of staff actions.
const (
	EventAssign   = "assign"
	EventNote     = "note"
	EventAskInfo  = "ask_info"
	EventInfo     = "info_received"
	EventIdentity = "identity_verified"
	EventExtend   = "extend"
	EventDeny     = "deny"
	EventComplete = "complete"
	EventEntered  = "entered" // entered by staff from an email, a letter or a call
	EventForward  = "forward" // forwarded to a client shop
	EventShop     = "shop"    // the shop answered
	EventMail     = "mail"    // a mail was put in the outbox
)

// Denial grounds: the legal reasons a request may be refused.
const (
	GroundUnfounded = "manifestly_unfounded" // Art. 12(5)
	GroundExcessive = "excessive"            // Art. 12(5), notably repetitive
	GroundLegalHold = "legal_obligation"     // Art. 17(3)(b): a legal obligation to keep
	GroundIdentity  = "identity_not_established"
	GroundNoData    = "no_data" // nothing held: not a refusal of a right, an answer
)

// DenialGrounds lists the grounds staff may choose, in the order shown.
var DenialGrounds = []string{GroundUnfounded, GroundExcessive, GroundLegalHold, GroundIdentity}

// MaxNoteLen bounds what staff type in notes, questions and reasons.
const MaxNoteLen = 5000

// Errors of staff actions. They may come wrapped with the request's
// reference; test with errors.Is. The web layer says each in the staff
// member's language.
var (
	ErrAlreadyExtended  = &Error{Code: ECONFLICT, Message: "the deadline was already extended"}
	ErrExtensionTooLate = &Error{Code: EINVALID, Message: "the deadline can only be extended during the first month"}
	ErrClosed           = &Error{Code: ECONFLICT, Message: "the request is closed or not confirmed: it cannot be changed"}
	ErrNoClock          = &Error{Code: ECONFLICT, Message: "the request has no running clock"}
	ErrNotWaiting       = &Error{Code: ECONFLICT, Message: "the request is not waiting for information"}
	ErrWaitingInfo      = &Error{Code: ECONFLICT, Message: "the request is waiting for the person's information: record the answer first"}
	ErrGround           = &Error{Code: EINVALID, Message: "choose the legal ground of the refusal"}
	ErrTextRequired     = &Error{Code: EINVALID, Message: "this text is required"}
	ErrTextTooLong      = &Error{Code: EINVALID, Message: "this text is too long"}
	ErrTextInvalid      = &Error{Code: EINVALID, Message: "this text contains characters that are not allowed"}
)

// staffText checks a staff-typed text: required, bounded, no control
// characters.
func staffText(what, s string) (string, error) {
	s = strings.TrimSpace(s)
	p := Problems{}
	if !p.text("x", s, true, MaxNoteLen) {
		switch p["x"] {
		case ProblemRequired:
			return "", fmt.Errorf("%s: %w", what, ErrTextRequired)
		case ProblemTooLong:
			return "", fmt.Errorf("%s: %w", what, ErrTextTooLong)
		}
		return "", fmt.Errorf("%s: %w", what, ErrTextInvalid)
	}
	return s, nil
}

// open refuses actions on a closed request.
func (r *Request) open() error {
	if r.Status.Closed() || r.Status == StatusAwaitingConfirmation {
		return fmt.Errorf("request %s is %s: %w", r.Ref, r.Status, ErrClosed)
	}
	return nil
}

// startWork moves a received request to in progress, the first time staff
// act on it.
func (r *Request) startWork(actor string, now time.Time) []Event {
	if r.Status != StatusReceived {
		return nil
	}
	ev, _ := r.moveTo(StatusInProgress, actor, "", now)
	return []Event{ev}
}

// Assign gives the request to a staff member (0 to unassign).
func (r *Request) Assign(staffID int64, staffName, actor string, now time.Time) ([]Event, error) {
	if err := r.open(); err != nil {
		return nil, err
	}
	r.AssigneeID = staffID
	note := "unassigned"
	if staffID != 0 {
		note = "assigned to " + staffName
	}
	evs := r.startWork(actor, now)
	return append(evs, Event{RequestID: r.ID, At: now, Actor: actor, Type: EventAssign, Note: note}), nil
}

// Note adds an internal note, never shown to the person. Notes may be added
// to closed requests too.
func (r *Request) Note(text, actor string, now time.Time) (Event, error) {
	text, err := staffText("the note", text)
	if err != nil {
		return Event{}, err
	}
	return Event{RequestID: r.ID, At: now, Actor: actor, Type: EventNote, Note: text}, nil
}

// AskInfo records that staff asked the person for information needed to
// identify them or handle the request: the clock pauses until the answer.
func (r *Request) AskInfo(question, actor string, now time.Time) ([]Event, error) {
	if err := r.open(); err != nil {
		return nil, err
	}
	question, err := staffText("the question", question)
	if err != nil {
		return nil, err
	}
	evs := r.startWork(actor, now)
	ev, err := r.moveTo(StatusAwaitingInfo, actor, question, now)
	if err != nil {
		return nil, err
	}
	r.PausedSince = &now
	ev.Type = EventAskInfo
	return append(evs, ev), nil
}

// InfoReceived records the person's answer: the clock resumes, and the due
// date moves later by the days it was paused.
func (r *Request) InfoReceived(answer, actor string, now time.Time) (Event, error) {
	if r.Status != StatusAwaitingInfo || r.PausedSince == nil {
		return Event{}, fmt.Errorf("request %s: %w", r.Ref, ErrNotWaiting)
	}
	answer, err := staffText("the answer", answer)
	if err != nil {
		return Event{}, err
	}
	ev, err := r.moveTo(StatusInProgress, actor, answer, now)
	if err != nil {
		return Event{}, err
	}
	r.Clock = r.Clock.Pause(*r.PausedSince, now)
	r.PausedSince = nil
	ev.Type = EventInfo
	return ev, nil
}

// VerifyIdentity records that staff established the person's identity by
// other means than the confirmed email (a call back, a document seen).
func (r *Request) VerifyIdentity(how, actor string, now time.Time) ([]Event, error) {
	if err := r.open(); err != nil {
		return nil, err
	}
	how, err := staffText("how the identity was verified", how)
	if err != nil {
		return nil, err
	}
	r.IdentityVerifiedAt, r.IdentityMethod = &now, how
	evs := r.startWork(actor, now)
	return append(evs, Event{RequestID: r.ID, At: now, Actor: actor, Type: EventIdentity, Note: how}), nil
}

// Extend takes the one extension of two months (Art. 12(3)), allowed only
// during the first month and with a reason that the person is told.
func (r *Request) Extend(reason, actor string, now time.Time) ([]Event, error) {
	if err := r.open(); err != nil {
		return nil, err
	}
	if !r.ClockStarted() {
		return nil, fmt.Errorf("request %s: %w", r.Ref, ErrNoClock)
	}
	reason, err := staffText("the reason", reason)
	if err != nil {
		return nil, err
	}
	clock, err := r.Clock.Extend(now)
	if err != nil {
		return nil, err
	}
	r.Clock, r.ExtensionReason = clock, reason
	evs := r.startWork(actor, now)
	return append(evs, Event{RequestID: r.ID, At: now, Actor: actor, Type: EventExtend,
		Note: "due " + clock.Due().String() + ": " + reason}), nil
}

// Deny refuses the request with a reason and a legal ground; the person is
// told both, and their right to complain to the CNIL and to go to court.
func (r *Request) Deny(ground, reason, actor string, now time.Time) (Event, error) {
	if err := r.open(); err != nil {
		return Event{}, err
	}
	if !validGround(ground) {
		return Event{}, ErrGround
	}
	reason, err := staffText("the reason", reason)
	if err != nil {
		return Event{}, err
	}
	ev, err := r.moveTo(StatusDenied, actor, ground+": "+reason, now)
	if err != nil {
		return Event{}, err
	}
	r.DenialGround, r.DenialReason = ground, reason
	ev.Type = EventDeny
	return ev, nil
}

// Forward records that the request went to a client shop, the controller:
// VRACOOP waits for its instruction.
func (r *Request) Forward(shopName, actor string, now time.Time) ([]Event, error) {
	if err := r.open(); err != nil {
		return nil, err
	}
	evs := r.startWork(actor, now)
	ev, err := r.moveTo(StatusForwarded, actor, "forwarded to "+shopName, now)
	if err != nil {
		return nil, err
	}
	ev.Type = EventForward
	return append(evs, ev), nil
}

// ShopAnswered records the shop's answer: an instruction puts the request
// back in VRACOOP's hands; a shop that answers itself, or refuses, closes
// VRACOOP's part.
func (r *Request) ShopAnswered(c Case, shopName string, now time.Time) (Event, error) {
	actor := "shop:" + shopName
	switch c.State {
	case CaseInstructed:
		ev, err := r.moveTo(StatusInProgress, actor, fmt.Sprintf("%s instructed %s (%s), by %s", shopName, c.Instruction, c.DeliverTo, c.InstructedBy), now)
		ev.Type = EventShop
		return ev, err
	case CaseShopHandles, CaseRefused:
		what := "handles the request itself"
		if c.State == CaseRefused {
			what = "refused the request"
		}
		ev, err := r.moveTo(StatusCompleted, actor, fmt.Sprintf("%s %s (%s): %s", shopName, what, c.InstructedBy, c.Answer), now)
		r.Outcome = fmt.Sprintf("%s, controller, %s: %s", shopName, what, c.Answer)
		ev.Type = EventShop
		return ev, err
	}
	return Event{}, ErrCaseAnswered
}

// Complete closes the request as answered, with what was done.
func (r *Request) Complete(outcome, actor string, now time.Time) (Event, error) {
	if err := r.open(); err != nil {
		return Event{}, err
	}
	if r.Status == StatusAwaitingInfo {
		return Event{}, fmt.Errorf("request %s: %w", r.Ref, ErrWaitingInfo)
	}
	outcome, err := staffText("the outcome", outcome)
	if err != nil {
		return Event{}, err
	}
	ev, err := r.moveTo(StatusCompleted, actor, outcome, now)
	if err != nil {
		return Event{}, err
	}
	r.Outcome = outcome
	ev.Type = EventComplete
	return ev, nil
}

func validGround(g string) bool {
	for _, x := range DenialGrounds {
		if g == x {
			return true
		}
	}
	return false
}
