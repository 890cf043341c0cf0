package mail_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
)

// sampleRequest is a confirmed request with fixed values, so that rendered
// mails are byte-for-byte stable.
func sampleRequest(lang string) dsar.Request {
	created := time.Date(2026, 3, 31, 21, 30, 0, 0, time.UTC) // 23:30 in Paris
	r := dsar.NewRequest("0b7e4c1e-2f8a-4a39-9a51-6a0d1f7c2e10", dsar.Submission{
		Name: "Jeanne <b>Dupont</b>", Email: "jeanne@example.fr", Relationship: dsar.RelCustomer,
		Kinds: []dsar.Kind{dsar.KindAccess, dsar.KindErasure}, Lang: lang,
	}, dsar.ChannelWeb, created)
	r.Ref = "DSAR-2026-000042"
	r.Clock = dsar.StartClock(created)
	return r
}

func sampleToken(purpose dsar.TokenPurpose) dsar.Token {
	return dsar.Token{Plain: strings.Repeat("T", 43), Purpose: purpose,
		ExpiresAt: time.Date(2026, 4, 7, 21, 30, 0, 0, time.UTC)}
}

// TestComposedMailsGolden pins every mail in both languages: subject, text
// and HTML, as the outbox will hold them.
func TestComposedMailsGolden(t *testing.T) {
	c, err := mail.NewComposer("https://dsar.vracoop.fr/")
	if err != nil {
		t.Fatal(err)
	}
	mails := []struct {
		name   string
		render func(dsar.Request, dsar.Token) (dsar.Mail, error)
		token  dsar.TokenPurpose
	}{
		{"confirm", c.Confirmation, dsar.TokenConfirm},
		{"ack", c.Acknowledgment, dsar.TokenStatus},
		{"info", func(r dsar.Request, _ dsar.Token) (dsar.Mail, error) {
			return c.InfoRequest(r, "Pouvez-vous nous indiquer votre numéro de client ?\nIl figure sur vos factures.")
		}, ""},
		{"extend", func(r dsar.Request, _ dsar.Token) (dsar.Mail, error) {
			r.Clock.Extended, r.ExtensionReason = true, "Vos données sont réparties dans 4 instances Odoo <à vérifier>."
			return c.ExtensionNotice(r)
		}, ""},
		{"package", func(r dsar.Request, tok dsar.Token) (dsar.Mail, error) { return c.PackageReady(r, tok) }, dsar.TokenDownload},
		{"code", func(r dsar.Request, _ dsar.Token) (dsar.Mail, error) { return c.Code(r, "042917") }, ""},
		{"deny", func(r dsar.Request, _ dsar.Token) (dsar.Mail, error) {
			r.DenialGround, r.DenialReason = dsar.GroundExcessive, "Troisième demande identique en un mois."
			return c.Denial(r)
		}, ""},
	}
	for _, m := range mails {
		for _, lang := range []string{"fr", "en"} {
			t.Run(m.name+"_"+lang, func(t *testing.T) {
				r := sampleRequest(lang)
				got, err := m.render(r, sampleToken(m.token))
				if err != nil {
					t.Fatal(err)
				}
				if got.To != r.Email || got.RequestID != r.ID || !strings.Contains(got.Subject, r.Ref) {
					t.Errorf("mail header fields: to %q, request %q, subject %q", got.To, got.RequestID, got.Subject)
				}
				if strings.Contains(got.HTML, "<b>Dupont</b>") {
					t.Errorf("the name is not escaped in HTML")
				}
				out := fmt.Sprintf("Subject: %s\n\n--- text ---\n%s\n--- html ---\n%s\n", got.Subject, got.Text, got.HTML)
				checkGolden(t, m.name+"_"+lang+".golden", []byte(out))
			})
		}
	}
}

func TestReminderGolden(t *testing.T) {
	c, err := mail.NewComposer("https://dsar.vracoop.fr")
	if err != nil {
		t.Fatal(err)
	}
	q := dsar.QueueItem{ID: "id", Ref: "DSAR-2026-000042", Status: dsar.StatusInProgress,
		Kinds: []dsar.Kind{dsar.KindErasure}, Due: dsar.NewDate(2026, 4, 30)}
	to := []dsar.Staff{{Name: "Claire Martin", Email: "claire@vracoop.fr"}, {Name: "Paul", Email: "paul@vracoop.fr"}}
	for _, kind := range []string{dsar.ReminderWeek, dsar.ReminderOverdue} {
		t.Run(kind, func(t *testing.T) {
			mails, err := c.Reminders(q, kind, to)
			if err != nil {
				t.Fatal(err)
			}
			if len(mails) != 2 || mails[0].To != "claire@vracoop.fr" || mails[1].To != "paul@vracoop.fr" {
				t.Fatalf("mails: %+v", mails)
			}
			m := mails[0]
			out := fmt.Sprintf("Subject: %s\n\n--- text ---\n%s\n--- html ---\n%s\n", m.Subject, m.Text, m.HTML)
			checkGolden(t, "reminder_"+kind+".golden", []byte(out))
		})
	}
}

