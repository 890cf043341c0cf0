package mail

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vracoop/dsar/internal/dsar"
)

// BuildMessage builds the RFC 5322 message for an outbox mail, sent from the
// address from (which may carry a display name). The SMTP and file senders
// both use it, so that the file mailbox shows exactly what SMTP would send.
//
// The message is a function of the mail alone: its Date is when the mail was
// put in the outbox, and its Message-ID and MIME boundary are derived from
// the outbox ID. A re-send after a crash (the server accepted the mail but
// the worker died before recording it) is then the same message, byte for
// byte, and a receiver can recognise the duplicate.
func BuildMessage(m dsar.Mail, from string) (*gomail.Msg, error) {
	if m.ID <= 0 {
		return nil, errors.New("build mail: no outbox ID")
	}
	sender, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("build mail %d: sender address: %w", m.ID, err)
	}
	rcpt, err := netmail.ParseAddress(m.To)
	if err != nil {
		// The parser's message is kept, not the address: it ends up in the
		// log and in the outbox row, which outlive the request.
		return nil, fmt.Errorf("build mail %d: %w: %s", m.ID, ErrInvalidRecipient, reason(err))
	}
	domain := domainOf(sender.Address)
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%s",
		m.ID, m.CreatedAt.UTC().Format(time.RFC3339Nano), domain))

	// The boundary holds 128 bits of the hash: the content cannot contain it
	// by chance, and nobody writing a form knows it in advance.
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(),
		gomail.WithBoundary("dsar-"+hex.EncodeToString(sum[8:24])))
	msg.FromMailAddress(sender)
	msg.ToMailAddress(rcpt)
	msg.Subject(m.Subject)
	date := m.CreatedAt
	if date.IsZero() {
		date = time.Now()
	}
	msg.SetDateWithValue(date)
	msg.SetMessageIDWithValue(fmt.Sprintf("dsar-outbox-%d.%s@%s", m.ID, hex.EncodeToString(sum[:8]), domain))
	// Out-of-office replies to an automatic message only add noise to the
	// DPO's mailbox (RFC 3834).
	msg.SetGenHeader("Auto-Submitted", "auto-generated")

	switch {
	case m.HTML == "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	case m.Text == "":
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// domainOf returns the domain of an address, in lower case.
func domainOf(addr string) string {
	return strings.ToLower(addr[strings.LastIndexByte(addr, '@')+1:])
}
