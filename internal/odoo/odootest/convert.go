package odootest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// toColumn converts a domain operand to the field's column type, as
// Field.convert_to_column does.
func (e *env) toColumn(f *fieldDef, v any) (any, error) {
	switch f.ttype {
	case "integer", "many2one", "many2one_reference":
		return pyInt(v)
	case "float", "monetary":
		return pyFloatValue(v)
	case "boolean":
		return truthy(v), nil
	case "date", "datetime":
		return e.toDateString(f, v)
	}
	if v == nil || v == false {
		return nil, nil
	}
	return pyStr(v), nil
}

// pyInt is int(value or 0).
func pyInt(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case bool, int:
		n, _ := asInt(x)
		return n, nil
	case float64:
		return int(math.Trunc(x)), nil
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil {
			return nil, raise(excValueError, "invalid literal for int() with base 10: %s", pyStrRepr(x))
		}
		return n, nil
	}
	return nil, raise(excTypeError, "int() argument must be a string, a bytes-like object or a real number, not '%s'", pyTypeName(v))
}

// pyFloatValue is float(value or 0.0).
func pyFloatValue(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return 0.0, nil
	case bool, int:
		n, _ := asInt(x)
		return float64(n), nil
	case float64:
		return x, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return nil, raise(excValueError, "could not convert string to float: %s", pyStrRepr(x))
		}
		return f, nil
	}
	return nil, raise(excTypeError, "float() argument must be a string or a real number, not '%s'", pyTypeName(v))
}

// toDateString reads a date or datetime value: a string in Odoo's format,
// or a <dateTime.iso8601> argument, which Odoo 16 and 17 cannot take (they
// hand the field an xmlrpc.client.DateTime) and 18 and later read as a
// naive datetime.
func (e *env) toDateString(f *fieldDef, v any) (any, error) {
	layout := datetimeLayout
	if f.ttype == "date" {
		layout = dateLayout
	}
	switch x := v.(type) {
	case nil, bool:
		if truthy(x) {
			return nil, raise(excTypeError, "object of type 'bool' has no len()")
		}
		return nil, nil
	case dateTimeArg:
		if e.version < 18 {
			if f.ttype == "date" {
				return nil, raise(excTypeError, "'DateTime' object is not subscriptable")
			}
			return nil, raise(excTypeError, "object of type 'DateTime' has no len()")
		}
		t, err := parseISO8601(x.raw)
		if err != nil {
			return nil, raise(excValueError, "time data %s does not match format '%%Y%%m%%dT%%H:%%M:%%S'", pyStrRepr(x.raw))
		}
		return t.Format(layout), nil
	case string:
		if f.ttype == "date" {
			if len(x) >= 10 {
				if _, err := time.Parse(dateLayout, x[:10]); err == nil {
					return x[:10], nil
				}
			}
			return nil, raise(excValueError, "time data %s does not match format '%%Y-%%m-%%d'", pyStrRepr(x))
		}
		switch len(x) {
		case 10:
			if _, err := time.Parse(dateLayout, x); err == nil {
				return x + " 00:00:00", nil
			}
		case 19:
			if _, err := time.Parse(datetimeLayout, x); err == nil {
				return x, nil
			}
		}
		return nil, raise(excValueError, "time data %s does not match format '%%Y-%%m-%%d %%H:%%M:%%S'", pyStrRepr(x))
	}
	return nil, raise(excTypeError, "object of type '%s' has no len()", pyTypeName(v))
}

func parseISO8601(s string) (time.Time, error) {
	for _, layout := range []string{"20060102T15:04:05", "2006-01-02T15:04:05", "20060102T150405"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad dateTime %q", s)
}

// toCache converts a value written to a field, as convert_to_cache does.
func (e *env) toCache(m *modelDef, f *fieldDef, v any) (any, error) {
	switch f.ttype {
	case "char", "text", "html":
		if v == nil || v == false {
			return nil, nil
		}
		return pyStr(v), nil
	case "selection":
		if v == nil || v == false {
			return nil, nil
		}
		for _, s := range f.selection {
			if s[0] == v {
				return v, nil
			}
		}
		return nil, raise(excValueError, "Wrong value for %s.%s: %s", m.name, f.name, pyRepr(v))
	case "integer", "many2one_reference":
		n, err := pyInt(v)
		if err != nil {
			return nil, err
		}
		if i := n.(int); i > maxInt || i < -maxInt-1 {
			return nil, raise(excPgOutOfRange, "integer out of range\n")
		}
		return n, nil
	case "float", "monetary":
		return pyFloatValue(v)
	case "boolean":
		return truthy(v), nil
	case "date", "datetime":
		return e.toDateString(f, v)
	case "many2one":
		switch x := v.(type) {
		case nil, bool:
			if truthy(x) {
				return 1, nil
			}
			return nil, nil
		case int:
			if x == 0 {
				return nil, nil
			}
			return x, nil
		}
		return nil, raise(excValueError, "Wrong value for %s.%s: %s", m.name, f.name, pyRepr(v))
	case "binary":
		if v == nil || v == false {
			return nil, nil
		}
		return pyStr(v), nil
	}
	return v, nil
}
