package dsar

import (
	"strings"
	"time"
)

// Shop is a client shop: it uses VRACOOP's software, and is the controller
// of its loyalty and app data, which VRACOOP processes for it (register
// activities 4 and 5).
type Shop struct {
	ID            int64
	Name          string // as people know it: "Vrac & Co Bayonne"
	LegalEntity   string
	Town          string
	PrivacyEmail  string // where privacy requests go
	Lang          string // "fr" or "en"
	ContractStart Date
	ContractEnd   Date // zero while the contract runs with no end set
	// The shop's own Odoo instance. The API key is sealed at rest and
	// never shown again.
	OdooURL, OdooDB, OdooLogin, OdooProtocol string
	OdooKeySealed                            []byte
	SearchAllowed                            bool   // the lookup may search the shop's instance
	APIKeyHash                               string // the OpenDSR API's bearer key, hashed
	CallbackSealed                           []byte // the secret that signs status callbacks, sealed
	Active                                   bool
	CreatedAt                                time.Time
}

// ValidateShop checks a shop's fields and returns what is wrong.
func ValidateShop(s Shop) Problems {
	p := Problems{}
	p.line("name", strings.TrimSpace(s.Name), true, MaxShopLen)
	p.line("legal_entity", strings.TrimSpace(s.LegalEntity), true, MaxShopLen)
	p.line("town", strings.TrimSpace(s.Town), true, MaxShopLen)
	if p.line("email", strings.TrimSpace(s.PrivacyEmail), true, MaxEmailLen) && !ValidEmail(strings.TrimSpace(s.PrivacyEmail)) {
		p["email"] = ProblemEmail
	}
	if s.Lang != "fr" && s.Lang != "en" {
		p["lang"] = ProblemChoice
	}
	if s.ContractStart.IsZero() {
		p["contract_start"] = ProblemRequired
	}
	if !s.ContractEnd.IsZero() && s.ContractEnd.Before(s.ContractStart) {
		p["contract_end"] = ProblemChoice
	}
	if s.OdooURL != "" && !strings.HasPrefix(s.OdooURL, "http://") && !strings.HasPrefix(s.OdooURL, "https://") {
		p["odoo_url"] = ProblemChoice
	}
	return p
}

// CaseState is where a processor case stands with its shop.
type CaseState string

// The states of a processor case.
const (
	CaseForwarded   CaseState = "forwarded"    // sent to the shop, waiting for its instruction
	CaseInstructed  CaseState = "instructed"   // the shop told VRACOOP what to do
	CaseShopHandles CaseState = "shop_handles" // the shop answers the person itself
	CaseRefused     CaseState = "refused"      // the shop refused the request, with a reason
	CaseDone        CaseState = "done"         // VRACOOP carried out the instruction
)

// Instructions a shop may give.
const (
	InstructAccess  = "access"
	InstructErasure = "erasure"
)

// Case is one request forwarded to one shop, which, as controller,
// decides; VRACOOP carries out its documented instruction (GDPR Art.
// 28(3)(a)).
type Case struct {
	ID           int64
	RequestID    string
	ShopID       int64
	State        CaseState
	ForwardedAt  time.Time
	ForwardDue   Date // VRACOOP's contractual delay to forward
	ShopDue      Date // for information: the shop's own one-month deadline
	Instruction  string
	DeliverTo    string // "shop" or "person", for access
	InstructedBy string // who at the shop
	InstructedAt *time.Time
	Answer       string // the shop's note, or its reason to refuse
	RemindedAt   *time.Time
	DoneAt       *time.Time
}

// AddWorkingDays returns the day n working days after d.
func AddWorkingDays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// Errors of processor cases.
var (
	ErrCaseAnswered = &Error{Code: ECONFLICT, Message: "the shop already answered"}
	ErrInstruction  = &Error{Code: EINVALID, Message: "choose an instruction"}
)

// Instruct records the shop's instruction.
func (c *Case) Instruct(instruction, deliverTo, by string, now time.Time) error {
	if c.State != CaseForwarded {
		return ErrCaseAnswered
	}
	if instruction != InstructAccess && instruction != InstructErasure {
		return ErrInstruction
	}
	if instruction == InstructAccess && deliverTo != "shop" && deliverTo != "person" {
		return ErrInstruction
	}
	by, err := staffText("who gives the instruction", by)
	if err != nil {
		return err
	}
	c.State, c.Instruction, c.DeliverTo, c.InstructedBy, c.InstructedAt = CaseInstructed, instruction, deliverTo, by, &now
	return nil
}

// Reply records that the shop handles the request itself, or refuses it.
func (c *Case) Reply(handles bool, note, by string, now time.Time) error {
	if c.State != CaseForwarded {
		return ErrCaseAnswered
	}
	note, err := staffText("the answer", note)
	if err != nil {
		return err
	}
	by, err = staffText("who answers", by)
	if err != nil {
		return err
	}
	c.State = CaseRefused
	if handles {
		c.State = CaseShopHandles
	}
	c.Answer, c.InstructedBy, c.InstructedAt = note, by, &now
	return nil
}

// APIRequest is a request a shop submitted through the OpenDSR API.
type APIRequest struct {
	SubjectRequestID string
	ShopID           int64
	RequestID        string
	Type             string // access, portability, erasure
	CallbackURLs     []string
	ReceivedAt       time.Time
	CancelledAt      *time.Time
	LastStatus       string // the status last called back
}

// ErrNotPending refuses to cancel an API request on which work started.
var ErrNotPending = &Error{Code: ECONFLICT, Message: "only a pending request can be cancelled"}

// OpenDSRStatus maps a request's status to the API's: pending, in_progress,
// completed, cancelled.
func OpenDSRStatus(r Request, a APIRequest) string {
	switch {
	case a.CancelledAt != nil:
		return "cancelled"
	case r.Status.Closed():
		return "completed"
	case r.Status == StatusReceived || r.Status == StatusForwarded:
		return "pending"
	}
	return "in_progress"
}
