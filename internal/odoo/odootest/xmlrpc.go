package odootest

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// methodCall is a decoded XML-RPC request.
type methodCall struct {
	method string
	params []any
}

// decodeMethodCall reads a <methodCall> as Python's xmlrpc.client.loads
// does: untyped values are strings, <nil/> is None, every integer type is an
// int, <dateTime.iso8601> stays a dateTimeArg for the server to judge.
func decodeMethodCall(body []byte) (*methodCall, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "us-ascii") {
			return r, nil
		}
		return nil, fmt.Errorf("unknown encoding %q", label)
	}
	root, err := nextStart(d)
	if err != nil {
		return nil, err
	}
	if root.Name.Local != "methodCall" {
		return nil, unexpected(root)
	}
	call := &methodCall{}
	err = eachChild(d, func(t xml.StartElement) (err error) {
		switch t.Name.Local {
		case "methodName":
			var name string
			name, err = readText(d)
			call.method = strings.TrimSpace(name)
		case "params":
			call.params, err = readParams(d)
		default:
			err = unexpected(t)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if call.method == "" {
		return nil, errors.New("no methodName")
	}
	return call, nil
}

// eachChild calls fn with each child element of the element whose start
// tag was just read, then reads that element's end tag; character data
// between the children is skipped. fn must read its child to its end.
func eachChild(d *xml.Decoder, fn func(child xml.StartElement) error) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func unexpected(t xml.StartElement) error { return fmt.Errorf("unexpected tag %q", t.Name.Local) }

func nextStart(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if s, ok := tok.(xml.StartElement); ok {
			return s, nil
		}
	}
}

// readText returns the character data up to the end of the current element.
func readText(d *xml.Decoder) (string, error) {
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			return "", unexpected(t)
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

func readParams(d *xml.Decoder) ([]any, error) {
	params := []any{}
	err := eachChild(d, func(t xml.StartElement) error {
		if t.Name.Local != "param" {
			return unexpected(t)
		}
		v, err := readWrapped(d, "value")
		params = append(params, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return params, nil
}

// readWrapped reads the one <value> inside a <param> (or <member>) and the
// end of the enclosing element.
func readWrapped(d *xml.Decoder, want string) (v any, err error) {
	seen := false
	err = eachChild(d, func(t xml.StartElement) (err error) {
		if t.Name.Local != want || seen {
			return unexpected(t)
		}
		seen = true
		v, err = readValue(d)
		return err
	})
	if err == nil && !seen {
		err = errors.New("missing value")
	}
	return v, err
}

// readValue reads the content of a <value> element, its start tag consumed.
func readValue(d *xml.Decoder) (any, error) {
	var text strings.Builder
	var typed any
	hasType := false
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.StartElement:
			if hasType {
				return nil, unexpected(t)
			}
			if typed, err = readTyped(d, t.Name.Local); err != nil {
				return nil, err
			}
			hasType = true
		case xml.EndElement:
			if hasType {
				return typed, nil
			}
			return text.String(), nil
		}
	}
}

func readTyped(d *xml.Decoder, tag string) (any, error) {
	switch tag {
	case "array":
		return readArray(d)
	case "struct":
		return readStruct(d)
	case "nil":
		if _, err := readText(d); err != nil {
			return nil, err
		}
		return nil, nil
	}
	s, err := readText(d)
	if err != nil {
		return nil, err
	}
	switch tag {
	case "string", "name":
		return s, nil
	case "int", "i4", "i8", "i1", "i2", "biginteger":
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("invalid literal for int() with base 10: %s", pyStrRepr(s))
		}
		return n, nil
	case "boolean":
		switch strings.TrimSpace(s) {
		case "0":
			return false, nil
		case "1":
			return true, nil
		}
		return nil, errors.New("bad boolean value")
	case "double", "float", "bigdecimal":
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil, fmt.Errorf("could not convert string to float: %s", pyStrRepr(s))
		}
		return f, nil
	case "dateTime.iso8601":
		return dateTimeArg{raw: strings.TrimSpace(s)}, nil
	case "base64":
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, err
		}
		// xmlrpc.client hands a Binary; Odoo takes binary fields as base64 text.
		return base64.StdEncoding.EncodeToString(b), nil
	}
	return nil, fmt.Errorf("unknown tag %q", tag)
}

func readArray(d *xml.Decoder) ([]any, error) {
	out := []any{}
	var item func(t xml.StartElement) error
	item = func(t xml.StartElement) error {
		switch t.Name.Local {
		case "data":
			return eachChild(d, item)
		case "value":
			v, err := readValue(d)
			out = append(out, v)
			return err
		}
		return unexpected(t)
	}
	if err := eachChild(d, item); err != nil {
		return nil, err
	}
	return out, nil
}

