package mail_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleMail is a confirmation mail with accents in every part.
func sampleMail() dsar.Mail {
	return dsar.Mail{
		ID:        42,
		RequestID: "0195a3c2-7f00-7000-8000-000000000001",
		To:        "jerome.lefevre@example.org",
		Subject:   "Réponse à votre demande DSAR-2026-000001 : données personnelles",
		Text:      "Bonjour Jérôme,\n\nConfirmez votre adresse : https://dsar.vracoop.fr/confirm?t=abc&x=1\n\n— L'équipe VRACOOP\n",
		HTML:      "<p>Bonjour Jérôme,</p>\n<p><a href=\"https://dsar.vracoop.fr/confirm?t=abc&amp;x=1\">Confirmez votre adresse</a></p>\n",
		CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC),
	}
}

func TestBuildMessageGolden(t *testing.T) {
	msg, err := mail.BuildMessage(sampleMail(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := msg.WriteTo(&got); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "message.golden", got.Bytes())
}

// checkGolden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update if intended):\n%s", golden, got)
	}
}

func TestBuildMessageRoundTrip(t *testing.T) {
	m := sampleMail()
	msg, err := mail.BuildMessage(m, testFrom)
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if _, err := msg.WriteTo(&raw); err != nil {
		t.Fatal(err)
	}
	p, err := mail.ParseMessage(&raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"Subject", p.Subject, m.Subject},
		{"Text", p.Text, m.Text},
		{"HTML", p.HTML, m.HTML},
		{"To", p.To, "<" + m.To + ">"},
		{"Date", p.Header.Get("Date"), "Mon, 02 Mar 2026 09:00:00 +0000"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	from, err := p.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		t.Fatalf("From: %v, %v", from, err)
	}
	if got, want := from[0].Name, "VRACOOP – Protection des données"; got != want {
		t.Errorf("From name = %q, want %q", got, want)
	}
	if got, want := from[0].Address, "dpo@vracoop.fr"; got != want {
		t.Errorf("From address = %q, want %q", got, want)
	}
	if got := p.Header.Get("Message-ID"); !strings.HasPrefix(got, "<dsar-outbox-42.") || !strings.HasSuffix(got, "@vracoop.fr>") {
		t.Errorf("Message-ID = %q, want <dsar-outbox-42.<hash>@vracoop.fr>", got)
	}
}

func TestMessageID(t *testing.T) {
	id := func(m dsar.Mail) string {
		t.Helper()
		msg, err := mail.BuildMessage(m, testFrom)
		if err != nil {
			t.Fatal(err)
		}
		return msg.GetMessageID()
	}
	m := sampleMail()
	first := id(m)
	t.Run("same mail, same ID", func(t *testing.T) {
		if got := id(m); got != first {
			t.Errorf("got %s, want %s", got, first)
		}
	})
	t.Run("another installation's mail 42", func(t *testing.T) {
		other := m
		other.CreatedAt = other.CreatedAt.Add(time.Second)
		if got := id(other); got == first {
			t.Errorf("got the same ID %s", got)
		}
	})
	t.Run("body changes do not change it", func(t *testing.T) {
		other := m
		other.Text = "autre"
		if got := id(other); got != first {
			t.Errorf("got %s, want %s", got, first)
		}
	})
}

func TestBuildMessageRefuses(t *testing.T) {
	m := sampleMail()
	for _, c := range []struct {
		name      string
		mutate    func(*dsar.Mail)
		from      string
		permanent bool
	}{
		{"recipient without @", func(m *dsar.Mail) { m.To = "jerome.lefevre" }, testFrom, true},
		{"empty recipient", func(m *dsar.Mail) { m.To = "" }, testFrom, true},
		{"two recipients", func(m *dsar.Mail) { m.To = "a@example.org, b@example.org" }, testFrom, true},
		{"bad sender", func(*dsar.Mail) {}, "dpo", false},
		{"no outbox ID", func(m *dsar.Mail) { m.ID = 0 }, testFrom, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := m
			c.mutate(&m)
			_, err := mail.BuildMessage(m, c.from)
			if err == nil {
				t.Fatal("got no error")
			}
			if got := mail.Permanent(err); got != c.permanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, got, c.permanent)
			}
			if got := errors.Is(err, mail.ErrInvalidRecipient); got != c.permanent {
				t.Errorf("errors.Is(%v, ErrInvalidRecipient) = %v, want %v", err, got, c.permanent)
			}
		})
	}
}
