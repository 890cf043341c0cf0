// Package register owns VRACOOP's register of processing activities (GDPR
// Art. 30) and what the portal derives from it.
//
// The register is data: register.yaml, embedded in the binary (Default) and
// replaceable by a file named in configuration (LoadFile). It keeps the
// register's own French wording verbatim, mistakes included, next to the
// structure the program needs (roles, retention rules, routing). The
// package then
//   - checks the register and flags its inconsistencies rather than fixing
//     them (Check, WriteCheck): the register is VRACOOP's DPO's to correct;
//   - routes a request to the activities it concerns, as controller or as a
//     client shop's processor (Route);
//   - decides, per category of data, what may be erased and what must be
//     kept, and why (Retention);
//   - writes the information owed to people under Articles 13 to 15, in
//     French and English (PrivacyNotice, Article15).
package register

import "github.com/vracoop/dsar/internal/dsar"

// Register is VRACOOP's register of processing activities.
type Register struct {
	Organisation Organisation `json:"organisation" yaml:"organisation"`
	// Authority is the supervisory authority people may complain to.
	Authority Authority `json:"supervisory_authority" yaml:"supervisory_authority"`
	// Controllers are those VRACOOP processes data for, as processor.
	Controllers []Controller `json:"controllers" yaml:"controllers"`
	// Activities are in the register's order, which is the order of every
	// list the package returns.
	Activities []Activity `json:"activities" yaml:"activities"`
}

// Organisation is the organisation that keeps the register.
type Organisation struct {
	// Name is how the organisation's name is spelled: the check reports
	// every other spelling it finds in the register's texts.
	Name string `json:"name" yaml:"name"`
	// Responsible is the person the register names as responsible for the
	// organisation, the contact for people's requests.
	Responsible Person `json:"responsible" yaml:"responsible"`
}

// Person is someone the register names, with how to reach them.
type Person struct {
	LastName  string `json:"last_name" yaml:"last_name"`
	FirstName string `json:"first_name" yaml:"first_name"`
	Phone     string `json:"phone" yaml:"phone"`
	Email     string `json:"email" yaml:"email"`
}

// FullName returns the person's first name then last name.
func (p Person) FullName() string {
	switch {
	case p.FirstName == "":
		return p.LastName
	case p.LastName == "":
		return p.FirstName
	}
	return p.FirstName + " " + p.LastName
}

// Authority is a data-protection supervisory authority.
type Authority struct {
	Name    dsar.Text `json:"name" yaml:"name"`
	Website string    `json:"website" yaml:"website"`
	Address string    `json:"address" yaml:"address"`
}

// Controller is a controller VRACOOP works for as processor.
type Controller struct {
	ID string `json:"id" yaml:"id"` // "client_shop"
	// Name is a noun phrase that fits in a sentence: "la boutique qui
	// utilise le logiciel de VRACOOP".
	Name dsar.Text `json:"name" yaml:"name"`
}

// Activity is one sheet of the register: one processing activity.
type Activity struct {
	ID     string    `json:"id" yaml:"id"`         // a stable slug: "customers"
	Number int       `json:"number" yaml:"number"` // the register's number, from 1
	Name   dsar.Text `json:"name" yaml:"name"`
	// SheetTitle is the title of the activity's sheet when it says more
	// than Name, as "(en tant que sous-traitant)".
	SheetTitle dsar.Text `json:"sheet_title" yaml:"sheet_title"`
	Role       dsar.Role `json:"role" yaml:"role"`
	// Controller is, for a processor activity, the ID of the Controller
	// VRACOOP processes the data for; empty for a controller activity.
	Controller string `json:"controller,omitempty" yaml:"controller"`
	// Related are the other activities the sheet refers to.
	Related  []Link      `json:"related,omitempty" yaml:"related"`
	Software dsar.Text   `json:"software" yaml:"software"`
	Purposes []dsar.Text `json:"purposes" yaml:"purposes"` // paragraphs
	// People are the categories of people concerned.
	People []dsar.Text `json:"people" yaml:"people"`
	// PeopleWords are French words that name this activity's people
	// ("prospects"), matched against the French wording of People.
	// The check uses them to notice a sheet that speaks of another
	// activity's people.
	PeopleWords []string `json:"people_words" yaml:"people_words"`
	// Origin says where the data come from, for the information owed to
	// people; empty means from the person themself for a controller
	// activity, from the controller for a processor one.
	Origin        dsar.Text      `json:"origin" yaml:"origin"`
	Data          []DataCategory `json:"data" yaml:"data"`
	Sensitive     Sensitive      `json:"sensitive" yaml:"sensitive"`
	Retention     Retention      `json:"retention" yaml:"retention"`
	Recipients    Recipients     `json:"recipients" yaml:"recipients"`
	Transfers     Transfers      `json:"transfers" yaml:"transfers"`
	Security      []dsar.Text    `json:"security" yaml:"security"` // security measures
	ManualSystems []ManualSystem `json:"manual_systems,omitempty" yaml:"manual_systems"`
	// AutomatedDecisions reports whether the activity takes decisions based
	// solely on automated processing (Art. 22). The register names none.
	AutomatedDecisions bool      `json:"automated_decisions" yaml:"automated_decisions"`
	Created            dsar.Date `json:"created" yaml:"created"` // the sheet's creation
	Updated            dsar.Date `json:"updated" yaml:"updated"` // its last update
	// RoutedBy says which requests concern the activity.
	RoutedBy []Trigger `json:"routed_by" yaml:"routed_by"`
}

