// Package i18n holds the words dsar says to people, in French first and
// English second, and chooses a person's language.
package i18n

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"

	"github.com/vracoop/dsar/internal/dsar"
)

// Lang is a language the portal speaks.
type Lang string

// The languages of the portal. French comes first: it is the default.
const (
	FR Lang = "fr"
	EN Lang = "en"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{FR, EN}

var matcher = language.NewMatcher([]language.Tag{language.French, language.English})

// Parse returns the supported language named by s ("fr", "en"), and false
// for anything else.
func Parse(s string) (Lang, bool) {
	switch Lang(strings.ToLower(strings.TrimSpace(s))) {
	case FR:
		return FR, true
	case EN:
		return EN, true
	}
	return FR, false
}

// FromAcceptLanguage picks the language from a browser's Accept-Language
// header, French when it names neither.
func FromAcceptLanguage(header string) Lang {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return FR
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return FR
	}
	return Langs[idx]
}

// T returns the message for key in lang, formatted with args. A key missing
// from the catalog is a programming error caught by the catalog test; at run
// time it falls back to French, then to the key itself.
func T(lang Lang, key string, args ...any) string {
	m, ok := catalog[key]
	if !ok {
		return key
	}
	s := m.en
	if lang != EN || s == "" {
		s = m.fr
	}
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	if lang != EN {
		s = frenchSpaces.Replace(s)
	}
	return s
}

// frenchSpaces applies French typography: the space before a colon is
// non-breaking, and before ; ! ? and inside « » a narrow non-breaking one,
// so that a line never starts with a lone punctuation mark.
var frenchSpaces = strings.NewReplacer(
	" :", "\u00a0:", " ;", "\u202f;", " !", "\u202f!", " ?", "\u202f?",
	"« ", "«\u202f", " »", "\u202f»",
)

// Has reports whether key is in the catalog.
func Has(key string) bool {
	_, ok := catalog[key]
	return ok
}

var (
	monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	daysFR   = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
)

// FormatDate writes a date as people read it: "lundi 4 mai 2026" or
// "Monday 4 May 2026".
func FormatDate(lang Lang, d dsar.Date) string {
	if d.IsZero() {
		return ""
	}
	if lang == EN {
		return fmt.Sprintf("%s %d %s %d", d.Weekday(), d.Day, d.Month, d.Year)
	}
	day := fmt.Sprint(d.Day)
	if d.Day == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %s %d", daysFR[d.Weekday()], day, monthsFR[d.Month-1], d.Year)
}

// Funcs returns the template functions every template uses: t, to
// translate a key into the view's language.
func Funcs() map[string]any {
	return map[string]any{"t": T}
}
