package odootest

import (
	"fmt"
	"strings"
)

// errKind is how the RPC layers treat an exception class.
type errKind int

const (
	kindInternal errKind = iota // any other exception: fault 1 with the traceback
	kindUser                    // UserError and subclasses: fault 2
	kindRedirect                // RedirectWarning: fault 2 (not a UserError: 500 on JSON-2)
	kindAccess                  // AccessError: fault 4
	kindDenied                  // AccessDenied: fault 3
	kindHTTP                    // werkzeug HTTPException (JSON-2 only)
)

// pyClass is a Python exception class.
type pyClass struct {
	module, name string
	kind         errKind
	status       int // JSON-2 HTTP status (odoo.exceptions' http_status)
}

// qualified is the class name as serialize_exception and traceback print it.
func (c pyClass) qualified() string {
	if c.module == "" {
		return c.name
	}
	return c.module + "." + c.name
}

// The exception classes the server raises. Statuses are those of Odoo 19's
// odoo.exceptions and werkzeug.exceptions.
var (
	excUserError       = pyClass{"odoo.exceptions", "UserError", kindUser, 422}
	excValidationError = pyClass{"odoo.exceptions", "ValidationError", kindUser, 422}
	excMissingError    = pyClass{"odoo.exceptions", "MissingError", kindUser, 404}
	excAccessError     = pyClass{"odoo.exceptions", "AccessError", kindAccess, 403}
	excAccessDenied    = pyClass{"odoo.exceptions", "AccessDenied", kindDenied, 403}
	excRedirectWarning = pyClass{"odoo.exceptions", "RedirectWarning", kindRedirect, 500}
	excValueError      = pyClass{"builtins", "ValueError", kindInternal, 500}
	excTypeError       = pyClass{"builtins", "TypeError", kindInternal, 500}
	excAttributeError  = pyClass{"builtins", "AttributeError", kindInternal, 500}
	excKeyError        = pyClass{"builtins", "KeyError", kindInternal, 500}
	excIndexError      = pyClass{"builtins", "IndexError", kindInternal, 500}
	excOverflowError   = pyClass{"builtins", "OverflowError", kindInternal, 500}
	excNameError       = pyClass{"builtins", "NameError", kindInternal, 500}
	excException       = pyClass{"builtins", "Exception", kindInternal, 500}
	excExpatError      = pyClass{"xml.parsers.expat", "ExpatError", kindInternal, 500}
	excPgOperational   = pyClass{"psycopg2", "OperationalError", kindInternal, 500}
	excPgOutOfRange    = pyClass{"psycopg2.errors", "NumericValueOutOfRange", kindInternal, 500}
	excNotFound        = pyClass{"werkzeug.exceptions", "NotFound", kindHTTP, 404}
	excUnauthorized    = pyClass{"werkzeug.exceptions", "Unauthorized", kindHTTP, 401}
	excUnprocessable   = pyClass{"werkzeug.exceptions", "UnprocessableEntity", kindHTTP, 422}
	excBadRequest      = pyClass{"werkzeug.exceptions", "BadRequest", kindHTTP, 400}
)

// odooError is an exception raised while serving a call.
type odooError struct {
	class pyClass
	msg   string
	args  []any // exception.args when it is not just (msg,)
}

func (e *odooError) Error() string { return e.class.qualified() + ": " + e.msg }

func raise(c pyClass, format string, a ...any) *odooError {
	msg := format
	if len(a) > 0 {
		msg = fmt.Sprintf(format, a...)
	}
	return &odooError{class: c, msg: msg}
}

// accessDenied is AccessDenied() with Odoo's default message.
func accessDenied() *odooError { return raise(excAccessDenied, "Access Denied") }

// tooManyFailures is the login cooldown's refusal.
func tooManyFailures() *odooError {
	return raise(excAccessDenied, "Too many login failures, please wait a bit before trying again.")
}

// missingRecord is the MissingError of reading a field of a deleted record.
func missingRecord(model string, id, uid int) *odooError {
	return raise(excMissingError, "Record does not exist or has been deleted.\n(Record: %s, User: %d)",
		recordRepr(model, []int{id}), uid)
}

// objectMissing is execute_cr's error for a model that is not installed.
func objectMissing(model string) *odooError {
	return raise(excUserError, "Object %s doesn't exist", model)
}

// invalidField is read()'s and write()'s error for an unknown field.
func invalidField(field, model string) *odooError {
	return raise(excValueError, "Invalid field %s on model %s", pyStrRepr(field), pyStrRepr(model))
}

// accessGroups lists, per model, the groups Odoo would name in an access
// error. Models not listed say that no group allows the operation.
var accessGroups = map[string][]string{
	"ir.model":         {"Administration / Access Rights"},
	"ir.model.fields":  {"Administration / Access Rights"},
	"account.move":     {"Invoicing / Billing", "Invoicing / Billing Administrator"},
	"sale.order":       {"Sales / User: Own Documents Only"},
	"purchase.order":   {"Purchase / User"},
	"crm.lead":         {"Sales / User: Own Documents Only"},
	"pos.order":        {"Point of Sale / User"},
	"loyalty.card":     {"Sales / User: Own Documents Only", "Point of Sale / User"},
	"res.partner.bank": {"Invoicing / Billing", "Administration / Settings"},
}

