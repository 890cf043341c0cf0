package register

import (
	"fmt"
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// The severities of a Finding.
//
// An error is a structural problem that breaks what the program derives
// from the register: routing, retention decisions, the information owed to
// people, or the register's own required content (Art. 30). A warning is an
// inconsistency in the register's wording, kept verbatim in register.yaml
// for VRACOOP's DPO to correct in the register itself. `dsar register
// check` fails on errors only, so that CI stops a broken file but not the
// register as VRACOOP wrote it.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Finding is a problem Check found in the register.
type Finding struct {
	Severity string // SeverityError or SeverityWarning
	Activity string // the activity's ID; empty for the register as a whole
	// Field is where the problem is, as register.yaml's keys:
	// "transfers", "retention.from", "purposes, people".
	Field   string
	Message dsar.Text
}

// String returns the finding on one line, with its French message:
// "warning prospects/transfers: La réponse ...".
func (f Finding) String() string {
	where := f.Activity
	if where == "" {
		where = "register"
	}
	return fmt.Sprintf("%s %s/%s: %s", f.Severity, where, f.Field, f.Message.FR)
}

// Check returns the register's problems: structural errors first for the
// register as a whole, then, activity by activity in the register's order,
// its errors and its warnings. Nothing here knows VRACOOP's activities by
// ID: every rule reads the data.
func (r *Register) Check() []Finding {
	c := &checker{r: r}
	c.register()
	for _, a := range r.Activities {
		c.structure(a)
		c.routing(a)
		c.transfers(a)
		c.people(a)
	}
	c.nameVariants()
	return c.sorted()
}

// checker gathers findings.
type checker struct {
	r        *Register
	findings []Finding
}

func (c *checker) add(severity, activity, field string, msg dsar.Text) {
	c.findings = append(c.findings, Finding{Severity: severity, Activity: activity, Field: field, Message: msg})
}

func (c *checker) errorf(activity, field string, msg dsar.Text) {
	c.add(SeverityError, activity, field, msg)
}

func (c *checker) warnf(activity, field string, msg dsar.Text) {
	c.add(SeverityWarning, activity, field, msg)
}

// sorted returns the findings in the order Check promises: register-level
// first, then by activity in the register's order, errors before warnings.
func (c *checker) sorted() []Finding {
	rank := map[string]int{"": 0}
	for i, a := range c.r.Activities {
		if _, ok := rank[a.ID]; !ok {
			rank[a.ID] = i + 1
		}
	}
	out := make([]Finding, 0, len(c.findings))
	for pass := 0; pass <= len(c.r.Activities); pass++ {
		for _, sev := range []string{SeverityError, SeverityWarning} {
			for _, f := range c.findings {
				if rank[f.Activity] == pass && f.Severity == sev {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// register checks what concerns the register as a whole.
func (c *checker) register() {
	org := c.r.Organisation
	if strings.TrimSpace(org.Name) == "" {
		c.errorf("", "organisation.name", missingField("le nom de l'organisme", "the organisation's name"))
	}
	if org.Responsible.LastName == "" {
		c.errorf("", "organisation.responsible", missingField("le nom du responsable", "the responsible person's name"))
	}
	if org.Responsible.Email == "" {
		c.errorf("", "organisation.responsible.email", missingField("l'adresse de messagerie du responsable", "the responsible person's email address"))
	}
	if c.r.Authority.Website == "" && c.r.Authority.Address == "" {
		c.errorf("", "supervisory_authority", missingField("l'autorité de contrôle à qui se plaindre", "the supervisory authority to complain to"))
	}
	if len(c.r.Activities) == 0 {
		c.errorf("", "activities", missingField("les activités", "the activities"))
	}
	for _, rel := range dsar.Relationships {
		if len(c.r.Route(RouteInput{Relationship: rel})) == 0 {
			c.errorf("", "routed_by", sentence(
				"Aucune activité n'est désignée pour une personne qui se dit « %s » : sa demande n'irait nulle part.",
				"No activity is named for a person who says they are %q: their request would go nowhere.", string(rel)))
		}
	}
}

func missingField(fr, en string) dsar.Text {
	return dsar.Text{FR: "Il manque " + fr + ".", EN: "Missing: " + en + "."}
}

// structure checks an activity's required content.
func (c *checker) structure(a Activity) {
	id := a.ID
	c.number(a)
	if blank(a.Name) {
		c.errorf(id, "name", missingField("le nom de l'activité", "the activity's name"))
	}
	c.role(a)
	if allBlank(a.Purposes) {
		c.errorf(id, "purposes", missingField("les objectifs poursuivis", "the purposes"))
	}
	if allBlank(a.People) {
		c.errorf(id, "people", missingField("les catégories de personnes concernées", "the categories of people"))
	}
	c.data(a)
	c.retention(a)
	if a.Recipients.Empty() {
		c.errorf(id, "recipients", missingField("les destinataires des données (la liste est vide)", "the recipients of the data (the list is empty)"))
	}
	if allBlank(a.Security) {
		c.errorf(id, "security", missingField("les mesures de sécurité", "the security measures"))
	}
	c.dates(a)
	for _, m := range a.ManualSystems {
		if blank(m.Name) || blank(m.Instructions) {
			c.errorf(id, "manual_systems", sentence("Le système sans API « %s » n'a pas de nom ou pas d'instructions pour l'agent.",
				"The system without an API %q has no name or no instructions for the agent.", m.ID))
		}
	}
}

func (c *checker) number(a Activity) {
	if a.Number < 1 {
		c.errorf(a.ID, "number", missingField("le numéro de l'activité dans le registre", "the activity's number in the register"))
		return
	}
	for _, b := range c.r.Activities {
		if b.ID == a.ID {
			break
		}
		if b.Number == a.Number {
			c.errorf(a.ID, "number", sentence("Le numéro %d est déjà celui de l'activité « %s ».",
				"Number %d is already activity %q's.", a.Number, b.ID))
			return
		}
	}
}

// role checks the role and, for a processor, the controller it serves.
func (c *checker) role(a Activity) {
	id := a.ID
	switch a.Role {
	case "":
		c.errorf(id, "role", missingField("le rôle de VRACOOP (controller ou processor)", "VRACOOP's role (controller or processor)"))
	case dsar.RoleProcessor:
		if a.Controller == "" {
			c.errorf(id, "controller", dsar.Text{
				FR: "VRACOOP y est sous-traitant, mais le responsable du traitement pour qui elle agit n'est pas indiqué : les demandes ne peuvent pas lui être transmises.",
				EN: "VRACOOP is the processor here, but the controller it acts for is not given: requests cannot be forwarded to it.",
			})
		} else if _, ok := c.r.controller(a.Controller); !ok {
			c.errorf(id, "controller", sentence("Le responsable du traitement « %s » n'est pas déclaré dans controllers.",
				"The controller %q is not declared under controllers.", a.Controller))
		}
	case dsar.RoleController:
		if a.Controller != "" {
			c.errorf(id, "controller", sentence("VRACOOP y est responsable du traitement, mais l'activité nomme un autre responsable (« %s »).",
				"VRACOOP is the controller here, but the activity names another controller (%q).", a.Controller))
		}
	}
	for _, l := range a.Related {
		if _, ok := c.r.Activity(l.Activity); !ok {
			c.errorf(id, "related", sentence("L'activité liée « %s » n'existe pas dans le registre.",
				"The related activity %q is not in the register.", l.Activity))
		}
	}
}

// data checks the categories of data.
func (c *checker) data(a Activity) {
	if len(a.Data) == 0 {
		c.errorf(a.ID, "data", missingField("les catégories de données", "the categories of data"))
		return
	}
	seen := map[string]bool{}
	for i, d := range a.Data {
		switch {
		case d.ID == "":
			c.errorf(a.ID, "data", sentence("La catégorie de données n° %d n'a pas d'identifiant.",
				"Category of data #%d has no id.", i+1))
		case seen[d.ID]:
			c.errorf(a.ID, "data", sentence("La catégorie de données « %s » apparaît deux fois.",
				"Category of data %q appears twice.", d.ID))
		case blank(d.Name):
			c.errorf(a.ID, "data", sentence("La catégorie de données « %s » n'a pas de nom.",
				"Category of data %q has no name.", d.ID))
		}
		seen[d.ID] = true
	}
}

// retention checks that the rule can be applied.
func (c *checker) retention(a Activity) {
	rt := a.Retention
	if rt.From == "" && rt.Duration.InMonths() == 0 && blank(rt.Ground) && blank(rt.Wording) {
		c.errorf(a.ID, "retention", missingField("la durée de conservation", "the retention period"))
		return
	}
	if rt.From == "" {
		c.errorf(a.ID, "retention.from", missingField(
			"l'événement à partir duquel court la conservation (contract_end, last_contact, shop_contract_end)",
			"the event the retention period counts from (contract_end, last_contact, shop_contract_end)"))
	}
	if rt.Duration.InMonths() <= 0 {
		c.errorf(a.ID, "retention.duration", missingField("la durée de conservation (en années ou en mois)", "the retention period (in years or months)"))
	}
	if blank(rt.Ground) {
		c.errorf(a.ID, "retention.ground", missingField("le fondement de la durée de conservation", "the legal ground of the retention period"))
	}
	if rt.Accounting && a.Role != dsar.RoleProcessor && len(a.Data) > 0 {
		for _, d := range a.Data {
			if d.Accounting {
				return
			}
		}
		c.errorf(a.ID, "retention.accounting", dsar.Text{
			FR: "La règle est comptable, mais aucune catégorie de données n'est marquée accounting : tout serait effaçable dès la fin du contrat.",
			EN: "The rule is an accounting one, but no category of data is marked accounting: everything would be erasable as soon as the contract ends.",
		})
	}
}

// dates checks the sheet's creation and update dates.
func (c *checker) dates(a Activity) {
	if a.Created.IsZero() {
		c.errorf(a.ID, "created", missingField("la date de création de la fiche", "the sheet's creation date"))
	}
	if a.Updated.IsZero() {
		c.errorf(a.ID, "updated", missingField("la date de dernière mise à jour de la fiche", "the date of the sheet's last update"))
	}
	if !a.Created.IsZero() && !a.Updated.IsZero() && a.Updated.Before(a.Created) {
		c.errorf(a.ID, "updated", sentence("La fiche aurait été mise à jour (%s) avant d'être créée (%s).",
			"The sheet was updated (%s) before it was created (%s).", dateText(a.Updated), dateText(a.Created)))
	}
}

// routing checks the activity's triggers.
func (c *checker) routing(a Activity) {
	if len(a.RoutedBy) == 0 {
		c.warnf(a.ID, "routed_by", dsar.Text{
			FR: "Aucune demande n'est jamais dirigée vers cette activité.",
			EN: "No request is ever routed to this activity.",
		})
	}
	for i, t := range a.RoutedBy {
		switch {
		case (t.Relationship == "") == (t.Found == ""):
			c.errorf(a.ID, "routed_by", sentence("L'entrée n° %d doit indiquer soit relationship, soit found.",
				"Entry #%d must give either relationship or found.", i+1))
		case blank(t.Reason):
			c.errorf(a.ID, "routed_by", sentence("L'entrée n° %d n'a pas de raison à montrer à la personne.",
				"Entry #%d has no reason to show the person.", i+1))
		}
	}
}
