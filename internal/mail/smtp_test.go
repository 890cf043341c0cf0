package mail_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/mail/smtptest"
)

func TestNewSMTPSenderRefuses(t *testing.T) {
	valid := mail.SMTPConfig{Host: "smtp.example.org", TLS: mail.TLSMandatory, From: testFrom}
	for _, c := range []struct {
		name   string
		mutate func(*mail.SMTPConfig)
	}{
		{"no host", func(c *mail.SMTPConfig) { c.Host = "" }},
		{"no sender", func(c *mail.SMTPConfig) { c.From = "" }},
		{"bad sender", func(c *mail.SMTPConfig) { c.From = "dpo at vracoop.fr" }},
		{"unknown TLS mode", func(c *mail.SMTPConfig) { c.TLS = "starttls" }},
		{"bad port", func(c *mail.SMTPConfig) { c.Port = 70000 }},
		{"password in clear to another host", func(c *mail.SMTPConfig) { c.TLS, c.User, c.Password = mail.TLSNone, "dsar", "secret" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := valid
			c.mutate(&cfg)
			if _, err := mail.NewSMTPSender(cfg); err == nil {
				t.Error("got no error")
			}
		})
	}
	for _, mode := range []string{"", mail.TLSMandatory, mail.TLSOpportunistic, mail.TLSNone, mail.TLSImplicit} {
		t.Run("accepts TLS "+mode, func(t *testing.T) {
			cfg := valid
			cfg.TLS, cfg.User, cfg.Password = mode, "dsar", "secret"
			if mode == mail.TLSNone {
				cfg.Host = "localhost"
			}
			if _, err := mail.NewSMTPSender(cfg); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestSMTPSenderAuth(t *testing.T) {
	srv := smtptest.Start(t)
	s, err := mail.NewSMTPSender(mail.SMTPConfig{
		Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone,
		User: "dsar", Password: "secret", From: testFrom, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sampleMail()); err != nil {
		t.Fatal(err)
	}
	if got := srv.Wait(t, 1, 5*time.Second)[0].User; got != "dsar" {
		t.Errorf("logged in as %q, want dsar", got)
	}
}

// TestPermanent classifies the errors that real deliveries return.
func TestPermanent(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSMTPSender(t, srv)
	send := func() error { return s.Send(context.Background(), sampleMail()) }

	t.Run("accepted", func(t *testing.T) {
		if err := send(); err != nil {
			t.Fatal(err)
		}
	})
	for _, c := range []struct {
		code      int
		permanent bool
	}{{450, false}, {451, false}, {421, false}, {550, true}, {553, true}} {
		t.Run("RCPT "+strconv.Itoa(c.code), func(t *testing.T) {
			srv.FailRecipients(c.code)
			defer srv.FailRecipients(0)
			err := send()
			if err == nil {
				t.Fatal("got no error")
			}
			if got := mail.Permanent(err); got != c.permanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, got, c.permanent)
			}
		})
	}
	t.Run("server down", func(t *testing.T) {
		srv.Stop()
		defer srv.Restart(t)
		err := send()
		if err == nil || mail.Permanent(err) {
			t.Errorf("Permanent(%v) = true, want false", err)
		}
	})
	t.Run("server that does not answer", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		addr := l.Addr().(*net.TCPAddr)
		slow, err := mail.NewSMTPSender(mail.SMTPConfig{
			Host: "127.0.0.1", Port: addr.Port, TLS: mail.TLSNone, From: testFrom, Timeout: 200 * time.Millisecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		err = slow.Send(context.Background(), sampleMail())
		var ne net.Error
		if err == nil || mail.Permanent(err) || !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("Send = %v, want a temporary timeout", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := s.Send(ctx, sampleMail())
		if err == nil || mail.Permanent(err) || !strings.Contains(err.Error(), "canceled") {
			t.Errorf("Send = %v, want a temporary cancellation", err)
		}
	})
}
