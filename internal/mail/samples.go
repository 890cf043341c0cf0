package mail

import (
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// Samples renders every mail the portal sends, in lang, with made-up data,
// so that staff can read them before people do.
func (c *Composer) Samples(lang string) ([]dsar.MailSample, error) {
	at := time.Date(2026, 3, 31, 8, 30, 0, 0, time.UTC)
	r := dsar.NewRequest("00000000-0000-0000-0000-000000000000", dsar.Submission{
		Name: "Camille Exemple", Email: "camille@exemple.fr", Relationship: dsar.RelCustomer, Lang: lang,
		Kinds: []dsar.Kind{dsar.KindAccess, dsar.KindErasure},
	}, dsar.ChannelWeb, at)
	r.Ref = "DSAR-2026-000000"
	r.Clock = dsar.StartClock(at)
	tok := dsar.Token{Plain: "exemple-de-jeton-exemple-de-jeton-exemple00", ExpiresAt: at.Add(7 * 24 * time.Hour)}
	extended := r
	extended.Clock.Extended, extended.ExtensionReason = true, "Vos données sont réparties dans plusieurs logiciels."
	denied := r
	denied.DenialGround, denied.DenialReason = dsar.GroundExcessive, "Troisième demande identique en un mois."
	plan := &dsar.Plan{State: dsar.PlanExecuted, Steps: []dsar.Step{
		{Kind: dsar.StepDelete, Display: "Projet d'épicerie vrac", State: dsar.StepDone},
		{Kind: dsar.StepKeep, Display: "FAC/2025/00042", Until: dsar.NewDate(2035, 6, 30),
			Reason: dsar.Text{FR: "Code de commerce, art. L123-22", EN: "French Commercial Code, Art. L123-22"}, State: dsar.StepDone},
	}}
	shop := dsar.Shop{Name: "Vrac & Co Bayonne", Town: "Bayonne", PrivacyEmail: "contact@vracetco.example.fr", Lang: lang}
	q := dsar.QueueItem{ID: r.ID, Ref: r.Ref, Status: dsar.StatusInProgress, Kinds: r.Kinds, Due: r.Clock.Due()}
	staff := []dsar.Staff{{Name: "Claire Martin", Email: "claire@vracoop.fr"}}

	var out []dsar.MailSample
	add := func(name string, m dsar.Mail, err error) error {
		if err == nil {
			out = append(out, dsar.MailSample{Name: name, Mail: m})
		}
		return err
	}
	steps := []func() error{
		func() error { m, err := c.Confirmation(r, tok); return add("confirm", m, err) },
		func() error { m, err := c.Acknowledgment(r, tok); return add("ack", m, err) },
		func() error {
			m, err := c.InfoRequest(r, "Pouvez-vous nous indiquer votre numéro de client ?")
			return add("info", m, err)
		},
		func() error { m, err := c.ExtensionNotice(extended); return add("extend", m, err) },
		func() error { m, err := c.Denial(denied); return add("deny", m, err) },
		func() error { m, err := c.Outcome(r, plan); return add("outcome", m, err) },
		func() error {
			t := tok
			t.ExpiresAt = at.Add(30 * 24 * time.Hour)
			m, err := c.PackageReady(r, t)
			return add("package", m, err)
		},
		func() error { m, err := c.Code(r, "042917"); return add("code", m, err) },
		func() error { m, err := c.Forwarded(r, shop); return add("forwarded", m, err) },
		func() error {
			m, err := c.ShopMail("forward", shop, r, dsar.Case{ShopDue: r.Clock.Due()}, tok, "")
			return add("shop", m, err)
		},
		func() error {
			ms, err := c.Reminders(q, dsar.ReminderWeek, staff)
			if err != nil {
				return err
			}
			return add("reminder", ms[0], nil)
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
