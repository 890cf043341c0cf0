package register

import (
	"fmt"
	"strings"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// Facts are the dates known about a person, from Odoo or from staff, that
// retention rules count from. A zero date is unknown.
type Facts struct {
	LastAccountingEntry dsar.Date // the last invoice or accounting entry about the person
	ContractEnd         dsar.Date // the end of the person's contract with VRACOOP
	LastContact         dsar.Date // the last contact with the person
	ShopContractEnd     dsar.Date // the end of the client shop's contract with VRACOOP
}

// date returns the date of event e.
func (f Facts) date(e Event) dsar.Date {
	switch e {
	case EventContractEnd:
		return f.ContractEnd
	case EventLastContact:
		return f.LastContact
	case EventShopContractEnd:
		return f.ShopContractEnd
	}
	return dsar.Date{}
}

// Decision says what may be done with one category of a person's data.
type Decision struct {
	Category     string    // the category's ID: "bank"
	CategoryName dsar.Text // its name
	ErasableNow  bool
	// KeepUntil is the last day the data must be kept, when it is known;
	// they may be erased the day after.
	KeepUntil dsar.Date
	Ground    dsar.Text // the legal ground for keeping (or for erasing)
	Reason    dsar.Text // the decision explained, with the dates it rests on
}

// Legal grounds the rules of the register rely on besides their own.
var (
	groundContract = dsar.Text{
		FR: "exécution du contrat, RGPD art. 6.1.b",
		EN: "performance of the contract, GDPR Art. 6(1)(b)",
	}
	groundStorageLimit = dsar.Text{
		FR: "limitation de la conservation, RGPD art. 5.1.e et 17.1.a",
		EN: "storage limitation, GDPR Art. 5(1)(e) and 17(1)(a)",
	}
)

// Retention decides, for each category of data of the activity, whether the
// person's data may be erased on the day of now (in Europe/Paris), or until
// when they must be kept, and on what ground.
//
// A period ends on the same day so many calendar months after its start
// (dsar.AddMonths): data are kept through that day. When a date the rule
// needs is unknown, the decision is to keep, and the reason names the
// missing date. For a processor activity, erasure during the shop's
// contract is the shop's decision, never VRACOOP's.
func (r *Register) Retention(activityID string, f Facts, now time.Time) ([]Decision, error) {
	a, ok := r.Activity(activityID)
	if !ok {
		return nil, dsar.Errorf(dsar.ENOTFOUND, "The register has no activity %q.", activityID)
	}
	today := dsar.DateOf(now)
	decisions := make([]Decision, 0, len(a.Data))
	for _, c := range a.Data {
		d := Decision{Category: c.ID, CategoryName: c.Name, Ground: a.Retention.Ground}
		switch rule := a.Retention; {
		case !rule.Complete():
			d.Reason = dsar.Text{
				FR: "Ne pas effacer : la règle de conservation du registre est incomplète (durée ou événement de départ manquant).",
				EN: "Do not erase: the register's retention rule is incomplete (no duration or no start event).",
			}
		case a.Role == dsar.RoleProcessor:
			decideProcessor(&d, rule, f, today)
		case rule.Accounting && c.Accounting:
			decideAccounting(&d, rule, f, today)
		case rule.Accounting:
			decideUntilEvent(&d, rule, f, today)
		default:
			decidePeriod(&d, rule, f, today)
		}
		decisions = append(decisions, d)
	}
	return decisions, nil
}

// decidePeriod applies a plain rule: kept for the duration after the event.
func decidePeriod(d *Decision, rule Retention, f Facts, today dsar.Date) {
	start := f.date(rule.From)
	if start.IsZero() {
		d.Reason = missing(eventWords[rule.From].fact)
		return
	}
	d.KeepUntil = dsar.AddMonths(start, rule.Duration.InMonths())
	since := sentence("%s après %s, le %s", "%s after %s, on %s",
		rule.Duration.Text(), eventWords[rule.From].event, dateText(start))
	if today.After(d.KeepUntil) {
		d.ErasableNow = true
		d.Reason = sentence("Délai de conservation écoulé le %s (%s).", "The retention period ended on %s (%s).",
			dateText(d.KeepUntil), since)
		return
	}
	d.Reason = sentence("À conserver jusqu'au %s : %s, selon la règle du registre.",
		"Keep until %s: %s, under the register's rule.", dateText(d.KeepUntil), since)
}

// decideAccounting applies an accounting rule to accounting records: kept
// for the duration after the event or the last accounting entry, whichever
// is later.
func decideAccounting(d *Decision, rule Retention, f Facts, today dsar.Date) {
	end := f.date(rule.From)
	var unknown []dsar.Text
	if end.IsZero() {
		unknown = append(unknown, eventWords[rule.From].fact)
	}
	if f.LastAccountingEntry.IsZero() {
		unknown = append(unknown, lastEntryFact)
	}
	if len(unknown) > 0 {
		d.Reason = missing(unknown...)
		return
	}
	start := sentence("%s (%s)", "%s (%s)", eventWords[rule.From].event, dateText(end))
	startDate := end
	if f.LastAccountingEntry.After(end) {
		startDate = f.LastAccountingEntry
		start = sentence("la dernière écriture comptable (%s), postérieure à %s", "the last accounting entry (%s), later than %s",
			dateText(startDate), eventWords[rule.From].event)
	}
	d.KeepUntil = dsar.AddMonths(startDate, rule.Duration.InMonths())
	if today.After(d.KeepUntil) {
		d.ErasableNow = true
		d.Reason = sentence("Pièce comptable : le délai de %s après %s a pris fin le %s.",
			"Accounting record: the period of %s after %s ended on %s.",
			rule.Duration.Text(), start, dateText(d.KeepUntil))
		return
	}
	d.Reason = sentence("Pièce comptable : à conserver jusqu'au %s, %s après %s.",
		"Accounting record: keep until %s, %s after %s.",
		dateText(d.KeepUntil), rule.Duration.Text(), start)
}

// decideUntilEvent applies an accounting rule to data that accounting
// records do not hold: they are needed while the contract runs, not after.
func decideUntilEvent(d *Decision, rule Retention, f Facts, today dsar.Date) {
	end := f.date(rule.From)
	if end.IsZero() {
		d.Reason = missing(eventWords[rule.From].fact)
		return
	}
	if today.After(end) {
		d.ErasableNow = true
		d.Ground = groundStorageLimit
		d.Reason = sentence("Effaçable : %s a eu lieu le %s et ces données ne sont pas des pièces comptables, que la règle comptable ne couvre pas.",
			"Erasable: %s was on %s and these data are not accounting records, which alone the accounting rule covers.",
			eventWords[rule.From].event, dateText(end))
		return
	}
	d.KeepUntil = end
	d.Ground = groundContract
	d.Reason = sentence("À conserver jusqu'au %s (%s) : elles servent au contrat. Ce ne sont pas des pièces comptables : elles pourront être effacées ensuite.",
		"Keep until %s (%s): they serve the contract. They are not accounting records: they may be erased afterwards.",
		dateText(end), eventWords[rule.From].event)
}

// decideProcessor applies the rule of a processor activity. While the
// shop's contract runs, the shop is the controller and decides; VRACOOP
// erases only on its instruction.
func decideProcessor(d *Decision, rule Retention, f Facts, today dsar.Date) {
	shopDecides := dsar.Text{
		FR: "VRACOOP est sous-traitant : la décision appartient à la boutique, responsable du traitement, et VRACOOP n'efface que sur son instruction.",
		EN: "VRACOOP is the processor: the decision belongs to the shop, which is the controller, and VRACOOP erases only on its instruction.",
	}
	end := f.date(rule.From)
	if end.IsZero() {
		d.Reason = join(missing(eventWords[rule.From].fact), shopDecides)
		return
	}
	d.KeepUntil = dsar.AddMonths(end, rule.Duration.InMonths())
	switch {
	case today.After(d.KeepUntil):
		d.ErasableNow = true
		d.Reason = sentence("Effaçable : le délai de %s après %s (%s) a pris fin le %s ; VRACOOP doit effacer ces données, ou les rendre si la boutique l'a demandé.",
			"Erasable: the period of %s after %s (%s) ended on %s; VRACOOP must erase these data, or return them if the shop asked for it.",
			rule.Duration.Text(), eventWords[rule.From].event, dateText(end), dateText(d.KeepUntil))
	case today.After(end):
		d.Reason = join(sentence("Le contrat de la boutique a pris fin le %s ; le registre prévoit de garder les données jusqu'au %s.",
			"The shop's contract ended on %s; the register keeps the data until %s.",
			dateText(end), dateText(d.KeepUntil)), shopDecides)
	default:
		d.Reason = join(sentence("Le contrat de la boutique court jusqu'au %s ; au plus tard, les données seront effacées après le %s.",
			"The shop's contract runs until %s; at the latest, the data will be erased after %s.",
			dateText(end), dateText(d.KeepUntil)), shopDecides)
	}
}

// missing explains a conservative decision taken for want of dates.
func missing(facts ...dsar.Text) dsar.Text {
	var fr, en []string
	for _, f := range facts {
		fr = append(fr, f.FR)
		en = append(en, f.EN)
	}
	verbFR, verbEN := "n'est pas connue", "is not known"
	if len(facts) > 1 {
		verbFR, verbEN = "ne sont pas connues", "are not known"
	}
	return dsar.Text{
		FR: fmt.Sprintf("Ne pas effacer : %s %s, le délai de conservation ne peut pas être calculé.", strings.Join(fr, " et "), verbFR),
		EN: fmt.Sprintf("Do not erase: %s %s, so the retention period cannot be computed.", strings.Join(en, " and "), verbEN),
	}
}
