// Package plans turns a request, the Odoo lookup's findings and the
// register's retention rules into a plan: for each record, what will be
// done (anonymised, archived, deleted, rectified, noted) or kept, until
// when and on which ground; and the manual tasks in systems without an API.
// Staff read the plan, approve it, and only then does it run.
package plans

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/register"
)

// Input is what a plan is built from.
type Input struct {
	Request  dsar.Request
	Lookup   dsar.Lookup
	Register *register.Register
	// Instance is VRACOOP's own Odoo: findings in other instances belong to
	// client shops, for which VRACOOP acts only on their instruction.
	Instance string
	Actor    string
	Now      time.Time
}

// Fields a full anonymisation overwrites on a partner, and those kept on a
// partner that accounting records use.
var (
	partnerPersonal   = []string{"name", "email", "phone", "mobile", "street", "street2", "zip", "city", "vat", "comment", "function", "website"}
	partnerAccounting = []string{"name", "street", "street2", "zip", "city", "vat", "country_id"}
	partnerContact    = []string{"email", "phone", "mobile", "comment", "function", "website"}
)

// Build returns the draft plan for the request.
func Build(in Input) dsar.Plan {
	b := &builder{in: in, p: dsar.Plan{RequestID: in.Request.ID, State: dsar.PlanDraft, CreatedAt: in.Now, CreatedBy: in.Actor}}
	b.index()
	kinds := in.Request.Kinds
	if dsar.HasKind(kinds, dsar.KindErasure) {
		b.erasure()
	}
	if dsar.HasKind(kinds, dsar.KindRectification) {
		for _, p := range b.persons {
			b.add(dsar.Step{Kind: dsar.StepRectify, Instance: p.Instance, Model: p.Model, RecordID: p.RecordID, Display: p.DisplayName,
				Reason: dsar.Text{FR: "Rectification demandée (RGPD, art. 16) : « " + in.Request.RectifyWrong + " » → « " + in.Request.RectifyCorrect + " ».",
					EN: "Rectification requested (GDPR Art. 16): \"" + in.Request.RectifyWrong + "\" → \"" + in.Request.RectifyCorrect + "\"."}})
		}
	}
	if dsar.HasKind(kinds, dsar.KindObjection) {
		for _, email := range b.emails() {
			b.add(dsar.Step{Kind: dsar.StepOptOut, Instance: in.Instance, Model: "mail.blacklist", Display: dsar.Mask(email),
				Values: map[string]string{"email": email},
				Reason: dsar.Text{FR: "Opposition (RGPD, art. 21) : plus aucun envoi commercial à cette adresse.", EN: "Objection (GDPR Art. 21): no more marketing to this address."}})
		}
	}
	if dsar.HasKind(kinds, dsar.KindRestriction) {
		for _, p := range b.persons {
			b.add(dsar.Step{Kind: dsar.StepNote, Instance: p.Instance, Model: p.Model, RecordID: p.RecordID, Display: p.DisplayName,
				Values: map[string]string{"body": fmt.Sprintf("%s : limitation du traitement demandée (RGPD, art. 18). Ne pas utiliser ces données, sauf pour leur conservation, jusqu'à nouvel ordre.", in.Request.Ref)},
				Reason: dsar.Text{FR: "Limitation (RGPD, art. 18) : la limitation est signalée sur la fiche.", EN: "Restriction (GDPR Art. 18): the restriction is flagged on the record."}})
		}
	}
	if b.acts() {
		for _, p := range b.persons {
			b.add(dsar.Step{Kind: dsar.StepNote, Instance: p.Instance, Model: p.Model, RecordID: p.RecordID, Display: p.DisplayName,
				Values: map[string]string{"body": fmt.Sprintf("Demande RGPD %s traitée par le portail dsar : voir le plan approuvé.", in.Request.Ref)},
				Reason: dsar.Text{FR: "Trace dans Odoo de ce qui a été fait, sous quelle référence.", EN: "A trace in Odoo of what was done, under which reference."}})
		}
	}
	b.manual()
	for i := range b.p.Steps {
		b.p.Steps[i].N = i + 1
		if b.p.Steps[i].State == "" {
			b.p.Steps[i].State = dsar.StepPending
		}
	}
	return b.p
}