// modelAccessError is ir.model.access's refusal of an operation on a model.
func modelAccessError(m *modelDef, operation string) *odooError {
	verb := map[string]string{"read": "access", "write": "modify", "create": "create", "unlink": "delete"}[operation]
	head := fmt.Sprintf("You are not allowed to %s '%s' (%s) records.", verb, m.desc, m.name)
	groups := "No group currently allows this operation."
	if g := accessGroups[m.name]; len(g) > 0 {
		groups = "This operation is allowed for the following groups:\n\t- " + strings.Join(g, "\n\t- ")
	}
	return raise(excAccessError, "%s\n\n%s\n\nContact your administrator to request access if necessary.", head, groups)
}

// traceback renders an exception as Python's traceback.format_exception
// does, through the frames of the call that raised it. Only the last line
// carries meaning; the frames make it look like what Odoo sends.
func traceback(version int, e *odooError, frames []string) string {
	var b strings.Builder
	b.WriteString("Traceback (most recent call last):\n")
	for _, f := range frames {
		b.WriteString(f)
	}
	name := e.class.name
	if e.class.module != "builtins" && e.class.module != "" {
		name = e.class.qualified()
	}
	if e.msg == "" {
		b.WriteString(name + "\n")
	} else {
		b.WriteString(name + ": " + e.msg + "\n")
	}
	return b.String()
}

// odooPath is where Odoo's code lives in the official packages.
const odooPath = "/usr/lib/python3/dist-packages/odoo"

func frame(file string, line int, fn, code string) string {
	return fmt.Sprintf("  File \"%s/%s\", line %d, in %s\n    %s\n", odooPath, file, line, fn, code)
}

// xmlrpcFrames are the frames of a call through /xmlrpc/2/<service>.
func xmlrpcFrames(version int, service string) []string {
	ctl := "addons/base/controllers/rpc.py"
	if version >= 19 {
		ctl = "addons/rpc/controllers/xmlrpc.py"
	}
	fr := []string{
		frame(ctl, 164, "xmlrpc_2", "response = self._xmlrpc(service)"),
		frame(ctl, 141, "_xmlrpc", "result = dispatch_rpc(service, method, params)"),
		frame("http.py", 368, "dispatch_rpc", "return dispatch(method, params)"),
	}
	switch service {
	case "object":
		fr = append(fr,
			frame("service/model.py", 39, "dispatch", "res = execute_kw(db, uid, *params[3:])"),
			frame("service/model.py", 61, "execute_kw", "return execute(db, uid, obj, method, *args, **kw or {})"),
			frame("service/model.py", 68, "execute", "res = execute_cr(cr, uid, obj, method, *args, **kw)"),
			frame("service/model.py", 52, "execute_cr", "result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)"),
			frame("service/model.py", 137, "retrying", "result = func()"),
			frame("api.py", 466, "call_kw", "result = _call_kw_model(method, model, args, kwargs)"),
		)
	case "common":
		fr = append(fr, frame("service/common.py", 62, "dispatch", "return g[exp_method_name](*params)"))
	}
	return fr
}

// marshalFrames are the frames of a failure to marshal the result.
func marshalFrames(version int) []string {
	ctl := "addons/base/controllers/rpc.py"
	if version >= 19 {
		ctl = "addons/rpc/controllers/xmlrpc.py"
	}
	return []string{
		frame(ctl, 164, "xmlrpc_2", "response = self._xmlrpc(service)"),
		frame(ctl, 142, "_xmlrpc", "return dumps((result,))"),
		frame(ctl, 120, "dumps", "response = OdooMarshaller(allow_none=False).dumps(params)"),
		"  File \"/usr/lib/python3.12/xmlrpc/client.py\", line 510, in dumps\n    dump(v, write)\n",
		"  File \"/usr/lib/python3.12/xmlrpc/client.py\", line 532, in __dump\n    f(self, value, write)\n",
	}
}

// xmlrpcFault is how /xmlrpc/2 reports an exception (xmlrpc_handle_exception_int).
func xmlrpcFault(version int, service string, e *odooError) (int, string) {
	switch e.class.kind {
	case kindUser, kindRedirect:
		return 2, e.msg
	case kindAccess:
		return 4, e.msg
	case kindDenied:
		return 3, e.msg
	}
	return 1, traceback(version, e, xmlrpcFrames(version, service))
}

// legacyFault is how the old /xmlrpc endpoint reports an exception
// (xmlrpc_handle_exception_string): codes are strings.
func legacyFault(version int, service string, e *odooError) (string, string) {
	switch {
	case e.class.kind == kindRedirect:
		return "warning -- Warning\n\n" + e.msg, ""
	case e.class == excMissingError:
		return "warning -- MissingError\n\n" + e.msg, ""
	case e.class.kind == kindAccess:
		return "warning -- AccessError\n\n" + e.msg, ""
	case e.class.kind == kindDenied:
		return "AccessDenied", e.msg
	case e.class.kind == kindUser:
		return "warning -- UserError\n\n" + e.msg, ""
	}
	return e.msg, traceback(version, e, xmlrpcFrames(version, service))
}