// Link is a reference from one activity's sheet to another activity.
type Link struct {
	Activity string    `json:"activity" yaml:"activity"` // the other activity's ID
	Wording  dsar.Text `json:"wording" yaml:"wording"`   // the sheet's sentence that makes it
}

// DataCategory is a category of personal data an activity processes.
type DataCategory struct {
	ID    string    `json:"id" yaml:"id"` // "identity", "bank"...
	Name  dsar.Text `json:"name" yaml:"name"`
	Items dsar.Text `json:"items" yaml:"items"` // what it holds: "nom, prénom, adresse"
	// Accounting marks data that accounting records hold (names on
	// invoices, bank details): under an accounting retention rule they are
	// kept for its whole period, the others only while the contract runs.
	Accounting bool `json:"accounting" yaml:"accounting"`
	// Wording is the register's line the category comes from.
	Wording dsar.Text `json:"wording" yaml:"wording"`
}

// Sensitive is the register's answer on special categories of data
// (Art. 9).
type Sensitive struct {
	Processed bool      `json:"processed" yaml:"processed"`
	Wording   dsar.Text `json:"wording" yaml:"wording"`
}

// Recipients are the categories of recipients of an activity's data.
type Recipients struct {
	Internal   []dsar.Text `json:"internal" yaml:"internal"`     // VRACOOP's own services
	External   []dsar.Text `json:"external" yaml:"external"`     // other bodies
	Processors []dsar.Text `json:"processors" yaml:"processors"` // VRACOOP's sub-processors
}

// Empty reports whether the register names no recipient at all.
func (r Recipients) Empty() bool {
	return len(r.Internal) == 0 && len(r.External) == 0 && len(r.Processors) == 0
}

// Transfers is the register's answer on transfers outside the European
// Union.
type Transfers struct {
	// OutsideEU is false when no data leave the EU, true when some do, and
	// nil when the register does not say.
	OutsideEU *bool     `json:"outside_eu" yaml:"outside_eu"`
	Wording   dsar.Text `json:"wording" yaml:"wording"`
}

// None reports whether the register says that no data leave the EU.
func (t Transfers) None() bool { return t.OutsideEU != nil && !*t.OutsideEU }

// ManualSystem is a system without an API that holds an activity's data:
// an agent must search it by hand.
type ManualSystem struct {
	ID           string    `json:"id" yaml:"id"`
	Name         dsar.Text `json:"name" yaml:"name"`
	Instructions dsar.Text `json:"instructions" yaml:"instructions"` // what the agent must do there
}

// Trigger leads a request to an activity: either what the person said on
// the form (Relationship) or what the Odoo lookup found (Found), never both.
type Trigger struct {
	Relationship dsar.Relationship `json:"relationship,omitempty" yaml:"relationship"`
	// Found is a role hint from the Odoo lookup: "customer", "prospect",
	// "supplier", "loyalty", "app_user".
	Found  string    `json:"found,omitempty" yaml:"found"`
	Reason dsar.Text `json:"reason" yaml:"reason"` // shown to staff and to the person
}

// Activity returns the activity with the given ID.
func (r *Register) Activity(id string) (Activity, bool) {
	for _, a := range r.Activities {
		if a.ID == id {
			return a, true
		}
	}
	return Activity{}, false
}

// controller returns the controller with the given ID.
func (r *Register) controller(id string) (Controller, bool) {
	for _, c := range r.Controllers {
		if c.ID == id {
			return c, true
		}
	}
	return Controller{}, false
}
