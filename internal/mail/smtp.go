package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/textproto"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/vracoop/dsar/internal/dsar"
)

// TLS modes of SMTPConfig.
const (
	TLSMandatory     = "mandatory"     // STARTTLS, required
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it
	TLSNone          = "none"          // plain text: a local relay or a test server
	TLSImplicit      = "tls"           // TLS from the first byte (port 465)
)

// defaultSMTPTimeout bounds each step of a delivery when SMTPConfig sets no
// Timeout.
const defaultSMTPTimeout = 30 * time.Second

// SMTPConfig says how to reach the SMTP server.
type SMTPConfig struct {
	Host string
	Port int // 0: 587 with STARTTLS, 465 with implicit TLS, 25 without TLS

	// TLS is TLSMandatory (the default when empty), TLSOpportunistic,
	// TLSNone or TLSImplicit.
	TLS string

	// User and Password are for SMTP AUTH, used only when User is set. The
	// best mechanism the server offers is chosen; PLAIN and LOGIN only over
	// TLS, or to a server on the loopback interface.
	User, Password string

	From     string // sender, e.g. "VRACOOP – Protection des données <dpo@vracoop.fr>"
	HeloName string // optional: the name given in EHLO (default: this host's name)
	Timeout  time.Duration
}

// SMTPSender sends mail through an SMTP server, one connection per mail.
type SMTPSender struct {
	client  *gomail.Client
	from    string
	timeout time.Duration
}

// NewSMTPSender checks cfg and returns a sender for it. It does not connect:
// a server that is down at start-up only delays the mail.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if _, err := netmail.ParseAddress(cfg.From); err != nil {
		return nil, fmt.Errorf("smtp sender address %q: %w", cfg.From, err)
	}
	opts, err := smtpOptions(cfg)
	if err != nil {
		return nil, err
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = defaultSMTPTimeout
	}
	return &SMTPSender{client: client, from: cfg.From, timeout: timeout}, nil
}

// smtpOptions turns cfg into go-mail client options.
func smtpOptions(cfg SMTPConfig) ([]gomail.Option, error) {
	if cfg.Host == "" {
		return nil, errors.New("smtp: no host")
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = defaultSMTPTimeout
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	port := cfg.Port
	auth := gomail.SMTPAuthAutoDiscover
	switch cfg.TLS {
	case TLSMandatory, "":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		port = orDefault(port, 587)
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		port = orDefault(port, 587)
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
		port = orDefault(port, 465)
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		port = orDefault(port, 25)
		if cfg.User != "" && !isLoopback(cfg.Host) {
			return nil, fmt.Errorf("smtp: refusing to send the password in clear to %s: set TLS to %q or %q", cfg.Host, TLSMandatory, TLSImplicit)
		}
		// go-mail's discovery never picks PLAIN without TLS; PLAIN itself
		// still refuses any host but a loopback one.
		auth = gomail.SMTPAuthPlain
	default:
		return nil, fmt.Errorf("smtp: unknown TLS mode %q (want %s, %s, %s or %s)", cfg.TLS, TLSMandatory, TLSOpportunistic, TLSNone, TLSImplicit)
	}
	opts = append(opts, gomail.WithPort(port))
	if cfg.HeloName != "" {
		opts = append(opts, gomail.WithHELO(cfg.HeloName))
	}
	if cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(cfg.User), gomail.WithPassword(cfg.Password))
	}
	return opts, nil
}

// orDefault returns v, or def when v is zero.
func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// isLoopback reports whether host names this machine in the way go-mail's
// PLAIN authentication recognises.
func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// Send delivers m in a connection of its own. It returns nil once the server
// has accepted the message. The acceptance is announced (see withAccepted)
// the moment the server's reply to the message's end arrives, before the
// goodbye, so that a crash in between does not send the mail again: go-mail
// dials, secures and authenticates; the transaction itself is done here,
// where that moment can be seen.
func (s *SMTPSender) Send(ctx context.Context, m dsar.Mail) error {
	msg, err := BuildMessage(m, s.from)
	if err != nil {
		return err
	}
	from, err := msg.GetSender(false)
	if err != nil {
		return fmt.Errorf("smtp: mail %d: %w", m.ID, err)
	}
	rcpts, err := msg.GetRecipients()
	if err != nil {
		return fmt.Errorf("smtp: mail %d: %w: %w", m.ID, ErrInvalidRecipient, err)
	}
	client, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("smtp: mail %d: %w", m.ID, err)
	}
	// QUIT: once the server has the message or refused it, how the
	// goodbye goes changes nothing.
	defer func() { _ = s.client.CloseWithSMTPClient(client) }()
	if err := client.UpdateDeadline(s.timeout); err != nil {
		return fmt.Errorf("smtp: mail %d: %w", m.ID, err)
	}
	if err := client.Mail(from); err != nil {
		return &StepError{Step: StepMail, Err: err}
	}
	for _, rcpt := range rcpts {
		if err := client.Rcpt(rcpt); err != nil {
			return &StepError{Step: StepRcpt, Err: err}
		}
	}
	w, err := client.Data()
	if err != nil {
		return &StepError{Step: StepData, Err: err}
	}
	if _, err := msg.WriteTo(w); err != nil {
		// Not w.Close: its final "." would let the server accept the
		// message cut where the write failed. Dropping the connection
		// mid-DATA makes the server discard it; the mail is tried again.
		client.Close()
		return &StepError{Step: StepData, Err: err}
	}
	if err := w.Close(); err != nil {
		return &StepError{Step: StepData, Err: err}
	}
	accepted(ctx)
	return nil
}

// Steps of an SMTP transaction, for StepError.
const (
	StepMail = "MAIL FROM"
	StepRcpt = "RCPT TO"
	StepData = "DATA"
)

// StepError is a failure of one step of the SMTP transaction, with the
// server's reply code when it gave one.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return "smtp " + e.Step + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// Code is the server's reply code, or 0 when the step failed without one
// (a broken connection, a timeout).
func (e *StepError) Code() int {
	var te *textproto.Error
	if errors.As(e.Err, &te) {
		return te.Code
	}
	return 0
}
