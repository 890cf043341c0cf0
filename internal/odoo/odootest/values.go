package odootest

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Values travel between the codecs and the ORM as Python values would:
// nil is None, then bool, int, float64, string, []any (list), map[string]any
// (a dict from a request), *dict (a dict built by the server, which keeps
// its keys in order as Python dicts do), recordset, dateTimeArg.

// dict is a Python dict that keeps insertion order.
type dict struct {
	keys []string
	vals map[string]any
}

func newDict() *dict { return &dict{vals: map[string]any{}} }

func (d *dict) set(k string, v any) {
	if _, ok := d.vals[k]; !ok {
		d.keys = append(d.keys, k)
	}
	d.vals[k] = v
}

// recordset is what a method returns when Python would return records:
// call_kw turns it into ids (or one id, for create and, up to 17, for
// methods declaring @api.returns with a single id).
type recordset struct {
	model string
	ids   []int
}

// dateTimeArg is a <dateTime.iso8601> argument, kept as sent.
type dateTimeArg struct{ raw string }

// maxInt is xmlrpc.client.MAXINT: bigger integers cannot be marshalled.
const maxInt = 1<<31 - 1

// truthy is Python's bool(v).
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case []int:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	case *dict:
		return len(x.keys) > 0
	}
	return true
}

// asInt converts an int-like value (int, whole float64, bool).
func asInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case float64:
		if x == math.Trunc(x) {
			return int(x), true
		}
	}
	return 0, false
}

// idList reads a list of record ids, as browse() takes them: one id, a
// list of ids, or False for none.
func idList(v any) ([]int, bool) {
	switch x := v.(type) {
	case nil, bool:
		if truthy(x) {
			return nil, false
		}
		return nil, true
	case int:
		return []int{x}, true
	case []int:
		return x, true
	case []any:
		out := make([]int, 0, len(x))
		for _, e := range x {
			if e == false || e == nil {
				continue
			}
			n, ok := e.(int)
			if !ok {
				return nil, false
			}
			out = append(out, n)
		}
		return out, true
	}
	return nil, false
}

// stringList reads a list of strings (field names, attributes).
func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case bool:
		return nil, !x
	case string:
		return []string{x}, true
	case []string:
		return x, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// pyRepr is Python's repr(), used where Odoo formats values into messages.
func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(x)
	case float64:
		return pyFloat(x)
	case string:
		return pyStrRepr(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []int:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = strconv.Itoa(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyStrRepr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *dict:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = pyStrRepr(k) + ": " + pyRepr(x.vals[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case dateTimeArg:
		return fmt.Sprintf("<DateTime %s at 0x7f3a2c1e9d50>", pyStrRepr(x.raw))
	case recordset:
		return recordRepr(x.model, x.ids)
	}
	return fmt.Sprint(v)
}

// recordRepr is the repr of a recordset: res.partner(7,) or res.partner(7, 8).
func recordRepr(model string, ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(id)
	}
	s := strings.Join(parts, ", ")
	if len(ids) == 1 {
		s += ","
	}
	return model + "(" + s + ")"
}

// tupleRepr is the repr of a domain leaf as a Python tuple.
func tupleRepr(items ...any) string {
	parts := make([]string, len(items))
	for i, e := range items {
		parts[i] = pyRepr(e)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// pyStrRepr is repr() of a str: single quotes unless the text has some
// and no double quotes.
func pyStrRepr(s string) string {
	quote := '\''
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteRune(quote)
	for _, r := range s {
		switch {
		case r == quote || r == '\\':
			b.WriteRune('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r) && r > 0xff:
			if r > 0xffff {
				fmt.Fprintf(&b, `\U%08x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteRune(quote)
	return b.String()
}

// pyFloat is Python's repr() of a float: the shortest digits that read
// back, in fixed notation unless the exponent is below -4 or above 15.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // -d.ddde±x
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	mant, expPart, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expPart)
	digits := strings.Replace(mant, ".", "", 1)
	decpt := exp + 1
	if decpt > -4 && decpt <= 16 {
		switch {
		case decpt <= 0:
			return sign + "0." + strings.Repeat("0", -decpt) + digits
		case decpt >= len(digits):
			return sign + digits + strings.Repeat("0", decpt-len(digits)) + ".0"
		default:
			return sign + digits[:decpt] + "." + digits[decpt:]
		}
	}
	out := digits[:1]
	if len(digits) > 1 {
		out += "." + digits[1:]
	}
	esign := "+"
	if exp < 0 {
		esign, exp = "-", -exp
	}
	return fmt.Sprintf("%s%se%s%02d", sign, out, esign, exp)
}

// pyText is str(v) as PostgreSQL's ::text gives it for like/ilike.
func pyText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// pyStr is Python's str(v).
func pyStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case dateTimeArg:
		return x.raw // xmlrpc.client.DateTime's str()
	}
	return pyRepr(v)
}

// pyTypeName is type(v).__name__, for TypeError messages.
func pyTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any, []int, []string:
		return "list"
	case map[string]any, *dict:
		return "dict"
	case dateTimeArg:
		return "DateTime"
	}
	return fmt.Sprintf("%T", v)
}
