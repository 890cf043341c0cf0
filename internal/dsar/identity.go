package dsar

import "strings"

// NormalizeEmail returns the form in which two spellings of one address
// compare equal: surrounding spaces removed and lower case. (The local part
// is case-sensitive in theory; no real mailbox relies on it, and Odoo's own
// email_normalized lower-cases it too.)
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// NormalizePhone returns a phone number in international form (+33612345678)
// so that "06 12 34 56 78", "0612345678", "+33 6 12 34 56 78",
// "+33 (0)6 12 34 56 78" and "0033 6 12 34 56 78" compare equal. National
// numbers are taken as French. It returns "" for something that is not a
// number.
func NormalizePhone(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "(0)", "")
	var digits strings.Builder
	plus := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		}
	}
	d := digits.String()
	switch {
	case plus:
	case strings.HasPrefix(d, "00"):
		d = d[2:]
	case strings.HasPrefix(d, "0") && len(d) == 10:
		d = "33" + d[1:]
	}
	if len(d) < 6 {
		return ""
	}
	return "+" + d
}

// PhoneSearchPattern returns an ilike pattern that finds a number however it
// was typed into a system: the last nine digits with a wildcard between each,
// so that separators and prefixes do not matter ("6%1%2%3%4%5%6%7%8"). It
// over-matches on purpose; compare the records found with NormalizePhone.
func PhoneSearchPattern(s string) string {
	n := NormalizePhone(s)
	if n == "" {
		return ""
	}
	d := n[1:]
	if len(d) > 9 {
		d = d[len(d)-9:]
	}
	return strings.Join(strings.Split(d, ""), "%")
}