type builder struct {
	in      Input
	p       dsar.Plan
	persons []dsar.Finding            // the person's own partners, matched by email or phone
	byVia   map[string][]dsar.Finding // findings hanging on a record, by "model/id"
	facts   map[int]register.Facts    // per partner: the dates retention counts from
}

func (b *builder) add(s dsar.Step) { b.p.Steps = append(b.p.Steps, s) }

// acts reports whether the plan changes anything in Odoo so far.
func (b *builder) acts() bool {
	for _, s := range b.p.Steps {
		if s.Acts() {
			return true
		}
	}
	return false
}

// index keeps VRACOOP's findings that certainly concern the person.
func (b *builder) index() {
	b.byVia = map[string][]dsar.Finding{}
	b.facts = map[int]register.Facts{}
	for _, f := range b.in.Lookup.Findings {
		if f.Instance != b.in.Instance || f.Match.Possible() {
			continue
		}
		if f.Model == "res.partner" && (f.Match == dsar.MatchEmail || f.Match == dsar.MatchPhone) {
			b.persons = append(b.persons, f)
		}
		if f.Via != "" {
			b.byVia[f.Via] = append(b.byVia[f.Via], f)
		}
	}
	sort.Slice(b.persons, func(i, j int) bool { return b.persons[i].RecordID < b.persons[j].RecordID })
	for _, p := range b.persons {
		var last dsar.Date
		for _, f := range b.byVia[key(p)] {
			if f.Model == "account.move" && f.Fields["state"] == "posted" {
				if d, err := dsar.ParseDate(f.Fields["invoice_date"]); err == nil && d.After(last) {
					last = d
				}
			}
		}
		// Odoo does not record the end of a contract: the last accounting
		// entry is the last sure trace of it, and the rule counts from the
		// later of the two.
		b.facts[p.RecordID] = register.Facts{LastAccountingEntry: last, ContractEnd: last}
	}
}

func key(f dsar.Finding) string { return f.Model + "/" + strconv.Itoa(f.RecordID) }

// erasure plans, for each of the person's partners, what is deleted,
// anonymised or kept.
func (b *builder) erasure() {
	for _, p := range b.persons {
		facts := b.facts[p.RecordID]
		accounting := !facts.LastAccountingEntry.IsZero()
		keepUntil, keepReason := b.accountingRule(p, facts)
		for _, f := range b.byVia[key(p)] {
			b.linked(f, accounting, keepUntil, keepReason)
		}
		if accounting {
			values := map[string]string{}
			for _, k := range partnerContact {
				values[k] = ""
			}
			b.add(dsar.Step{Kind: dsar.StepAnonymise, Instance: p.Instance, Model: p.Model, RecordID: p.RecordID, Display: p.DisplayName,
				Values: values, Kept: partnerAccounting, Until: keepUntil, Reason: keepReason})
			continue
		}
		values := map[string]string{}
		for _, k := range partnerPersonal {
			values[k] = ""
		}
		values["name"] = dsar.Placeholder(b.in.Request.Ref)
		b.add(dsar.Step{Kind: dsar.StepAnonymise, Archive: true, Instance: p.Instance, Model: p.Model, RecordID: p.RecordID,
			Display: p.DisplayName, Values: values,
			Reason: dsar.Text{FR: "Effacement (RGPD, art. 17) : aucune pièce comptable ne la rattache ; la fiche est anonymisée puis archivée (les autres documents qui la citent restent lisibles).",
				EN: "Erasure (GDPR Art. 17): no accounting record uses it; the contact is anonymised then archived (documents that cite it stay readable)."}})
	}
	// Leads and users found by email whose partner was not found.
	for _, f := range b.in.Lookup.Findings {
		if f.Instance != b.in.Instance || f.Match.Possible() || f.Via != "" {
			continue
		}
		switch f.Model {
		case "crm.lead", "res.users":
			b.linked(f, false, dsar.Date{}, dsar.Text{})
		}
	}
}

