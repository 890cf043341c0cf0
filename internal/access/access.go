// Package access builds the answer to a right of access (GDPR Art. 15)
// and to a right to data portability (Art. 20): a ZIP package holding a
// readable report that begins with the Article 15 information, the same
// data as a documented JSON structure, one CSV per kind of record, and a
// short note explaining the files.
//
// It owns which records of an Odoo lookup may be disclosed (Select: only
// those matched by a verified identifier, or confirmed one by one by
// staff) and the format of the package (Write, DocumentJSON). It does not
// read the database, Odoo or the register: the caller passes the request,
// the lookup, the notice and what the portal holds in an Input.
package access

import (
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/register"
)

// Input is what a package is built from.
type Input struct {
	// Request is the request answered: its Lang ("fr" or "en") chooses
	// the language of the package, its Ref, Name and Email head it.
	Request dsar.Request
	// Lookup holds the records found in the Odoo instances.
	Lookup dsar.Lookup
	// Notice is the Article 15 information for the activities the request
	// concerns, in the person's language (register.Article15).
	Notice register.Notice
	// Portal is what the portal itself holds about the person: the
	// request's own fields, its history.
	Portal []Section
	// Confirmed holds the keys "instance/model/id" (see Key) of records
	// that staff confirmed one by one although they were not matched by a
	// verified identifier, typically found by phone or name only.
	Confirmed map[string]bool
	// VerifiedEmails and VerifiedPhones are the identifiers known to be
	// the person's: the confirmed email address always, a phone number
	// only when staff verified it.
	VerifiedEmails, VerifiedPhones []string
	// Now is when the package is made: its date, and the time stamp of
	// its files.
	Now time.Time
}

// Section is a part of what the portal holds about the person, shown as
// a table of labels and values. Labels are in the person's language.
type Section struct {
	Title string `json:"title"`
	Rows  []Row  `json:"rows"`
}

// Row is one label and its value in a Section.
type Row struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Summary says what Write put in a package.
type Summary struct {
	Files    []string // the ZIP's entries, in the order written
	Records  int      // the Odoo records disclosed
	Excluded int      // the records of the lookup left out (see Select)
}