// samplePlan is an executed plan for every right but access.
func samplePlan() *dsar.Plan {
	return &dsar.Plan{State: dsar.PlanExecuted, Steps: []dsar.Step{
		{Kind: dsar.StepDelete, Display: "Ouverture d'une épicerie vrac à Anglet", State: dsar.StepDone},
		{Kind: dsar.StepAnonymise, Display: "Camille Durand", Archive: true, Values: map[string]string{"name": "Anonymisé"}, State: dsar.StepDone},
		{Kind: dsar.StepAnonymise, Display: "Épicerie Vrac & Co, Camille Durand", Kept: []string{"name", "street"}, Until: dsar.NewDate(2034, 9, 13),
			Reason: dsar.Text{FR: "Code de commerce, art. L123-22", EN: "French Commercial Code, Art. L123-22"}, State: dsar.StepDone},
		{Kind: dsar.StepKeep, Display: "INV/2024/00002", Until: dsar.NewDate(2034, 9, 13),
			Reason: dsar.Text{FR: "Code de commerce, art. L123-22", EN: "French Commercial Code, Art. L123-22"}, State: dsar.StepDone},
		{Kind: dsar.StepRectify, Display: "Camille Durand", Values: map[string]string{"city": "Biarritz"}, State: dsar.StepDone},
		{Kind: dsar.StepOptOut, Display: "c***@e***.fr", State: dsar.StepDone},
		{Kind: dsar.StepNote, Display: "Camille Durand", Values: map[string]string{"body": "DSAR : limitation du traitement demandée (RGPD, art. 18)."}, State: dsar.StepDone},
	}}
}

func TestOutcomeGolden(t *testing.T) {
	c, err := mail.NewComposer("https://dsar.vracoop.fr")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			r := sampleRequest(lang)
			r.Kinds = []dsar.Kind{dsar.KindErasure, dsar.KindRectification, dsar.KindRestriction, dsar.KindObjection}
			m, err := c.Outcome(r, samplePlan())
			if err != nil {
				t.Fatal(err)
			}
			out := fmt.Sprintf("Subject: %s\n\n--- text ---\n%s\n--- html ---\n%s\n", m.Subject, m.Text, m.HTML)
			checkGolden(t, "outcome_"+lang+".golden", []byte(out))
		})
	}
	t.Run("nothing found", func(t *testing.T) {
		r := sampleRequest("fr")
		m, err := c.Outcome(r, nil)
		if err != nil || !strings.Contains(m.Text, "Nous n'avons trouvé aucune donnée") {
			t.Errorf("no plan: %v\n%s", err, m.Text)
		}
	})
}

func TestShopMailsGolden(t *testing.T) {
	c, err := mail.NewComposer("https://dsar.vracoop.fr")
	if err != nil {
		t.Fatal(err)
	}
	shop := dsar.Shop{Name: "Vrac & Co Bayonne", Town: "Bayonne", PrivacyEmail: "contact@vracetco.example.fr"}
	for _, lang := range []string{"fr", "en"} {
		shop.Lang = lang
		r := sampleRequest(lang)
		cs := dsar.Case{ShopDue: dsar.NewDate(2026, 4, 30)}
		for _, kind := range []string{"forward", "reminder", "done"} {
			m, err := c.ShopMail(kind, shop, r, cs, sampleToken(dsar.TokenConfirm), "effacement dans votre logiciel")
			if err != nil || m.To != shop.PrivacyEmail {
				t.Fatalf("%s: %v %s", kind, err, m.To)
			}
			checkGolden(t, "shop_"+kind+"_"+lang+".golden", []byte(fmt.Sprintf("Subject: %s\n\n%s\n--- html ---\n%s", m.Subject, m.Text, m.HTML)))
		}
		m, err := c.Forwarded(r, shop)
		if err != nil || m.To != r.Email {
			t.Fatal(err)
		}
		checkGolden(t, "forwarded_"+lang+".golden", []byte(fmt.Sprintf("Subject: %s\n\n%s\n--- html ---\n%s", m.Subject, m.Text, m.HTML)))
	}
}

