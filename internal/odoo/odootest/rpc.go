package odootest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// serveXMLRPC answers /xmlrpc/2/<service> (integer fault codes) and the
// legacy /xmlrpc/<service> (string fault codes). Both answer 200 with a
// methodResponse, faults included.
func (s *Server) serveXMLRPC(w http.ResponseWriter, r *http.Request, service string, legacy bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusMethodNotAllowed)
		fmt.Fprint(w, "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		return
	}
	s.mu.Lock()
	out := s.xmlrpc(remoteIP(r), service, body, legacy)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(out)
}

func (s *Server) xmlrpc(ip, service string, body []byte, legacy bool) []byte {
	fault := func(e *odooError, frames []string) []byte {
		if legacy {
			code, str := legacyFault(s.version, service, e)
			return encodeFault(code, str)
		}
		code, str := xmlrpcFault(s.version, service, e)
		if code == 1 && frames != nil {
			str = traceback(s.version, e, frames)
		}
		return encodeFault(code, str)
	}
	call, err := decodeMethodCall(body)
	if err != nil {
		return fault(raise(excExpatError, "%s", err.Error()), nil)
	}
	var result any
	var oerr *odooError
	switch service {
	case "common":
		s.countCall("common", "", call.method)
		result, oerr = s.dispatchCommon(ip, call.method, call.params)
	case "object":
		model, method := "", ""
		if len(call.params) >= 5 {
			model, _ = call.params[3].(string)
			method, _ = call.params[4].(string)
		}
		s.countCall("object", model, method)
		result, oerr = s.dispatchObject(ip, call.method, call.params)
	case "db":
		s.countCall("db", "", call.method)
		result, oerr = s.dispatchDB(call.method, call.params)
	default:
		oerr = raise(excKeyError, "%s", pyStrRepr(service))
	}
	if oerr != nil {
		return fault(oerr, nil)
	}
	out, err := encodeResponse(result)
	var me marshalError
	if errors.As(err, &me) {
		// The method ran and its changes stay: Odoo fails while dumping.
		return fault(me.err, marshalFrames(s.version))
	}
	return out
}

