package odoo

import (
	"errors"
	"fmt"
	"strings"
)

// The kinds of failure the connector tells apart. Test with errors.Is.
var (
	// ErrAccessDenied: the login or API key was refused.
	ErrAccessDenied = errors.New("odoo: access denied")
	// ErrLoginCooldown: Odoo refuses logins from this address for a while
	// after too many failures.
	ErrLoginCooldown = errors.New("odoo: too many login failures, cooldown")
	// ErrAccess: the integration user lacks the rights on a model or record.
	ErrAccess = errors.New("odoo: access error")
	// ErrModelMissing: the model is not installed on this instance.
	ErrModelMissing = errors.New("odoo: model not installed")
	// ErrInvalidField: a field does not exist on the model (in this version).
	ErrInvalidField = errors.New("odoo: invalid field")
	// ErrUnknownMethod: the method does not exist or is private.
	ErrUnknownMethod = errors.New("odoo: unknown method")
	// ErrUser: Odoo refused the operation (UserError, ValidationError,
	// MissingError), with a message meant for people.
	ErrUser = errors.New("odoo: refused by Odoo")
	// ErrUnavailable: Odoo could not be reached or answered with a server
	// error; a later retry may succeed.
	ErrUnavailable = errors.New("odoo: unavailable")
)

// Error is a failure of one call, with Odoo's own message kept.
type Error struct {
	Kind     error  // one of the Err* values above, or nil for other faults
	Instance string // the instance's name
	Model    string
	Method   string
	Code     int    // XML-RPC fault code, or HTTP status for JSON-2
	Message  string // Odoo's message (the last line of a traceback)
	Err      error  // the underlying transport error, if any
}

func (e *Error) Error() string {
	where := e.Instance
	if e.Model != "" {
		where += " " + e.Model + "." + e.Method
	}
	if e.Err != nil {
		return fmt.Sprintf("odoo %s: %s: %v", where, kindName(e.Kind), e.Err)
	}
	return fmt.Sprintf("odoo %s: %s (code %d): %s", where, kindName(e.Kind), e.Code, e.Message)
}

// Unwrap lets errors.Is match the kind and the transport error.
func (e *Error) Unwrap() []error {
	var out []error
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

func kindName(k error) string {
	if k == nil {
		return "fault"
	}
	return strings.TrimPrefix(k.Error(), "odoo: ")
}

// Retryable reports whether a later attempt of the same call may succeed:
// Odoo was unreachable, overloaded, or in its login cooldown.
func Retryable(err error) bool {
	return errors.Is(err, ErrUnavailable) || errors.Is(err, ErrLoginCooldown)
}

// classifyFault maps an XML-RPC fault to a kind, as Odoo's
// xmlrpc_handle_exception_int produces them.
func classifyFault(code int, s string) (kind error, msg string) {
	msg = strings.TrimSpace(s)
	if code == 1 { // a traceback: its last line holds the exception
		msg = lastLine(s)
	}
	switch {
	case code == 0 && msg == "":
		// Not an answer Odoo gives: something between us broke it.
		return ErrUnavailable, "empty fault: the answer is not Odoo's"
	case code == 3 && strings.Contains(s, "Too many login failures"):
		return ErrLoginCooldown, msg
	case code == 3:
		return ErrAccessDenied, msg
	case code == 4 && strings.HasPrefix(s, "Private methods"):
		return ErrUnknownMethod, msg
	case code == 4:
		return ErrAccess, msg
	case code == 2 && strings.HasPrefix(s, "Object ") && strings.HasSuffix(strings.TrimSpace(s), "doesn't exist"):
		return ErrModelMissing, msg
	case code == 2:
		return ErrUser, msg
	case strings.Contains(s, "Invalid field"):
		return ErrInvalidField, msg
	case strings.Contains(s, "does not exist") && strings.Contains(s, "method"),
		strings.Contains(s, "AttributeError") && strings.Contains(s, "has no attribute"):
		return ErrUnknownMethod, msg
	}
	return nil, msg
}

// lastLine returns the last non-empty line of a traceback: the exception
// and its message.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return ""
}