func readStruct(d *xml.Decoder) (map[string]any, error) {
	out := map[string]any{}
	err := eachChild(d, func(t xml.StartElement) error {
		if t.Name.Local != "member" {
			return unexpected(t)
		}
		name, v, err := readMember(d)
		out[name] = v
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func readMember(d *xml.Decoder) (name string, v any, err error) {
	err = eachChild(d, func(t xml.StartElement) (err error) {
		switch t.Name.Local {
		case "name":
			name, err = readText(d)
		case "value":
			v, err = readValue(d)
		default:
			err = unexpected(t)
		}
		return err
	})
	return name, v, err
}

// marshalError is a value OdooMarshaller refuses (a TypeError or
// OverflowError raised while dumping the result).
type marshalError struct{ err *odooError }

func (e marshalError) Error() string { return e.err.Error() }

// encodeResponse renders a result as Odoo's dumps((result,)) does.
func encodeResponse(v any) ([]byte, error) {
	var b strings.Builder
	b.WriteString("<params>\n<param>\n")
	if err := dump(&b, v); err != nil {
		return nil, err
	}
	b.WriteString("</param>\n</params>\n")
	return wrapResponse(b.String()), nil
}

// encodeFault renders a fault with an integer or string code.
func encodeFault(code any, s string) []byte {
	var b strings.Builder
	b.WriteString("<fault>\n")
	f := newDict()
	f.set("faultCode", code)
	f.set("faultString", s)
	_ = dump(&b, f)
	b.WriteString("</fault>\n")
	return wrapResponse(b.String())
}

func wrapResponse(inner string) []byte {
	return []byte("<?xml version=\"1.0\"?>\n<methodResponse>\n" + inner + "\n</methodResponse>\n")
}

// dump writes one value as xmlrpc.client.Marshaller with allow_none=False
// and Odoo's overrides (strings stripped of control characters).
func dump(b *strings.Builder, v any) error {
	switch x := v.(type) {
	case nil:
		return marshalError{raise(excTypeError, "cannot marshal None unless allow_none is enabled")}
	case bool:
		if x {
			b.WriteString("<value><boolean>1</boolean></value>\n")
		} else {
			b.WriteString("<value><boolean>0</boolean></value>\n")
		}
	case int:
		if x > maxInt || x < -maxInt-1 {
			return marshalError{raise(excOverflowError, "int exceeds XML-RPC limits")}
		}
		b.WriteString("<value><int>" + strconv.Itoa(x) + "</int></value>\n")
	case float64:
		b.WriteString("<value><double>" + pyFloat(x) + "</double></value>\n")
	case string:
		b.WriteString("<value><string>" + xmlEscape(stripControl(x)) + "</string></value>\n")
	case []any:
		return dumpArray(b, x)
	case []int:
		return dumpArray(b, x)
	case []string:
		return dumpArray(b, x)
	case *dict:
		b.WriteString("<value><struct>\n")
		for _, k := range x.keys {
			b.WriteString("<member>\n<name>" + xmlEscape(k) + "</name>\n")
			if err := dump(b, x.vals[k]); err != nil {
				return err
			}
			b.WriteString("</member>\n")
		}
		b.WriteString("</struct></value>\n")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		d := newDict()
		for _, k := range keys {
			d.set(k, x[k])
		}
		return dump(b, d)
	default:
		return marshalError{raise(excTypeError, "cannot marshal <class '%s'> objects", pyTypeName(v))}
	}
	return nil
}

// dumpArray writes xs as an XML-RPC array.
func dumpArray[T any](b *strings.Builder, xs []T) error {
	b.WriteString("<value><array><data>\n")
	for _, e := range xs {
		if err := dump(b, e); err != nil {
			return err
		}
	}
	b.WriteString("</data></array></value>\n")
	return nil
}

// xmlEscape is xmlrpc.client.escape: only &, < and >.
func xmlEscape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	s = strings.ReplaceAll(s, "&", "&amp;")
	s = strings.ReplaceAll(s, "<", "&lt;")
	return strings.ReplaceAll(s, ">", "&gt;")
}

// stripControl removes the control characters XML 1.0 forbids (all below
// 32 but tab, newline and carriage return), as OdooMarshaller does.
func stripControl(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 32 && c != 9 && c != 10 && c != 13 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r < 32 && r != 9 && r != 10 && r != 13 {
			return -1
		}
		return r
	}, s)
}