// TestFooterSaysHowTheRequestCame: only a request made on the portal was
// "confirmed" there; one entered by staff or sent by a shop says so.
func TestFooterSaysHowTheRequestCame(t *testing.T) {
	c, err := mail.NewComposer("https://dsar.vracoop.fr")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		channel  dsar.Channel
		lang     string
		want     string
		confirmd string
	}{
		{dsar.ChannelWeb, "fr", "vous avez confirmé une demande", ""},
		{dsar.ChannelEmail, "fr", "vous avez adressé à VRACOOP une demande", "confirmé"},
		{dsar.ChannelPhone, "en", "you sent VRACOOP a personal data request", "confirmed"},
		{dsar.ChannelAPI, "fr", "auprès d'un magasin client de VRACOOP", "confirmé"},
		{dsar.ChannelAPI, "en", "to a shop that uses VRACOOP's software", "confirmed"},
	} {
		r := sampleRequest(tc.lang)
		r.Channel = tc.channel
		m, err := c.Acknowledgment(r, sampleToken(dsar.TokenStatus))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Text, tc.want) {
			t.Errorf("%s/%s: footer lacks %q:\n%s", tc.channel, tc.lang, tc.want, m.Text)
		}
		if tc.confirmd != "" && strings.Contains(m.Text, tc.confirmd) {
			t.Errorf("%s/%s: the mail says %q", tc.channel, tc.lang, tc.confirmd)
		}
	}
}

// TestMailsMarkTheirSecret: every mail that carries a working token or a
// one-time code says which, so that the outbox can cut it out of its copy
// once the mail is sent; the others carry none.
func TestMailsMarkTheirSecret(t *testing.T) {
	c, err := mail.NewComposer("https://dsar.vracoop.fr")
	if err != nil {
		t.Fatal(err)
	}
	r := sampleRequest("fr")
	tok := sampleToken(dsar.TokenStatus)
	shop := dsar.Shop{Name: "Vrac & Co", Town: "Bayonne", PrivacyEmail: "contact@vracetco.example.fr", Lang: "fr"}
	cs := dsar.Case{ShopDue: dsar.NewDate(2026, 4, 30)}
	for _, tt := range []struct {
		name   string
		render func() (dsar.Mail, error)
		secret string
	}{
		{"confirm", func() (dsar.Mail, error) { return c.Confirmation(r, tok) }, tok.Plain},
		{"ack", func() (dsar.Mail, error) { return c.Acknowledgment(r, tok) }, tok.Plain},
		{"package", func() (dsar.Mail, error) { return c.PackageReady(r, tok) }, tok.Plain},
		{"code", func() (dsar.Mail, error) { return c.Code(r, "042917") }, "042917"},
		{"shop forward", func() (dsar.Mail, error) { return c.ShopMail("forward", shop, r, cs, tok, "") }, tok.Plain},
		{"shop reminder", func() (dsar.Mail, error) { return c.ShopMail("reminder", shop, r, cs, tok, "") }, tok.Plain},
		{"info", func() (dsar.Mail, error) { return c.InfoRequest(r, "?") }, ""},
		{"deny", func() (dsar.Mail, error) { return c.Denial(r) }, ""},
		{"forwarded", func() (dsar.Mail, error) { return c.Forwarded(r, shop) }, ""},
	} {
		m, err := tt.render()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if m.Secret != tt.secret {
			t.Errorf("%s: secret %q, want %q", tt.name, m.Secret, tt.secret)
		}
		if tt.secret != "" && (!strings.Contains(m.Text, tt.secret) || !strings.Contains(m.HTML, tt.secret)) {
			t.Errorf("%s: the secret is not in both bodies", tt.name)
		}
		if tt.secret == "" && (strings.Contains(m.Text, tok.Plain) || strings.Contains(m.HTML, tok.Plain)) {
			t.Errorf("%s: carries the token without saying so", tt.name)
		}
	}
}

// TestConfirmationTakesItsReferenceLate: the confirmation mail is rendered
// before its request is numbered, with a stand-in that the number replaces
// (dsar.RefStandIn); the result must be the mail rendered with the number.
func TestConfirmationTakesItsReferenceLate(t *testing.T) {
	c, err := mail.NewComposer("https://dsar.vracoop.fr")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		r := sampleRequest(lang)
		tok := sampleToken(dsar.TokenConfirm)
		want, err := c.Confirmation(r, tok)
		if err != nil {
			t.Fatal(err)
		}
		ref, standIn := r.Ref, dsar.RefStandIn()
		r.Ref = standIn
		early, err := c.Confirmation(r, tok)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(early.Subject, standIn) || !strings.Contains(early.Text, standIn) || !strings.Contains(early.HTML, standIn) {
			t.Errorf("%s: the stand-in is not in every part of the mail", lang)
		}
		if got := early.WithRef(standIn, ref); got != want {
			t.Errorf("%s: rendered early then numbered:\n%+v\nwant\n%+v", lang, got, want)
		}
	}
}
