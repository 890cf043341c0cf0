package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

func newTestComposer(t testing.TB) *Composer {
	t.Helper()
	c, err := NewComposer("https://dsar.vracoop.fr/")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func confirmCase(name, lang string, mask int, token string, expires time.Time) (dsar.Request, dsar.Token) {
	r := dsar.Request{ID: "0b7e4c1e-2f8a-4a39-9a51-6a0d1f7c2e10", Ref: dsar.RefStandIn(), Name: name,
		Email: "jeanne@example.fr", Lang: lang, Channel: dsar.ChannelWeb, Kinds: dsar.KindsOfMask(mask)}
	return r, dsar.Token{Plain: token, Purpose: dsar.TokenConfirm, ExpiresAt: expires}
}

// rendered is the confirmation rendered by its templates, never from the
// pieces.
func rendered(c *Composer, r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
	vals, _ := confirmationValues(r, tok, langOf(r))
	return c.renderConfirmation(r, &vals)
}

// samePrerendered fails t unless the confirmation put together from its
// pieces is the one its templates render, byte for byte.
func samePrerendered(t *testing.T, c *Composer, r dsar.Request, tok dsar.Token) (fast bool) {
	t.Helper()
	got, err := c.Confirmation(r, tok)
	if err != nil {
		t.Fatal(err)
	}
	want, err := rendered(c, r, tok)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("name %q, lang %q, kinds %v, token %q:\nprerendered %+v\nrendered    %+v", r.Name, r.Lang, r.Kinds, tok.Plain, got, want)
	}
	_, fast = confirmationValues(r, tok, langOf(r))
	return fast
}

// TestConfirmationPrerendered: a confirmation is the same whether it is put
// together from the prerendered pieces or rendered, and the pieces are used
// for everyday names, in both languages.
func TestConfirmationPrerendered(t *testing.T) {
	c := newTestComposer(t)
	fresh, err := dsar.NewToken("", dsar.TokenConfirm, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	token := fresh.Plain
	summer := time.Date(2026, 7, 14, 9, 5, 0, 0, time.UTC)
	winter := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, lang string
		mask       int
		fast       bool
	}{
		{"Camille Durand", "fr", 1, true},
		{"Camille Durand", "en", 1 | 2 | 4, true},
		{"Zoé Lefèvre-Saint-Éloi", "fr", 63, true},
		{"Łukasz Żółć 李雷", "en", 32, true},
		{"Jean-Marie O'Neil", "fr", 2, false},
		{"Jeanne <b>Dupont</b>", "fr", 1, false},
		{"A & B", "en", 1, false},
		{"A+B", "en", 1, false},
		{"A<B", "fr", 1, false},
		{"A>B", "fr", 1, false},
		{`Say "hi"`, "en", 1, false},
		{"Vraiment ?", "fr", 1, false},
		{"Vraiment !", "fr", 1, false},
		{"Note : oui", "fr", 1, false},
		{"Note ; oui", "fr", 1, false},
		{"Vraiment ?", "en", 1, true},
		{"« Camille »", "fr", 1, false},
		{" Camille", "fr", 1, false},
		{"Camille ", "en", 1, false},
		{"", "fr", 1, false},
		{"Ca\x00mille", "fr", 1, false},
		{"Ca\xffmille", "en", 1, false},
		{"Camille", "", 1, true},   // no language: French
		{"Camille", "de", 1, true}, // unknown language: French
	} {
		for _, at := range []time.Time{summer, winter} {
			r, tok := confirmCase(tc.name, tc.lang, tc.mask, token, at)
			if fast := samePrerendered(t, c, r, tok); fast != tc.fast {
				t.Errorf("name %q, lang %q: pieces used %v, want %v", tc.name, tc.lang, fast, tc.fast)
			}
		}
	}
	// English times carry a colon and brackets, which English keeps as
	// they are: the pieces serve them.
	r, tok := confirmCase("Camille", "en", 1, token, summer)
	if _, fast := confirmationValues(r, tok, i18n.EN); !fast {
		t.Error("an English confirmation is rendered in full")
	}
	// A token that is not base64url is rendered in full.
	r, tok = confirmCase("Camille", "fr", 1, "a/b?c=d", summer)
	if samePrerendered(t, c, r, tok) {
		t.Error("a token with URL characters went in a hole")
	}
}

// FuzzConfirmationPrerendered: whatever the name, language, rights, token
// and expiry, the prerendered confirmation is the rendered one.
func FuzzConfirmationPrerendered(f *testing.F) {
	c := newTestComposer(f)
	f.Add("Camille Durand", "fr", 3, strings.Repeat("T", 43), int64(1_790_000_000))
	f.Add("Jean-Marie O'Neil", "en", 63, "abc-DEF_123", int64(0))
	f.Add("« x » : y ; z !", "fr", 1, "a/b", int64(1_800_000_000))
	f.Fuzz(func(t *testing.T, name, lang string, mask int, token string, unix int64) {
		if unix < 0 || unix > 1<<40 {
			t.Skip()
		}
		r, tok := confirmCase(name, lang, mask&63, token, time.Unix(unix, 0))
		samePrerendered(t, c, r, tok)
	})
}

// BenchmarkConfirmation compares the confirmation put together from its
// pieces with the same mail rendered by its templates.
func BenchmarkConfirmation(b *testing.B) {
	c := newTestComposer(b)
	r, tok := confirmCase("Camille Durand", "fr", 3, strings.Repeat("T", 43), time.Now())
	b.Run("prerendered", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Confirmation(r, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rendered", func(b *testing.B) {
		for b.Loop() {
			if _, err := rendered(c, r, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}
