package access

import (
	"net/mail"
	"strconv"
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// Key returns the key by which staff confirm a finding: "instance/model/id".
func Key(f dsar.Finding) string {
	return f.Instance + "/" + f.Model + "/" + strconv.Itoa(f.RecordID)
}

// Select splits the findings of the lookup into those that go into the
// package and those left out, each in the lookup's order. Staff see the
// excluded ones and may confirm them one by one (Input.Confirmed).
//
// A record is included when it was matched by a verified identifier:
//   - by email, when the address that matched is one of VerifiedEmails;
//   - by phone, when the number that matched is one of VerifiedPhones;
//   - by its link to another record (MatchPartner), when the record it
//     hangs on (Finding.Via, in the same instance) is itself included,
//     however long the chain of links;
//   - by name only, never.
//
// One link does not count: a contact found as a child of the company it
// hangs on (its parent_id is that company) is another person, a colleague,
// or an address of the company; neither it nor what hangs on it is
// disclosed (Art. 15(4): a copy must not harm others). The person's own
// company, found as the parent of their contact, is.
//
// Whatever its match, a record whose Key is in Confirmed is included.
//
// A finding does not say which identifier matched it, so Select reads it
// from the record's own identifier fields (those whose name holds "email"
// or is "login"; those whose name holds "phone" or "mobile"): a value that
// is a verified identifier includes the record, one that is only an
// identifier searched (Lookup.Emails, Lookup.Phones) excludes it. When the
// fields show neither, the record is included only if every identifier
// searched of its kind is verified, and at least one is.
func Select(in Input) (included, excluded []dsar.Finding) {
	keep := selection(in)
	for i, f := range in.Lookup.Findings {
		if keep[i] {
			included = append(included, f)
		} else {
			excluded = append(excluded, f)
		}
	}
	return included, excluded
}

// recordRef names a record of one instance without building a string.
type recordRef struct {
	instance, model string
	id              int
}

func refOf(f *dsar.Finding) recordRef {
	return recordRef{f.Instance, f.Model, f.RecordID}
}

// viaRef returns the record a MatchPartner finding hangs on, parsed from
// "model/id", and false when Via is not of that form.
func viaRef(f *dsar.Finding) (recordRef, bool) {
	model, id, ok := strings.Cut(f.Via, "/")
	if !ok || model == "" || strings.Contains(id, "/") {
		return recordRef{}, false
	}
	n, err := strconv.Atoi(id)
	if err != nil {
		return recordRef{}, false
	}
	return recordRef{f.Instance, model, n}, true
}

// selection returns, for each finding of the lookup, whether it goes into
// the package. It holds one bool per finding and an index of only the
// records that others hang on, so that a large lookup costs little more.
func selection(in Input) []bool {
	fs := in.Lookup.Findings
	v := newVerifier(in)
	state := make([]verdict, len(fs))
	targets := linkTargets(fs)
	keep := make([]bool, len(fs))
	var path []int
	for i := range fs {
		// Follow the chain of links from i until a record whose verdict
		// is known or can be decided on its own; every record on the path
		// then shares that verdict.
		path = path[:0]
		j, result := i, false
		for {
			if state[j] == included || state[j] == excluded {
				result = state[j] == included
				break
			}
			if state[j] == visiting { // a loop of links anchors nothing
				break
			}
			if fs[j].Match != dsar.MatchPartner || v.confirmed(&fs[j]) || childContact(&fs[j]) {
				result = v.direct(&fs[j])
				break
			}
			state[j] = visiting
			path = append(path, j)
			ref, ok := viaRef(&fs[j])
			next, found := targets[ref]
			if !ok || !found || next < 0 {
				break
			}
			j = next
		}
		final := excluded
		if result {
			final = included
		}
		state[j] = resolved(state[j], final)
		for _, k := range path {
			state[k] = final
		}
		keep[i] = state[i] == included
	}
	return keep
}

// linkTargets indexes the records that MatchPartner findings hang on: a
// record's index, or -1 when the lookup does not hold it.
func linkTargets(fs []dsar.Finding) map[recordRef]int {
	targets := map[recordRef]int{}
	for i := range fs {
		if fs[i].Match == dsar.MatchPartner {
			if ref, ok := viaRef(&fs[i]); ok {
				targets[ref] = -1
			}
		}
	}
	for i := range fs {
		if _, ok := targets[refOf(&fs[i])]; ok {
			targets[refOf(&fs[i])] = i
		}
	}
	return targets
}

// childContact reports whether a partner was found through the company
// it belongs to: its parent_id is the partner it hangs on.
func childContact(f *dsar.Finding) bool {
	if f.Model != "res.partner" {
		return false
	}
	ref, ok := viaRef(f)
	return ok && ref.model == "res.partner" && f.Fields["parent_id.id"] == strconv.Itoa(ref.id)
}

// verdict is what selection knows of a finding.
type verdict uint8

const (
	unknown  verdict = iota
	visiting         // on the chain being followed
	included
	excluded
)

// resolved keeps a known verdict and otherwise takes the new one.
func resolved(old, v verdict) verdict {
	if old == included || old == excluded {
		return old
	}
	return v
}

// verifier decides on findings that do not hang on another.
type verifier struct {
	confirmedKeys                        map[string]bool
	verifiedEmails, searchedEmails       map[string]bool
	verifiedPhones, searchedPhones       map[string]bool
	allEmailsVerified, allPhonesVerified bool
}

func newVerifier(in Input) *verifier {
	v := &verifier{
		confirmedKeys:  in.Confirmed,
		verifiedEmails: normalizedSet(in.VerifiedEmails, normalizeEmail),
		searchedEmails: normalizedSet(in.Lookup.Emails, normalizeEmail),
		verifiedPhones: normalizedSet(in.VerifiedPhones, dsar.NormalizePhone),
		searchedPhones: normalizedSet(in.Lookup.Phones, dsar.NormalizePhone),
	}
	v.allEmailsVerified = covers(v.verifiedEmails, v.searchedEmails)
	v.allPhonesVerified = covers(v.verifiedPhones, v.searchedPhones)
	return v
}

// covers reports whether verified is not empty and holds every searched
// identifier.
func covers(verified, searched map[string]bool) bool {
	if len(verified) == 0 {
		return false
	}
	for s := range searched {
		if !verified[s] {
			return false
		}
	}
	return true
}

func (v *verifier) confirmed(f *dsar.Finding) bool {
	return len(v.confirmedKeys) > 0 && v.confirmedKeys[Key(*f)]
}

// direct decides on a finding from its own match.
func (v *verifier) direct(f *dsar.Finding) bool {
	if v.confirmed(f) {
		return true
	}
	switch f.Match {
	case dsar.MatchEmail:
		return identified(f, isEmailField, normalizeEmail, v.verifiedEmails, v.searchedEmails, v.allEmailsVerified)
	case dsar.MatchPhone:
		return identified(f, isPhoneField, dsar.NormalizePhone, v.verifiedPhones, v.searchedPhones, v.allPhonesVerified)
	}
	return false
}

// identified reports whether the record was matched by a verified
// identifier, reading its identifier fields; fallback decides when they
// do not tell.
func identified(f *dsar.Finding, isField func(string) bool, normalize func(string) string,
	verified, searched map[string]bool, fallback bool) bool {
	unverified := false
	for name, value := range f.Fields {
		if !isField(name) {
			continue
		}
		n := normalize(value)
		switch {
		case n == "":
		case verified[n]:
			return true
		case searched[n]:
			unverified = true
		}
	}
	return !unverified && fallback
}

// isEmailField tells the fields that hold an email address: email,
// email_from, email_normalized, login...
func isEmailField(name string) bool {
	return !strings.HasSuffix(name, ".id") && (strings.Contains(name, "email") || name == "login")
}

// isPhoneField tells the fields that hold a phone number: phone, mobile,
// partner_phone...
func isPhoneField(name string) bool {
	return !strings.HasSuffix(name, ".id") && (strings.Contains(name, "phone") || strings.Contains(name, "mobile"))
}

// normalizeEmail reads an address that may carry a name, "Camille
// <camille@example.fr>", as Odoo's email fields sometimes do.
func normalizeEmail(s string) string {
	if strings.Contains(s, "<") {
		if a, err := mail.ParseAddress(s); err == nil {
			s = a.Address
		}
	}
	return dsar.NormalizeEmail(s)
}

func normalizedSet(values []string, normalize func(string) string) map[string]bool {
	out := make(map[string]bool, len(values))
	for _, s := range values {
		if n := normalize(s); n != "" {
			out[n] = true
		}
	}
	return out
}
