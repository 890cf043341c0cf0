package dsar

import (
	"errors"
	"fmt"
)

// Error codes, mapped to HTTP statuses by the web layer.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EINTERNAL     = "internal"
)

// Error is an error whose Message is safe to show to a user. Any other
// error is internal: users see a generic sentence and the log has the detail.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("dsar error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err, or a generic sentence
// for an internal error.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// EUNAVAILABLE says a dependency (the database) cannot take the operation
// for now; the person is asked to try again later.
const EUNAVAILABLE = "unavailable"

// ErrUnavailable is wrapped by errors that a retry later may cure.
var ErrUnavailable = &Error{Code: EUNAVAILABLE, Message: "The service is temporarily unavailable."}
