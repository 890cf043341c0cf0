package register

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vracoop/dsar/internal/dsar"
)

// This file holds the checks of the register's wording: they read the texts
// the register's authors wrote and report, as warnings, what contradicts
// the rest of the register.

// transfers reports an answer on transfers outside the EU that is not one.
func (c *checker) transfers(a Activity) {
	t := a.Transfers
	if !blank(t.Wording) {
		if other, ok := c.retentionWordingOf(t.Wording); ok {
			c.warnf(a.ID, "transfers", sentence(
				"La réponse sur les transferts hors UE reprend mot pour mot la durée de conservation de l'activité %d (%s) au lieu de dire si des données quittent l'Union européenne : « %s »",
				"The answer on transfers outside the EU repeats word for word the retention period of activity %d (%s) instead of saying whether data leave the European Union: “%s”",
				other.Number, other.Name, t.Wording))
			return
		}
		if speaksOfRetention(t.Wording) {
			c.warnf(a.ID, "transfers", sentence(
				"La réponse sur les transferts hors UE parle de conservation au lieu de dire si des données quittent l'Union européenne : « %s »",
				"The answer on transfers outside the EU speaks of retention instead of saying whether data leave the European Union: “%s”",
				t.Wording))
			return
		}
	}
	if t.OutsideEU == nil {
		c.warnf(a.ID, "transfers", dsar.Text{
			FR: "Le registre ne dit pas si des données quittent l'Union européenne (outside_eu).",
			EN: "The register does not say whether data leave the European Union (outside_eu).",
		})
	}
}

// retentionWordingOf returns the activity whose retention sentence is t.
func (c *checker) retentionWordingOf(t dsar.Text) (Activity, bool) {
	for _, a := range c.r.Activities {
		if !blank(a.Retention.Wording) && normalize(a.Retention.Wording.FR) == normalize(t.FR) {
			return a, true
		}
	}
	return Activity{}, false
}

// retentionWords are the words, in either language, of a sentence about
// how long data are kept; unitWords, after a number, make a duration.
var (
	retentionWords = []string{"conserv", "durée", "retention", "retain", "kept", "duration"}
	unitWords      = []string{"an", "ans", "mois", "year", "years", "month", "months"}
)

// speaksOfRetention reports whether t speaks of keeping data or of a
// duration ("conservées", "10 ans").
func speaksOfRetention(t dsar.Text) bool {
	for _, s := range []string{t.FR, t.EN} {
		ws := words(s)
		for i, w := range ws {
			for _, r := range retentionWords {
				if strings.HasPrefix(w, r) {
					return true
				}
			}
			if i+1 < len(ws) && isNumber(w) && slices.Contains(unitWords, ws[i+1]) {
				return true
			}
		}
	}
	return false
}

// people reports categories of people that name another activity's people
// and none of this one's, or that describe data instead of people.
func (c *checker) people(a Activity) {
	var text []string
	for _, p := range a.People {
		text = append(text, p.FR)
	}
	ws := words(strings.Join(text, " "))
	if len(ws) == 0 {
		return
	}
	if !containsAny(ws, a.PeopleWords) {
		for _, b := range c.r.Activities {
			if b.ID == a.ID {
				continue
			}
			for _, w := range b.PeopleWords {
				if slices.Contains(ws, strings.ToLower(w)) {
					c.warnf(a.ID, "people", sentence(
						"Les catégories de personnes parlent de « %s », personnes de l'activité %d (%s), et d'aucune personne propre à cette activité : « %s »",
						"The categories of people speak of “%s”, the people of activity %d (%s), and of none of this activity's own people: “%s”",
						w, b.Number, b.Name, strings.Join(text, " ")))
					break
				}
			}
		}
	}
	if slices.Contains(ws, "données") {
		c.warnf(a.ID, "people", sentence(
			"Les catégories de personnes décrivent des données au lieu de personnes : « %s »",
			"The categories of people describe data instead of people: “%s”",
			strings.Join(text, " ")))
	}
}

