package register

import (
	"fmt"
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// Retention is an activity's retention rule: data are kept for Duration
// after the date of the event From.
type Retention struct {
	Duration Duration `json:"duration" yaml:"duration"`
	From     Event    `json:"from" yaml:"from"`
	// Accounting marks a rule that exists to keep accounting records: it
	// counts from From or from the last invoice or accounting entry,
	// whichever is later, and covers only the categories of data marked
	// Accounting; the others go once the event has passed.
	Accounting bool      `json:"accounting" yaml:"accounting"`
	Ground     dsar.Text `json:"ground" yaml:"ground"`   // the legal ground: "Code de commerce, art. L123-22"
	Wording    dsar.Text `json:"wording" yaml:"wording"` // the register's own sentence
}

// Complete reports whether the rule can be applied: it has a known start
// event and a positive duration.
func (rt Retention) Complete() bool {
	return rt.From.Valid() && rt.Duration.InMonths() > 0
}

// Duration is a period in years and months, counted by the calendar.
type Duration struct {
	Years  int `json:"years,omitempty" yaml:"years"`
	Months int `json:"months,omitempty" yaml:"months"`
}

// InMonths returns the duration in months, for dsar.AddMonths: 10 years is
// 120 months, so that 29 February plus 10 years is 28 February.
func (d Duration) InMonths() int { return 12*d.Years + d.Months }

// Text returns the duration in words: "10 ans", "1 year and 6 months".
func (d Duration) Text() dsar.Text {
	y, m := d.InMonths()/12, d.InMonths()%12
	var fr, en []string
	if y > 0 {
		fr = append(fr, plural(y, "an", "ans"))
		en = append(en, plural(y, "year", "years"))
	}
	if m > 0 || y == 0 {
		fr = append(fr, fmt.Sprintf("%d mois", m))
		en = append(en, plural(m, "month", "months"))
	}
	return dsar.Text{FR: strings.Join(fr, " et "), EN: strings.Join(en, " and ")}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Event is what a retention period counts from.
type Event string

// The events a retention period can count from. Each has its date in Facts.
const (
	EventContractEnd     Event = "contract_end"      // the end of the person's contract with VRACOOP
	EventLastContact     Event = "last_contact"      // the last contact with the person
	EventShopContractEnd Event = "shop_contract_end" // the end of the client shop's contract with VRACOOP
)

// Events lists every event a retention rule may name.
var Events = []Event{EventContractEnd, EventLastContact, EventShopContractEnd}

// Valid reports whether e is a known event.
func (e Event) Valid() bool {
	for _, known := range Events {
		if e == known {
			return true
		}
	}
	return false
}

// eventWords says, for each event, the event as a noun phrase ("the end of
// the contract") and the fact that dates it, for sentences.
var eventWords = map[Event]struct{ event, fact dsar.Text }{
	EventContractEnd: {
		dsar.Text{FR: "la fin du contrat", EN: "the end of the contract"},
		dsar.Text{FR: "la date de fin du contrat", EN: "the end date of the contract"},
	},
	EventLastContact: {
		dsar.Text{FR: "le dernier contact", EN: "the last contact"},
		dsar.Text{FR: "la date du dernier contact", EN: "the date of the last contact"},
	},
	EventShopContractEnd: {
		dsar.Text{FR: "la fin du contrat de la boutique", EN: "the end of the shop's contract"},
		dsar.Text{FR: "la date de fin du contrat de la boutique", EN: "the end date of the shop's contract"},
	},
}

// lastEntryFact names the date of the last accounting entry.
var lastEntryFact = dsar.Text{
	FR: "la date de la dernière facture ou écriture comptable",
	EN: "the date of the last invoice or accounting entry",
}