// accountingRule returns until when, and why, accounting records of the
// partner are kept, from the register's rule for customers or suppliers.
func (b *builder) accountingRule(p dsar.Finding, facts register.Facts) (dsar.Date, dsar.Text) {
	if facts.LastAccountingEntry.IsZero() {
		return dsar.Date{}, dsar.Text{}
	}
	activity := "customers"
	for _, f := range b.byVia[key(p)] {
		if f.Model == "purchase.order" || f.Model == "account.move" && len(f.Fields["move_type"]) > 3 && f.Fields["move_type"][:3] == "in_" {
			activity = "suppliers"
		}
	}
	decisions, err := b.in.Register.Retention(activity, facts, b.in.Now)
	if err != nil {
		return dsar.Date{}, dsar.Text{FR: "Règle de conservation introuvable : ne rien effacer.", EN: "No retention rule found: erase nothing."}
	}
	for _, d := range decisions {
		if d.Category == "identity" || d.Category == "bank" {
			reason := d.Reason
			reason.FR = d.Ground.FR + ". " + reason.FR
			reason.EN = d.Ground.EN + ". " + reason.EN
			return d.KeepUntil, reason
		}
	}
	return dsar.Date{}, dsar.Text{}
}

// linked plans one record that hangs on the person's partner.
func (b *builder) linked(f dsar.Finding, accounting bool, until dsar.Date, reason dsar.Text) {
	step := dsar.Step{Instance: f.Instance, Model: f.Model, RecordID: f.RecordID, Display: f.DisplayName}
	switch f.Model {
	case "crm.lead":
		step.Kind = dsar.StepDelete
		step.Reason = dsar.Text{FR: "Effacement (RGPD, art. 17) : piste commerciale supprimée, avec ses messages.", EN: "Erasure (GDPR Art. 17): the lead is deleted, with its messages."}
	case "mail.followers":
		step.Kind = dsar.StepDelete
		step.Reason = dsar.Text{FR: "Ne plus suivre ce document.", EN: "Stop following this document."}
	case "res.users":
		step.Kind = dsar.StepArchive
		step.Reason = dsar.Text{FR: "Accès au portail fermé : l'utilisateur est archivé.", EN: "Portal access closed: the user is archived."}
	case "res.partner.bank":
		if accounting {
			step.Kind, step.Until, step.Reason = dsar.StepKeep, until, reason
		} else {
			step.Kind = dsar.StepDelete
			step.Reason = dsar.Text{FR: "Coordonnées bancaires sans pièce comptable : supprimées.", EN: "Bank details no accounting record uses: deleted."}
		}
	case "loyalty.card":
		step.Kind = dsar.StepDelete
		step.Reason = dsar.Text{FR: "Carte de fidélité supprimée, avec ses points.", EN: "Loyalty card deleted, with its points."}
	case "account.move", "sale.order", "purchase.order", "pos.order":
		step.Kind, step.Until, step.Reason = dsar.StepKeep, until, reason
		if until.IsZero() {
			step.Reason = dsar.Text{FR: "Document commercial conservé : il n'est jamais modifié par le portail.", EN: "Business document kept: the portal never changes it."}
		}
	case "res.partner", "mail.message":
		return // partners are planned on their own; chatter goes with its record
	default:
		step.Kind = dsar.StepKeep
		step.Reason = dsar.Text{FR: "Modèle non traité automatiquement : à examiner par l'équipe.", EN: "Model not handled automatically: for staff to review."}
	}
	b.add(step)
}

// emails are the verified addresses objection opts out.
func (b *builder) emails() []string {
	if b.in.Request.Email == "" {
		return nil
	}
	return []string{b.in.Request.Email}
}

// manual adds the register's systems without an API (the prospects' paper
// archive, the mobile app's meta-database) to every plan, as tasks an agent
// ticks: the lookup cannot see them, and a person may be there whatever
// they said of themselves.
func (b *builder) manual() {
	for _, a := range b.in.Register.Activities {
		for _, m := range a.ManualSystems {
			b.add(dsar.Step{Kind: dsar.StepManual, System: m.ID, Display: m.Name.FR, Reason: m.Instructions})
		}
	}
}
