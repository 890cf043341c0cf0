package odootest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// serveJSON2 answers Odoo 19's JSON-2 API: POST /json/2/<model>/<method>
// with a bearer API key and a JSON object of named arguments, "ids" and
// "context". Success is 200 with the result; errors are
// {name, message, arguments, context, debug} with the status of the
// exception (401, 403, 404, 422, 500).
func (s *Server) serveJSON2(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/json/2"), "/")
	if r.Method != http.MethodPost || len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		s.json2Error(w, raise(excNotFound, "Did you mean POST /json/2/<model>/<method>?"), nil)
		return
	}
	model, method := parts[1], parts[2]
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.countCall("json2", model, method)

	user, oerr := s.bearer(r)
	if oerr != nil {
		s.json2Error(w, oerr, http.Header{"Www-Authenticate": {"Bearer"}})
		return
	}
	if db := r.Header.Get("X-Odoo-Database"); db != "" && db != s.opt.DB {
		s.json2Error(w, raise(excNotFound, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."), nil)
		return
	}
	params := map[string]any{}
	if len(bytes.TrimSpace(body)) > 0 {
		v, err := decodeJSON(body)
		if err != nil {
			s.json2Error(w, raise(excBadRequest, "could not parse the body as json: %s", err.Error()), nil)
			return
		}
		if obj, ok := v.(map[string]any); ok {
			params = obj
		}
	}
	result, oerr := s.callJSON2(user, model, method, params)
	if oerr != nil {
		s.json2Error(w, oerr, nil)
		return
	}
	writeJSON(w, http.StatusOK, result, nil)
}

var bearerRe = regexp.MustCompile(`(?i)^bearer\s+(.+)$`)

// bearer authenticates the API key of the Authorization header.
func (s *Server) bearer(r *http.Request) (*User, *odooError) {
	m := bearerRe.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		return nil, raise(excUnauthorized, "User not authenticated, use an API Key with a Bearer Authorization header.")
	}
	u := s.apiKeyUser(strings.TrimSpace(m[1]))
	if u == nil {
		return nil, raise(excUnauthorized, "Invalid apikey")
	}
	return u, nil
}

// callJSON2 is web_json_2_rpc: named arguments only, records become ids.
func (s *Server) callJSON2(u *User, model, name string, params map[string]any) (any, *odooError) {
	e := s.env(u.UID, nil)
	if ctx, ok := params["context"].(map[string]any); ok {
		e.ctx = ctx
	}
	m := e.model(model)
	if m == nil {
		return nil, raise(excNotFound, "the model %s does not exist", pyStrRepr(model))
	}
	if isPrivate(name) {
		return nil, raise(excAccessError, "Private methods (such as '%s.%s') cannot be called remotely.", model, name)
	}
	spec := e.method(m, name)
	if spec == nil {
		return nil, raise(excNotFound, "The method '%s.%s' does not exist", model, name)
	}
	var ids []int
	if v, ok := params["ids"]; ok {
		var good bool
		if ids, good = idList(v); !good {
			return nil, raise(excUnprocessable, "ids must be a list of integers")
		}
	}
	if spec.apiModel && len(ids) > 0 {
		return nil, raise(excUnprocessable, "cannot call %s.%s with ids", model, name)
	}
	kw := map[string]any{}
	for k, v := range params {
		if k != "ids" && k != "context" {
			kw[k] = v
		}
	}
	bound, extra, err := spec.bind(nil, kw, true)
	if err != nil {
		return nil, raise(excUnprocessable, "%s", err.(*odooError).msg)
	}
	result, oerr := s.runChecked(e, m, spec, ids, bound, extra, nil)
	if oerr != nil {
		return nil, oerr
	}
	if rs, ok := result.(recordset); ok {
		return intsToAny(rs.ids), nil
	}
	return result, nil
}

// json2Error writes serialize_exception's body with the exception's status.
func (s *Server) json2Error(w http.ResponseWriter, e *odooError, h http.Header) {
	body := newDict()
	body.set("name", e.class.qualified())
	body.set("message", e.msg)
	if e.class.kind == kindHTTP {
		body.set("arguments", []any{e.msg, e.class.status})
	} else if e.args != nil {
		body.set("arguments", e.args)
	} else {
		body.set("arguments", []any{e.msg})
	}
	body.set("context", map[string]any{})
	body.set("debug", traceback(s.version, e, json2Frames()))
	writeJSON(w, e.class.status, body, h)
}

func json2Frames() []string {
	return []string{
		frame("http.py", 2140, "_serve_db", "return service_model.retrying(serve_func, env=self.env)"),
		frame("service/model.py", 156, "retrying", "result = func()"),
		frame("http.py", 2187, "_serve_ir_http", "response = self.dispatcher.dispatch(rule.endpoint, args)"),
		frame("http.py", 2531, "dispatch", "result = self.request.registry['ir.http']._dispatch(endpoint)"),
		frame("addons/rpc/controllers/json2.py", 83, "web_json_2_rpc", "result = func(records, **kwargs)"),
	}
}

// serveVersionInfo answers the JSON-RPC route /web/webclient/version_info
// with common.version()'s dict.
func (s *Server) serveVersionInfo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var id any
	if v, err := decodeJSON(body); err == nil {
		if obj, ok := v.(map[string]any); ok {
			id = obj["id"]
		}
	}
	resp := newDict()
	resp.set("jsonrpc", "2.0")
	resp.set("id", id)
	resp.set("result", s.versionInfo(false))
	writeJSON(w, http.StatusOK, resp, nil)
}

func writeJSON(w http.ResponseWriter, status int, v any, h http.Header) {
	for k, vals := range h {
		for _, x := range vals {
			w.Header().Add(k, x)
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	var b strings.Builder
	writePyJSON(&b, v)
	io.WriteString(w, b.String())
}

// decodeJSON reads JSON with integers as int, other numbers as float64.
func decodeJSON(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return fromJSON(v), nil
}

func fromJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.Atoi(string(x)); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = fromJSON(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = fromJSON(x[k])
		}
		return x
	}
	return v
}

// writePyJSON writes v as Python's json.dumps(v, ensure_ascii=False) does,
// which is how Odoo answers.
func writePyJSON(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		switch {
		case math.IsNaN(x):
			b.WriteString("NaN")
		case math.IsInf(x, 1):
			b.WriteString("Infinity")
		case math.IsInf(x, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(pyFloat(x))
		}
	case string:
		writeJSONString(b, x)
	case []any:
		b.WriteString("[")
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writePyJSON(b, e)
		}
		b.WriteString("]")
	case []int:
		writePyJSON(b, intsToAny(x))
	case *dict:
		b.WriteString("{")
		for i, k := range x.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJSONString(b, k)
			b.WriteString(": ")
			writePyJSON(b, x.vals[k])
		}
		b.WriteString("}")
	case map[string]any:
		d := newDict()
		for _, k := range sortedKeys(x) {
			d.set(k, x[k])
		}
		writePyJSON(b, d)
	default:
		writeJSONString(b, fmt.Sprint(v))
	}
}

func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == utf8.RuneError {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
