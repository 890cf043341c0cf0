package dsar

import "time"

// Mail is an outgoing message exactly as it will be sent. It is rendered
// when it is put in the outbox, in the same transaction as the change that
// causes it, so that no change is acknowledged without its mail and no mail
// is sent for a change that did not happen.
type Mail struct {
	ID        int64
	Kind      string // "" or MailKindMail for a mail; MailKindWebhook for a signed HTTP callback
	RequestID string // empty for mail about no particular request
	To        string
	Subject   string // carries the request's reference
	Text      string // plain-text body
	HTML      string // HTML alternative
	// Secret is the token or one-time code the mail carries, if any: once
	// the mail is sent it is cut out of the copy the outbox keeps.
	Secret    string
	CreatedAt time.Time
	Attempts  int
}

// Kinds of outbox messages. A webhook's To is the URL, its Text the JSON
// body, and its Subject the signature header's value.
const (
	MailKindMail    = "mail"
	MailKindWebhook = "webhook"
)

// RenderMail renders the mail that a change to a request causes, given the
// request and the token the mail must carry. Stores call it as part of the
// change: inside its transaction, or, for a new request, just before it is
// queued for the intake writer.
type RenderMail func(r Request, tok Token) (Mail, error)

// MailSample is one mail rendered with made-up data, for staff to preview.
type MailSample struct {
	Name string // "confirm", "ack", ...
	Mail Mail
}
