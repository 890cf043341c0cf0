// Package dsar is the domain of the data-subject rights portal: requests,
// the rights they exercise, their statuses and transitions, the legal
// deadlines that govern them, and the errors the rest of the program speaks.
//
// It imports nothing but the standard library. Storage, mail, Odoo and the
// web are adapters around it.
package dsar
