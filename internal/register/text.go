package register

import (
	"fmt"
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// This file holds the helpers that write the package's sentences in both
// languages.

// sentence formats a Text, each language with its own format; Text
// arguments are taken in the same language.
func sentence(fr, en string, args ...any) dsar.Text {
	in := func(lang string) []any {
		out := make([]any, len(args))
		for i, a := range args {
			if t, ok := a.(dsar.Text); ok {
				a = t.In(lang)
			}
			out[i] = a
		}
		return out
	}
	return dsar.Text{FR: fmt.Sprintf(fr, in("fr")...), EN: fmt.Sprintf(en, in("en")...)}
}

// join puts sentences one after the other.
func join(ts ...dsar.Text) dsar.Text {
	var fr, en []string
	for _, t := range ts {
		fr = append(fr, t.FR)
		en = append(en, t.EN)
	}
	return dsar.Text{FR: strings.Join(fr, " "), EN: strings.Join(en, " ")}
}

// dateText writes a date as each language does: 21/05/2018, 2018-05-21.
func dateText(d dsar.Date) dsar.Text {
	return dsar.Text{FR: fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year), EN: d.String()}
}

// tr returns en when lang is "en", else fr, as dsar.Text.In does.
func tr(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}

// blank reports whether t has no French, the language every text must have.
func blank(t dsar.Text) bool { return strings.TrimSpace(t.FR) == "" }

// allBlank reports whether every text of ts is blank.
func allBlank(ts []dsar.Text) bool {
	for _, t := range ts {
		if !blank(t) {
			return false
		}
	}
	return true
}

// texts returns the non-empty texts of ts in lang.
func texts(lang string, ts []dsar.Text) []string {
	var out []string
	for _, t := range ts {
		if s := t.In(lang); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// nonEmpty returns the non-empty strings among ss.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// joinList joins the entries of a list that may hold commas: with
// semicolons, spaced the French way in French.
func joinList(lang string, values []string) string {
	return strings.Join(values, tr(lang, " ; ", "; "))
}