// nameVariants reports each spelling of the organisation's name that is
// close to it but not it (VRACOOOP, VRACCOOP for VRACOOP), with the fields
// it occurs in: one finding per variant and activity. Differences of case
// alone are not reported: addresses write the name in lower case.
func (c *checker) nameVariants() {
	re := variantPattern(c.r.Organisation.Name)
	if re == nil {
		return
	}
	scan := func(activity string, fields []fieldText) {
		var order []string
		where := map[string][]string{}
		for _, f := range fields {
			for _, s := range []string{f.text.FR, f.text.EN} {
				for _, m := range findWords(re, s) {
					if strings.EqualFold(m, c.r.Organisation.Name) {
						continue
					}
					if _, ok := where[m]; !ok {
						order = append(order, m)
					}
					if !slices.Contains(where[m], f.field) {
						where[m] = append(where[m], f.field)
					}
				}
			}
		}
		for _, v := range order {
			c.warnf(activity, strings.Join(where[v], ", "), sentence(
				"Le nom de l'organisme est écrit « %s » au lieu de « %s ».",
				"The organisation's name is written “%s” instead of “%s”.",
				v, c.r.Organisation.Name))
		}
	}
	scan("", c.r.texts())
	for _, a := range c.r.Activities {
		scan(a.ID, a.texts())
	}
}

// variantPattern returns a case-insensitive pattern matching name with any
// of its letters repeated, or a run of one letter shortened: VRACOOP gives
// V+R+A+C+O+P+, which matches VRACOOOP, VRACCOOP and VRACOP.
func variantPattern(name string) *regexp.Regexp {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	var b strings.Builder
	b.WriteString(`(?i)`)
	var last rune
	for i, r := range name {
		if i > 0 && unicode.ToLower(r) == unicode.ToLower(last) {
			continue
		}
		b.WriteString(regexp.QuoteMeta(string(r)) + "+")
		last = r
	}
	return regexp.MustCompile(b.String())
}

// findWords returns the whole-word matches of re in s: a match with a
// letter or a digit right before or after it is part of another word.
func findWords(re *regexp.Regexp, s string) []string {
	var out []string
	for _, loc := range re.FindAllStringIndex(s, -1) {
		before, _ := utf8.DecodeLastRuneInString(s[:loc[0]])
		after, _ := utf8.DecodeRuneInString(s[loc[1]:])
		if isWordRune(before) || isWordRune(after) {
			continue
		}
		out = append(out, s[loc[0]:loc[1]])
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// fieldText is one text of the register and the key it is under.
type fieldText struct {
	field string
	text  dsar.Text
}

// texts returns the register's texts outside its activities.
func (r *Register) texts() []fieldText {
	out := []fieldText{{"supervisory_authority", r.Authority.Name}}
	for _, c := range r.Controllers {
		out = append(out, fieldText{"controllers", c.Name})
	}
	return out
}

// texts returns every text of the activity, under its key, in the order
// of register.yaml.
func (a Activity) texts() []fieldText {
	var out []fieldText
	add := func(field string, ts ...dsar.Text) {
		for _, t := range ts {
			out = append(out, fieldText{field, t})
		}
	}
	add("name", a.Name)
	add("sheet_title", a.SheetTitle)
	for _, l := range a.Related {
		add("related", l.Wording)
	}
	add("software", a.Software)
	add("purposes", a.Purposes...)
	add("people", a.People...)
	add("origin", a.Origin)
	for _, d := range a.Data {
		add("data", d.Name, d.Items, d.Wording)
	}
	add("sensitive", a.Sensitive.Wording)
	add("retention", a.Retention.Ground, a.Retention.Wording)
	add("recipients.internal", a.Recipients.Internal...)
	add("recipients.external", a.Recipients.External...)
	add("recipients.processors", a.Recipients.Processors...)
	add("transfers", a.Transfers.Wording)
	add("security", a.Security...)
	for _, m := range a.ManualSystems {
		add("manual_systems", m.Name, m.Instructions)
	}
	for _, t := range a.RoutedBy {
		add("routed_by", t.Reason)
	}
	return out
}

// words returns the words of s in lower case, split at anything that is
// not a letter or a digit: "l'ensemble" gives "l", "ensemble".
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !isWordRune(r)
	})
}

func isNumber(w string) bool {
	return w != "" && strings.Trim(w, "0123456789") == ""
}

func containsAny(ws, want []string) bool {
	for _, w := range want {
		if slices.Contains(ws, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// normalize makes two sentences comparable: lower case, single spaces, no
// final punctuation.
func normalize(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	return strings.TrimRight(s, " .;!")
}