// dispatchCommon is odoo.service.common.dispatch.
func (s *Server) dispatchCommon(ip, method string, params []any) (any, *odooError) {
	arity := func(name string, n int) *odooError {
		if len(params) == n {
			return nil
		}
		if len(params) > n {
			return raise(excTypeError, "exp_%s() takes %d positional arguments but %d were given", name, n, len(params))
		}
		return raise(excTypeError, "exp_%s() missing %d required positional argument%s", name, n-len(params), plural(n-len(params)))
	}
	switch method {
	case "version":
		if err := arity("version", 0); err != nil {
			return nil, err
		}
		return s.versionInfo(false), nil
	case "about":
		return "See http://openerp.com", nil
	case "authenticate", "login":
		n := 4
		if method == "login" {
			n = 3
		}
		if err := arity(method, n); err != nil {
			return nil, err
		}
		if err := s.checkDB(params[0]); err != nil {
			return nil, err
		}
		login, _ := params[1].(string)
		return s.authenticate(ip, login, params[2]), nil
	}
	return nil, raise(excException, "Method not found: %s", method)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// dispatchDB answers the few db service calls a client may make.
func (s *Server) dispatchDB(method string, params []any) (any, *odooError) {
	switch method {
	case "list":
		return []any{s.opt.DB}, nil
	case "server_version":
		return fmt.Sprintf("%d.0", s.version), nil
	case "db_exist":
		if len(params) != 1 {
			return nil, raise(excTypeError, "exp_db_exist() takes 1 positional argument but %d were given", len(params))
		}
		return params[0] == s.opt.DB, nil
	}
	return nil, raise(excKeyError, "%s", pyStrRepr(method))
}

// checkDB fails as psycopg2 does when connecting to a database that does
// not exist.
func (s *Server) checkDB(db any) *odooError {
	if db == s.opt.DB {
		return nil
	}
	return raise(excPgOperational, "connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  database \"%s\" does not exist\n", pyStr(db))
}

// dispatchObject is odoo.service.model.dispatch: credentials first, then
// the call.
func (s *Server) dispatchObject(ip, method string, params []any) (any, *odooError) {
	if s.version >= 19 && len(params) < 5 {
		return nil, raise(excValueError, "not enough values to unpack (expected at least 5, got %d)", len(params))
	}
	if len(params) < 3 {
		return nil, raise(excIndexError, "tuple index out of range")
	}
	uid, err := pyInt(params[1])
	if err != nil {
		return nil, err.(*odooError)
	}
	passwd := params[2]
	if s.version >= 19 {
		if !truthy(passwd) {
			return nil, accessDenied()
		}
		if method != "execute" && method != "execute_kw" {
			return nil, raise(excNameError, "Method not available %s", method)
		}
	}
	if err := s.checkDB(params[0]); err != nil {
		return nil, err
	}
	if err := s.checkUID(ip, uid.(int), passwd); err != nil {
		return nil, err
	}
	if method != "execute" && method != "execute_kw" {
		return nil, raise(excNameError, "Method not available %s", method)
	}
	rest := params[3:]
	if method == "execute_kw" && (len(rest) < 3 || len(rest) > 4) {
		if len(rest) < 3 {
			return nil, raise(excTypeError, "execute_kw() missing %d required positional argument%s", 3-len(rest), plural(3-len(rest)))
		}
		return nil, raise(excTypeError, "execute_kw() takes from 5 to 6 positional arguments but %d were given", len(rest)+2)
	}
	if len(rest) < 2 {
		return nil, raise(excTypeError, "execute() missing %d required positional argument%s", 2-len(rest), plural(2-len(rest)))
	}
	model, name := pyStr(rest[0]), pyStr(rest[1])
	var args []any
	kw := map[string]any{}
	if method == "execute" {
		args = rest[2:]
	} else {
		a, ok := rest[2].([]any)
		if !ok {
			return nil, raise(excTypeError, "odoo.service.model.execute() argument after * must be an iterable, not %s", pyTypeName(rest[2]))
		}
		args = a
		if len(rest) == 4 && rest[3] != nil && rest[3] != false {
			k, ok := rest[3].(map[string]any)
			if !ok {
				return nil, raise(excTypeError, "odoo.service.model.execute() argument after ** must be a mapping, not %s", pyTypeName(rest[3]))
			}
			kw = k
		}
	}
	e := s.env(uid.(int), nil)
	return s.callKW(e, model, name, args, kw)
}

// isPrivate is the test of check_method_name / get_public_method.
func isPrivate(name string) bool { return strings.HasPrefix(name, "_") || name == "init" }

// callKW is execute_cr then call_kw: the model must exist, the method be
// public, the arguments fit its signature; the result is adapted as
// call_kw does (records become ids).
func (s *Server) callKW(e *env, model, name string, args []any, kw map[string]any) (any, *odooError) {
	if e.version <= 17 && isPrivate(name) {
		return nil, raise(excAccessError, "Private methods (such as %s) cannot be called remotely.", name)
	}
	m := e.model(model)
	if m == nil {
		return nil, objectMissing(model)
	}
	if e.version >= 18 && isPrivate(name) {
		return nil, raise(excAccessError, "Private methods (such as '%s.%s') cannot be called remotely.", model, name)
	}
	spec := e.method(m, name)
	if spec == nil {
		if e.version >= 18 {
			return nil, raise(excAttributeError, "The method '%s.%s' does not exist", model, name)
		}
		return nil, raise(excAttributeError, "The method '%s' does not exist on the model '%s'", name, model)
	}
	kw = copyVals(kw)
	if ctx, ok := kw["context"].(map[string]any); ok {
		e.ctx = ctx
	}
	delete(kw, "context")
	var ids []int
	if !spec.apiModel {
		if len(args) == 0 {
			return nil, raise(excIndexError, "tuple index out of range")
		}
		var ok bool
		if ids, ok = idList(args[0]); !ok {
			return nil, raise(excValueError, "Invalid ids %s", pyRepr(args[0]))
		}
		args = args[1:]
	}
	bound, extra, err := spec.bind(args, kw, false)
	if err != nil {
		return nil, err.(*odooError)
	}
	var after func() *odooError
	if spec.name == "create" && len(args) == 0 {
		// call_kw reads args[0] to choose between id and ids: a create
		// with keyword arguments only fails there, after the records
		// were made, and the transaction rolls back.
		after = func() *odooError { return raise(excIndexError, "tuple index out of range") }
	}
	result, oerr := s.runChecked(e, m, spec, ids, bound, extra, after)
	if oerr != nil {
		return nil, oerr
	}
	if rs, ok := result.(recordset); ok {
		switch {
		case spec.name == "create":
			if _, one := args[0].(map[string]any); one {
				return rs.ids[0], nil
			}
			return intsToAny(rs.ids), nil
		case spec.returnsID && e.version <= 17:
			if len(rs.ids) == 0 {
				return false, nil
			}
			return rs.ids[0], nil
		}
		return intsToAny(rs.ids), nil
	}
	return result, nil
}

// runChecked checks the user's access to the model, then runs the bound
// method, and after it the optional after, as one transaction: on an
// exception the data are as before.
func (s *Server) runChecked(e *env, m *modelDef, spec *methodSpec, ids []int, bound, extra map[string]any, after func() *odooError) (any, *odooError) {
	if err := e.checkModelAccess(m, spec.access); err != nil {
		return nil, err.(*odooError)
	}
	snap := s.snapshot(spec)
	result, oerr := runSpec(e, m, spec, ids, bound, extra)
	if oerr == nil && after != nil {
		oerr = after()
	}
	if oerr != nil {
		s.restore(snap)
	}
	return result, oerr
}

// runSpec runs a bound method and turns its error into an exception.
func runSpec(e *env, m *modelDef, spec *methodSpec, ids []int, bound, extra map[string]any) (any, *odooError) {
	result, err := spec.run(&callCtx{e: e, m: m, ids: ids, args: bound, extra: extra})
	if err != nil {
		var oe *odooError
		if errors.As(err, &oe) {
			return nil, oe
		}
		return nil, raise(excException, "%s", err.Error())
	}
	return result, nil
}

func intsToAny(ids []int) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
