package dsar

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// StepKind is what one step of a plan does.
type StepKind string

// The kinds of step. Odoo steps act on one record; manual steps are tasks
// in systems without an API, which an agent ticks.
const (
	StepAnonymise StepKind = "anonymise" // overwrite the listed fields with placeholders (and archive)
	StepArchive   StepKind = "archive"   // set active to false
	StepDelete    StepKind = "delete"    // unlink the record
	StepOptOut    StepKind = "opt_out"   // add the address to Odoo's mailing blacklist
	StepRectify   StepKind = "rectify"   // write the values staff set
	StepNote      StepKind = "note"      // post an internal note on the record
	StepKeep      StepKind = "keep"      // nothing is done: the record is kept, with its ground and until when
	StepManual    StepKind = "manual"    // a task outside Odoo, ticked by an agent with a note
)

// StepState is where a step stands.
type StepState string

// The states of a step.
const (
	StepPending StepState = "pending"
	StepDone    StepState = "done"
	StepFailed  StepState = "failed"
)

// Step is one thing a plan does, or keeps, and why.
type Step struct {
	N        int               `json:"n"`
	Kind     StepKind          `json:"kind"`
	Instance string            `json:"instance,omitempty"`
	Model    string            `json:"model,omitempty"`
	RecordID int               `json:"record_id,omitempty"`
	Display  string            `json:"display"`          // the record or task, for staff
	Values   map[string]string `json:"values,omitempty"` // what is written (anonymise, rectify)
	Archive  bool              `json:"archive,omitempty"`
	Kept     []string          `json:"kept,omitempty"` // fields left as they are, and why in Reason
	Reason   Text              `json:"reason"`
	Until    Date              `json:"until,omitzero"` // kept until
	System   string            `json:"system,omitempty"`
	State    StepState         `json:"state"`
	Error    string            `json:"error,omitempty"`
	Before   map[string]string `json:"before,omitempty"` // masked
	After    map[string]string `json:"after,omitempty"`  // masked
	DoneBy   string            `json:"done_by,omitempty"`
	DoneAt   *time.Time        `json:"done_at,omitempty"`
	Note     string            `json:"note,omitempty"` // what the agent did, for manual steps
}

// Acts reports whether the step changes something in Odoo.
func (s Step) Acts() bool { return s.Kind != StepKeep && s.Kind != StepManual }

// PlanState is where a plan stands.
type PlanState string

// The states of a plan: staff read a draft, approve it, and execute it.
const (
	PlanDraft    PlanState = "draft"
	PlanApproved PlanState = "approved"
	PlanExecuted PlanState = "executed" // every Odoo step was tried; see each step's state
)

// Plan is what will be done in Odoo, and by hand, for a request: each
// step says which record, what happens to it, and what is kept and why.
// Nothing runs before a staff member approves it.
type Plan struct {
	ID         int64      `json:"id"`
	RequestID  string     `json:"request_id"`
	State      PlanState  `json:"state"`
	CreatedAt  time.Time  `json:"created_at"`
	CreatedBy  string     `json:"created_by"`
	ApprovedAt *time.Time `json:"approved_at,omitempty"`
	ApprovedBy string     `json:"approved_by,omitempty"`
	ExecutedAt *time.Time `json:"executed_at,omitempty"`
	Steps      []Step     `json:"steps"`
}

// Errors of plans.
var (
	ErrPlanState    = &Error{Code: ECONFLICT, Message: "the plan is not in a state that allows this"}
	ErrRectifyEmpty = &Error{Code: EINVALID, Message: "say which field to rectify and its new value before approving"}
	ErrManualOpen   = &Error{Code: ECONFLICT, Message: "manual tasks of the plan are not done"}
	ErrPlanPending  = &Error{Code: ECONFLICT, Message: "the approved plan has not been executed, or some of its steps failed"}
	ErrNoStep       = &Error{Code: ENOTFOUND, Message: "no such step"}
)

