package dsar

import (
	"crypto/rand"
	"strings"
)

// A request's public reference is given when the request is stored, in
// the order requests are stored; its confirmation mail is rendered before
// that, with a stand-in where the reference goes, and the stand-in is
// replaced once the reference is known. Rendering, the costly part, then
// runs in parallel for concurrent submissions, and numbering stays the
// short serial step it must be. A renderer must therefore write the
// reference as given (the mail tests check that the result is the same as
// rendering with the reference itself).

// RefStandIn returns a stand-in for a reference not yet given: letters and
// digits that no mail contains by chance and that no escaping changes.
func RefStandIn() string {
	return "DSAR-REF-" + rand.Text()
}

// WithRef returns m with every stand-in replaced by ref.
func (m Mail) WithRef(standIn, ref string) Mail {
	m.Subject = strings.ReplaceAll(m.Subject, standIn, ref)
	m.Text = strings.ReplaceAll(m.Text, standIn, ref)
	m.HTML = strings.ReplaceAll(m.HTML, standIn, ref)
	return m
}
