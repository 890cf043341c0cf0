// Package mail composes and sends the mail of dsar. Composer renders each
// message from its templates, in the person's language, when it is put in
// the outbox; the rest sends what the outbox holds: it builds each
// dsar.Mail as one RFC 5322 message (plain text with an HTML alternative),
// hands it to an SMTP server or, without one, writes it to a directory, and
// runs the worker that drains the outbox, retrying temporary failures and
// keeping permanent ones for staff to see.
package mail

import (
	"context"
	"errors"
	"regexp"
	"unicode/utf8"

	"github.com/vracoop/dsar/internal/dsar"
)

// Sender delivers one mail. It returns nil only once the mail has been
// accepted (by the SMTP server, or written durably to disk).
type Sender interface {
	Send(ctx context.Context, m dsar.Mail) error
}

// ErrInvalidRecipient is wrapped by the error for a mail whose recipient is
// not a valid address: no retry can fix it.
var ErrInvalidRecipient = errors.New("invalid recipient address")

// Permanent reports whether retrying the delivery that failed with err cannot
// succeed: the server refused the recipient or the content with a 5xx reply,
// or the recipient address is invalid.
//
// Everything else is temporary, so that a message is never dropped for a
// problem that may pass or that is ours to fix: no connection, timeouts, TLS
// or authentication failures, 4xx replies, and any 5xx reply to MAIL FROM
// (it concerns our sender address or our credentials, so it would fail every
// message alike until the configuration is fixed). A webhook's failure is
// permanent when the receiver answered 3xx or 4xx other than 408 and 429
// (webhook.go).
func Permanent(err error) bool {
	if errors.Is(err, ErrInvalidRecipient) {
		return true
	}
	if we, ok := webhookFailure(err); ok {
		return we.permanent
	}
	if st, ok := stepError(err); ok {
		code := st.Code()
		return st.Step != StepMail && code >= 500 && code <= 599
	}
	return false
}

// concernsMessage reports whether err is about this one message rather than
// the connection: the server answered its RCPT or DATA with a 4xx or 5xx
// reply (other than 421, which closes the connection), or it is malformed.
// After any other failure the next message would fail alike, so the worker
// stops the pass instead of hammering a server that is down.
func concernsMessage(err error) bool {
	if errors.Is(err, ErrInvalidRecipient) {
		return true
	}
	if _, ok := webhookFailure(err); ok {
		return true // one receiver's failure says nothing of the others
	}
	if st, ok := stepError(err); ok {
		code := st.Code()
		return st.Step != StepMail && code >= 400 && code <= 599 && code != 421
	}
	return false
}

// stepError finds the failed step of our own SMTP transaction in err's tree.
func stepError(err error) (*StepError, bool) {
	var st *StepError
	if errors.As(err, &st) && st != nil {
		return st, true
	}
	return nil, false
}

// addressLike matches anything that looks like an email address or a
// Message-ID (which holds an @ too), with its angle brackets if any.
var addressLike = regexp.MustCompile(`<?[^\s<>()\[\]",;:]+@[^\s<>()\[\]",;:]+>?`)

// maxReason bounds the failure reason stored with a mail.
const maxReason = 500

// reason returns err's text for the log and the outbox without any email
// address: servers often repeat the recipient's address in their replies.
func reason(err error) string {
	s := addressLike.ReplaceAllString(err.Error(), "<redacted>")
	if len(s) > maxReason {
		n := maxReason
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n]
	}
	return s
}