// Approve records that a staff member read the plan and allows it to run.
// A rectification step must say what to write first.
func (p *Plan) Approve(actor string, now time.Time) error {
	if p.State != PlanDraft {
		return ErrPlanState
	}
	for _, s := range p.Steps {
		if s.Kind == StepRectify && len(s.Values) == 0 {
			return ErrRectifyEmpty
		}
	}
	p.State, p.ApprovedAt, p.ApprovedBy = PlanApproved, &now, actor
	return nil
}

// SetRectification sets the field and value a rectification step writes.
func (p *Plan) SetRectification(n int, field, value string) error {
	if p.State != PlanDraft {
		return ErrPlanState
	}
	s := p.step(n)
	if s == nil || s.Kind != StepRectify {
		return ErrNoStep
	}
	if !RectifiableFields[field] || utf8.RuneCountInString(value) > MaxNameLen || strings.ContainsAny(value, "\r\n") {
		return &Error{Code: EINVALID, Message: "choose a field that can be rectified and a value on one line"}
	}
	s.Values = map[string]string{field: strings.TrimSpace(value)}
	return nil
}

// RectifiableFields are the partner fields staff may rectify from the back
// office.
var RectifiableFields = map[string]bool{"name": true, "email": true, "phone": true, "mobile": true,
	"street": true, "street2": true, "zip": true, "city": true}

// TickManual records that an agent did a manual task, with what they did.
func (p *Plan) TickManual(n int, note, actor string, now time.Time) error {
	if p.State == PlanDraft {
		return ErrPlanState
	}
	s := p.step(n)
	if s == nil || s.Kind != StepManual {
		return ErrNoStep
	}
	note, err := staffText("what was done", note)
	if err != nil {
		return err
	}
	s.State, s.Note, s.DoneBy, s.DoneAt = StepDone, note, actor, &now
	return nil
}

// Blocking returns why the request cannot be closed yet because of this
// plan, or nil.
func (p *Plan) Blocking() error {
	for _, s := range p.Steps {
		if s.Kind == StepManual && s.State != StepDone {
			return ErrManualOpen
		}
	}
	if p.State == PlanApproved {
		return ErrPlanPending
	}
	for _, s := range p.Steps {
		if s.Acts() && s.State == StepFailed {
			return ErrPlanPending
		}
	}
	return nil
}

func (p *Plan) step(n int) *Step {
	for i := range p.Steps {
		if p.Steps[i].N == n {
			return &p.Steps[i]
		}
	}
	return nil
}

// Mask hides most of a personal value for the record of what was changed,
// keeping enough to recognise it: "Camille Durand" -> "C****** D*****",
// "camille.durand@exemple.fr" -> "c***@e***.fr", "06 12 34 56 78" ->
// "06 ** ** ** 78".
func Mask(v string) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return ""
	case strings.Contains(v, "@"):
		at := strings.LastIndexByte(v, '@')
		local, domain := v[:at], v[at+1:]
		tld := ""
		if dot := strings.LastIndexByte(domain, '.'); dot > 0 {
			domain, tld = domain[:dot], domain[dot:]
		}
		return first(local) + "***@" + first(domain) + "***" + tld
	case NormalizePhone(v) != "" && strings.Trim(v, "0123456789 +.()-/") == "":
		r := []rune(v)
		for i := range r {
			if i >= 2 && i < len(r)-2 && r[i] >= '0' && r[i] <= '9' {
				r[i] = '*'
			}
		}
		return string(r)
	}
	words := strings.Fields(v)
	for i, w := range words {
		n := utf8.RuneCountInString(w)
		words[i] = first(w) + strings.Repeat("*", n-1)
	}
	return strings.Join(words, " ")
}

func first(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return ""
	}
	return string(r)
}

// MaskAll masks every value of a record's fields.
func MaskAll(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = Mask(v)
	}
	return out
}

// Placeholder is what an anonymised name becomes.
func Placeholder(ref string) string { return fmt.Sprintf("Anonymisé (%s)", ref) }
