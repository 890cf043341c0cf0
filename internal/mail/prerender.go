package mail

import (
	"crypto/rand"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// The confirmation mail is the one mail rendered while a person waits for
// the form's answer, once per submission. Executing its two templates took
// a fifth of the service's CPU under load, so it is rendered once per
// language at start, with markers where the request's values go, and each
// mail is put together from those pieces. A value the templates would
// change on the way in (escaping, French spacing) is not put in a hole:
// such a mail is rendered in full, as before. FuzzConfirmationPrerendered
// checks that both ways give the same bytes.

// Holes of the prerendered confirmation, in the order of their values.
const (
	holeName = iota
	holeRef
	holeKinds
	holeToken
	holeExpires
	holeCount
)

// piece is a run of literal text followed by a hole, or by none (-1).
type piece struct {
	lit  string
	hole int
}

// pieces is one part of a prerendered mail.
type pieces []piece

// fill writes p with vals in its holes.
func (p pieces) fill(vals *[holeCount]string) string {
	n := 0
	for _, x := range p {
		n += len(x.lit)
		if x.hole >= 0 {
			n += len(vals[x.hole])
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, x := range p {
		b.WriteString(x.lit)
		if x.hole >= 0 {
			b.WriteString(vals[x.hole])
		}
	}
	return b.String()
}

// prerendered is a mail rendered with markers in its holes.
type prerendered struct {
	subject, text, html pieces
}

// prerender renders the confirmation in lang with markers for its values.
func (c *Composer) prerender(lang i18n.Lang) (prerendered, error) {
	var markers [holeCount]string
	// Random, so that no template text can look like one; lower-case
	// letters and digits, which no escaper changes.
	stem := strings.ToLower(rand.Text())
	for i := range markers {
		markers[i] = fmt.Sprintf("x%shole%cx", stem, 'a'+i)
	}
	m, err := c.renderConfirmation(dsar.Request{Lang: string(lang), Channel: dsar.ChannelWeb}, &markers)
	if err != nil {
		return prerendered{}, err
	}
	p := prerendered{subject: split(m.Subject, markers), text: split(m.Text, markers), html: split(m.HTML, markers)}
	for _, part := range []pieces{p.subject, p.text, p.html} {
		for _, x := range part {
			if strings.Contains(x.lit, stem) {
				// A template changed a marker on its way out: the value
				// would not go where the marker was.
				return prerendered{}, fmt.Errorf("prerender confirm (%s): a marker was altered: %q", lang, x.lit)
			}
		}
	}
	return p, nil
}

// split cuts s at each marker.
func split(s string, markers [holeCount]string) pieces {
	var p pieces
	for {
		at, hole := -1, -1
		for i, m := range markers {
			if j := strings.Index(s, m); j >= 0 && (at < 0 || j < at) {
				at, hole = j, i
			}
		}
		if at < 0 {
			return append(p, piece{lit: s, hole: -1})
		}
		p = append(p, piece{lit: s[:at], hole: hole})
		s = s[at+len(markers[hole]):]
	}
}

// confirmationValues returns what fills the confirmation's holes, and false
// when one of them would not come out of the templates unchanged.
func confirmationValues(r dsar.Request, tok dsar.Token, lang i18n.Lang) (vals [holeCount]string, ok bool) {
	vals[holeName], vals[holeRef] = r.Name, r.Ref
	vals[holeKinds] = KindList(lang, r.Kinds)
	vals[holeToken] = tok.Plain
	vals[holeExpires] = i18n.FormatDate(lang, dsar.DateOf(tok.ExpiresAt)) + " " + clock(lang, tok.ExpiresAt)
	if !urlSafe(tok.Plain) {
		return vals, false
	}
	for i, v := range vals {
		if i != holeToken && !textSafe(v, lang) {
			return vals, false
		}
	}
	return vals, true
}

// textSafe tells whether s comes out of the mail templates as it went in:
// html/template escapes " & ' + < > and NUL in text, French typography
// changes spaces around : ; ! ? « » (i18n.T), and an empty or blank-edged
// value could meet the text around it.
func textSafe(s string, lang i18n.Lang) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if unicode.IsSpace(first) || unicode.IsSpace(last) {
		return false
	}
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			return false
		case strings.ContainsRune(`"&'+<>`, r):
			return false
		case lang != i18n.EN && strings.ContainsRune(":;!?«»", r):
			return false
		}
	}
	return true
}

// urlSafe tells whether s is made of the characters of a token (base64url),
// which a URL, an attribute and text all take as they are.
func urlSafe(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_') {
			return false
		}
	}
	return true
}
