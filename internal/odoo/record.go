package odoo

import (
	"math"
	"strings"
)

// Record is one record as Odoo returns it. Any field may be false when
// empty, so values are read through the typed accessors.
type Record map[string]any

// ID returns the record's id.
func (r Record) ID() int { return asInt(r["id"]) }

// String returns a char/text/selection field, "" when empty (false).
func (r Record) String(field string) string {
	s, _ := r[field].(string)
	return s
}

// Int returns an integer field (Odoo sends integers above 2^31-1 as
// doubles), 0 when empty.
func (r Record) Int(field string) int { return asInt(r[field]) }

// Float returns a float field, 0 when empty.
func (r Record) Float(field string) float64 {
	switch v := r[field].(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	case int:
		return float64(v)
	}
	return 0
}

// Bool returns a boolean field.
func (r Record) Bool(field string) bool {
	b, _ := r[field].(bool)
	return b
}

// Many2one returns a many2one field's id and display name, or 0 and "" when
// empty ([id, name] or false on the wire).
func (r Record) Many2one(field string) (int, string) {
	pair, ok := r[field].([]any)
	if !ok || len(pair) == 0 {
		return 0, ""
	}
	name := ""
	if len(pair) > 1 {
		name, _ = pair[1].(string)
	}
	return asInt(pair[0]), name
}

// IDs returns a one2many or many2many field's ids.
func (r Record) IDs(field string) []int {
	list, _ := r[field].([]any)
	out := make([]int, 0, len(list))
	for _, v := range list {
		out = append(out, asInt(v))
	}
	return out
}

// DisplayName returns the best name of the record for staff.
func (r Record) DisplayName() string {
	for _, f := range []string{"display_name", "name", "email_from", "code"} {
		if s := strings.TrimSpace(r.String(f)); s != "" {
			return s
		}
	}
	return ""
}

// asInt reads an integer from a decoded XML-RPC or JSON value.
func asInt(v any) int {
	switch x := v.(type) {
	case int64:
		return int(x)
	case int:
		return x
	case int32:
		return int(x)
	case float64:
		if x == math.Trunc(x) {
			return int(x)
		}
	}
	return 0
}

// toRecords converts a decoded list of structs.
func toRecords(v any) []Record {
	list, _ := v.([]any)
	out := make([]Record, 0, len(list))
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, Record(m))
		}
	}
	return out
}
