package access

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
)

// csvFixedColumns come first in every CSV file, before the record's fields
// in alphabetical order.
var csvFixedColumns = []string{"id", "display_name"}

// csvHeader returns the columns of a model's CSV file: the fixed ones,
// then the union of its records' disclosed fields, sorted.
func csvHeader(g *modelGroup) []string {
	seen := map[string]bool{}
	for _, c := range csvFixedColumns {
		seen[c] = true
	}
	var fields []string
	for f := range g.records() {
		for name := range f.Fields {
			if !seen[name] && !internalField(name) {
				seen[name] = true
				fields = append(fields, name)
			}
		}
	}
	slices.Sort(fields)
	return append(slices.Clone(csvFixedColumns), fields...)
}

// writeCSV writes one model's records as CSV (RFC 4180: UTF-8, comma
// separated, lines ended by CRLF), one row per record.
func writeCSV(w io.Writer, g *modelGroup) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := csvHeader(g)
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(header))
	for f := range g.records() {
		row[0] = strconv.Itoa(f.RecordID)
		row[1] = guardFormula(f.DisplayName)
		for i, name := range header[len(csvFixedColumns):] {
			row[len(csvFixedColumns)+i] = guardFormula(f.Fields[name])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// guardFormula defuses a cell that a spreadsheet would run as a formula
// (CSV injection): a value starting with = + - @, a tab or a carriage
// return gets a leading apostrophe, which spreadsheets read as "this is
// text". A plain number ("-12.50", "+33612345678") cannot be a formula
// and is left as it is, so that amounts and phone numbers stay usable.
func guardFormula(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) || plainNumber(s) {
		return s
	}
	return "'" + s
}

// plainNumber reports whether s is a sign, digits and at most one
// decimal point: nothing a spreadsheet could evaluate.
func plainNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	digits, point := 0, false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' && !point:
			point = true
		default:
			return false
		}
	}
	return digits > 0
}

// csvPaths returns the path of each model group's CSV file:
// "csv/<instance>/<model>.csv" with both names made safe for any file
// system, and a suffix when two groups would share a path.
func csvPaths(c *content) []string {
	var paths []string
	used := map[string]bool{}
	for g := range c.models() {
		base := csvDir + "/" + safeName(g.Instance) + "/" + safeName(g.Model)
		p := base + ".csv"
		for n := 2; used[p]; n++ {
			p = base + "-" + strconv.Itoa(n) + ".csv"
		}
		used[p] = true
		paths = append(paths, p)
	}
	return paths
}

// accents folds the accented letters of French to plain ones, so that
// "Épicerie" becomes "epicerie" rather than "_picerie".
var accents = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ÿ", "y",
	"œ", "oe", "æ", "ae",
)

// safeName turns a name into a path segment of lower-case a-z, 0-9, dot,
// underscore and hyphen; anything else becomes an underscore. It never
// returns "", "." or "..", and never starts with a dot.
func safeName(s string) string {
	s = accents.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if strings.HasPrefix(out, ".") || out == "" {
		out = "_" + out
	}
	return out
}
