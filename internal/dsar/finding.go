package dsar

import (
	"strings"
	"time"
)

// Match says how a record was found to concern the person.
type Match string

// How records are matched. Only an email or phone match can support
// disclosure; a name alone is a hint for staff.
const (
	MatchEmail   Match = "email"   // an email field equals the person's address
	MatchPhone   Match = "phone"   // a phone field equals the person's number
	MatchName    Match = "name"    // only the name matches: "possible"
	MatchPartner Match = "partner" // linked to a partner found by email or phone
)

// Possible reports whether the match is only a hint that staff must confirm
// before anything is disclosed or changed.
func (m Match) Possible() bool { return m == MatchName }

// Finding is one record of an Odoo instance that concerns the person, as it
// was read at lookup time.
type Finding struct {
	Instance    string            `json:"instance"` // the instance's name
	Model       string            `json:"model"`
	RecordID    int               `json:"record_id"`
	DisplayName string            `json:"display_name"`
	Match       Match             `json:"match"`
	Via         string            `json:"via,omitempty"` // for MatchPartner: the partner it hangs on, "res.partner/42"
	Fields      map[string]string `json:"fields"`        // the fields read, as text
	Archived    bool              `json:"archived,omitempty"`
	ReadAt      time.Time         `json:"read_at"`
}

// LookupProblem is a part of a lookup that could not be done: an instance
// that did not answer, or a model the integration user may not read.
type LookupProblem struct {
	Instance string `json:"instance"`
	Model    string `json:"model,omitempty"`
	Message  string `json:"message"`
	Retry    bool   `json:"retry"` // a later attempt may succeed (Odoo down or slow)
}

// Lookup is the snapshot of one search for a person across Odoo instances.
type Lookup struct {
	StartedAt  time.Time       `json:"started_at"`
	FinishedAt time.Time       `json:"finished_at"`
	Emails     []string        `json:"emails"` // the identifiers searched
	Phones     []string        `json:"phones"`
	Name       string          `json:"name"`
	Findings   []Finding       `json:"findings"`
	Skipped    []LookupProblem `json:"skipped"`  // models not installed: not an error
	Problems   []LookupProblem `json:"problems"` // failures
}

// Complete reports whether every instance answered: a lookup with
// problems leaves the request waiting for a retry.
func (l Lookup) Complete() bool { return len(l.Problems) == 0 }

// LookupJob is a lookup waiting to run: requested by staff or by the
// confirmation of a request, or waiting to run again after Odoo failed.
type LookupJob struct {
	RequestID   string
	RequestedAt time.Time
	RequestedBy string
	Attempts    int
	NextAttempt time.Time
	LastError   string // why the last attempt did not complete
}

// Evidence returns the roles a lookup shows the person has with VRACOOP
// or a shop, from records matched by email or phone: "customer",
// "supplier", "prospect", "loyalty". The register routes on them.
func (l Lookup) Evidence() []string {
	seen := map[string]bool{}
	var out []string
	add := func(role string) {
		if !seen[role] {
			seen[role] = true
			out = append(out, role)
		}
	}
	for _, f := range l.Findings {
		if f.Match.Possible() {
			continue
		}
		// A contact of a customer or supplier company acts for it: the
		// company's rank (found through the contact) counts too.
		if f.Model == "res.partner" && positive(f.Fields["customer_rank"]) {
			add("customer")
		}
		if f.Model == "res.partner" && positive(f.Fields["supplier_rank"]) {
			add("supplier")
		}
		switch {
		case f.Model == "sale.order", f.Model == "account.move" && strings.HasPrefix(f.Fields["move_type"], "out_"):
			add("customer")
		case f.Model == "purchase.order", f.Model == "account.move" && strings.HasPrefix(f.Fields["move_type"], "in_"):
			add("supplier")
		case f.Model == "crm.lead":
			add("prospect")
		case f.Model == "loyalty.card" || f.Model == "pos.order":
			add("loyalty")
		}
	}
	return out
}

func positive(s string) bool { return s != "" && s != "0" }
