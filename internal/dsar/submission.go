package dsar

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a person may type, in characters.
const (
	MaxNameLen    = 200
	MaxEmailLen   = 254
	MaxPhoneLen   = 30
	MaxShopLen    = 200
	MaxRectifyLen = 2000
	MaxDetailsLen = 5000
)

// Submission is what a person gives on the public form, before it becomes a
// request.
type Submission struct {
	Name           string
	Email          string
	Phone          string
	Relationship   Relationship
	ShopID         int64 // a listed shop the person picked; 0: not listed (ShopName and ShopTown say which)
	ShopName       string
	ShopTown       string
	Kinds          []Kind
	RectifyWrong   string // what is wrong (rectification only)
	RectifyCorrect string // what it should be (rectification only)
	Details        string
	Lang           string
}

// Problem says, in a language-neutral code, what is wrong with a field. The
// web layer turns it into a sentence in the person's language.
type Problem string

// The problems a field can have.
const (
	ProblemRequired Problem = "required"
	ProblemTooLong  Problem = "too_long"
	ProblemEmail    Problem = "email"
	ProblemPhone    Problem = "phone"
	ProblemChoice   Problem = "choice"  // not one of the offered choices
	ProblemControl  Problem = "control" // control characters
)

// Problems maps a form field name to what is wrong with it. Empty means valid.
type Problems map[string]Problem

// Normalize trims surrounding spaces and lower-cases the email's domain so
// that what is stored is what was meant.
func (s *Submission) Normalize() {
	s.Name = strings.TrimSpace(s.Name)
	s.Email = strings.TrimSpace(s.Email)
	s.Phone = strings.TrimSpace(s.Phone)
	s.ShopName = strings.TrimSpace(s.ShopName)
	s.ShopTown = strings.TrimSpace(s.ShopTown)
	s.RectifyWrong = strings.TrimSpace(s.RectifyWrong)
	s.RectifyCorrect = strings.TrimSpace(s.RectifyCorrect)
	s.Details = strings.TrimSpace(s.Details)
	if at := strings.LastIndexByte(s.Email, '@'); at > 0 {
		s.Email = s.Email[:at] + strings.ToLower(s.Email[at:])
	}
	if !s.Relationship.ConcernsShop() {
		s.ShopName, s.ShopTown, s.ShopID = "", "", 0
	}
	if !HasKind(s.Kinds, KindRectification) {
		s.RectifyWrong, s.RectifyCorrect = "", ""
	}
}

// Validate checks every field and returns what is wrong, field by field.
func (s Submission) Validate() Problems {
	p := Problems{}
	p.line("name", s.Name, true, MaxNameLen)
	if p.line("email", s.Email, true, MaxEmailLen) && !ValidEmail(s.Email) {
		p["email"] = ProblemEmail
	}
	if p.line("phone", s.Phone, false, MaxPhoneLen) && s.Phone != "" && !ValidPhone(s.Phone) {
		p["phone"] = ProblemPhone
	}
	switch {
	case s.Relationship == "":
		p["relationship"] = ProblemRequired
	case !s.Relationship.Valid():
		p["relationship"] = ProblemChoice
	}
	// A loyalty customer names the shop: picked from the list, or typed.
	needShop := s.Relationship == RelLoyalty && s.ShopID == 0
	p.line("shop_name", s.ShopName, needShop, MaxShopLen)
	p.line("shop_town", s.ShopTown, needShop, MaxShopLen)
	p.kinds(s.Kinds)
	rectify := HasKind(s.Kinds, KindRectification)
	p.text("rectify_wrong", s.RectifyWrong, rectify, MaxRectifyLen)
	p.text("rectify_correct", s.RectifyCorrect, rectify, MaxRectifyLen)
	p.text("details", s.Details, false, MaxDetailsLen)
	return p
}

func (p Problems) kinds(kinds []Kind) {
	if len(kinds) == 0 {
		p["kinds"] = ProblemRequired
		return
	}
	seen := map[Kind]bool{}
	for _, k := range kinds {
		if !k.Valid() || seen[k] {
			p["kinds"] = ProblemChoice
			return
		}
		seen[k] = true
	}
}

// line checks a one-line field and reports whether it passed.
func (p Problems) line(field, v string, required bool, max int) bool {
	if strings.ContainsAny(v, "\r\n") {
		p[field] = ProblemControl
		return false
	}
	return p.text(field, v, required, max)
}

// text checks a multi-line field and reports whether it passed.
func (p Problems) text(field, v string, required bool, max int) bool {
	switch {
	case v == "" && required:
		p[field] = ProblemRequired
	case utf8.RuneCountInString(v) > max:
		p[field] = ProblemTooLong
	case !utf8.ValidString(v) || hasControl(v):
		p[field] = ProblemControl
	default:
		return true
	}
	return false
}

// hasControl reports whether v holds a control character other than line
// breaks and tabs, or a bidirectional embedding, override or isolate
// (U+202A-U+202E, U+2066-U+2069), with which a name shown to staff or put
// in a mail could display in another order than it reads (a right-to-left
// name needs none of them; the marks U+200E and U+200F stay allowed).
func hasControl(v string) bool {
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return true
		}
		if r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
			return true
		}
	}
	return false
}

// ValidEmail reports whether v is a bare email address (no display name)
// whose domain has at least one dot, as real mailboxes do.
func ValidEmail(v string) bool {
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(v, '@')
	domain := v[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// ValidPhone reports whether v looks like a telephone number: digits with
// the usual separators, an optional leading +, and 6 to 15 digits.
func ValidPhone(v string) bool {
	digits := 0
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '/':
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15 && NormalizePhone(v) != ""
}
