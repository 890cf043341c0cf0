package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
	"github.com/vracoop/dsar/templates"
)

// Composer renders the mails sent to people, in their language, with a
// plain-text body and an HTML alternative. Templates are parsed once, at
// start, so a missing one fails there and not when a person is waiting.
type Composer struct {
	BaseURL string // public URL of the portal, without trailing slash
	html    map[string]*htmltemplate.Template
	text    map[string]*texttemplate.Template
	confirm map[i18n.Lang]prerendered // the confirmation, with holes (prerender.go)
}

// mailNames lists every mail template pair under templates/mail.
var mailNames = []string{"confirm", "ack", "info", "extend", "deny", "reminder", "outcome", "package", "code", "shop", "forwarded"}

// NewComposer parses the mail templates.
func NewComposer(baseURL string) (*Composer, error) {
	c := &Composer{BaseURL: strings.TrimRight(baseURL, "/"),
		html: map[string]*htmltemplate.Template{}, text: map[string]*texttemplate.Template{}}
	for _, name := range mailNames {
		h, err := htmltemplate.New("layout").Funcs(i18n.Funcs()).
			ParseFS(templates.FS, "mail/layout.html", "mail/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse mail template %s: %w", name, err)
		}
		t, err := texttemplate.New(name+".txt").Funcs(i18n.Funcs()).ParseFS(templates.FS, "mail/"+name+".txt")
		if err != nil {
			return nil, fmt.Errorf("parse mail template %s: %w", name, err)
		}
		c.html[name], c.text[name] = h, t
	}
	c.confirm = map[i18n.Lang]prerendered{}
	for _, lang := range i18n.Langs {
		p, err := c.prerender(lang)
		if err != nil {
			return nil, err
		}
		c.confirm[lang] = p
	}
	return c, nil
}

// mailView is what a mail template sees.
type mailView struct {
	Lang      i18n.Lang
	Subject   string
	Name      string
	Ref       string
	KindList  string
	Link      string
	Expires   string
	Received  string
	Due       string
	FooterKey string
	IntroKey  string // the acknowledgment's first sentence
	Text      string // what staff wrote: the question, the reason
	Ground    string // the legal ground of a refusal, in words
	Kind      string // the kind of a reminder
	Sections  []outcomeSection
}

// outcomeSection is one part of the outcome mail: one right, what was done.
type outcomeSection struct {
	Title  string
	Blocks []outcomeBlock
}

// outcomeBlock is a sentence and the list it introduces.
type outcomeBlock struct {
	Lead  string
	Items []string
}

// Confirmation renders the mail that asks a person to confirm their email
// address; tok is the confirmation token.
func (c *Composer) Confirmation(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
	lang := langOf(r)
	vals, safe := confirmationValues(r, tok, lang)
	if p, ok := c.confirm[lang]; ok && safe {
		return dsar.Mail{RequestID: r.ID, To: r.Email, Subject: p.subject.fill(&vals),
			Text: p.text.fill(&vals), HTML: p.html.fill(&vals), Secret: tok.Plain}, nil
	}
	return c.renderConfirmation(r, &vals)
}

// renderConfirmation executes the confirmation's templates with vals in
// their places (prerender.go).
func (c *Composer) renderConfirmation(r dsar.Request, vals *[holeCount]string) (dsar.Mail, error) {
	r.Name, r.Ref = vals[holeName], vals[holeRef]
	v := c.view(r, "mail.confirm.subject", "mail.footer")
	v.KindList = vals[holeKinds]
	v.Link = c.BaseURL + "/c/" + vals[holeToken]
	v.Expires = vals[holeExpires]
	m, err := c.render("confirm", r, v)
	m.Secret = vals[holeToken]
	return m, err
}

// Acknowledgment renders the mail that confirms receipt, with the due date
// and the link to the status page; tok is the status token.
func (c *Composer) Acknowledgment(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
	lang := langOf(r)
	v := c.view(r, "mail.ack.subject", "mail.footer.ack")
	v.Link = c.BaseURL + "/s/" + tok.Plain
	v.IntroKey = "mail.ack.intro"
	if r.Channel != dsar.ChannelWeb {
		// Its address was given by staff or a shop, not confirmed.
		v.IntroKey = "mail.ack.intro.entered"
	}
	v.Received = i18n.FormatDate(lang, r.Clock.Start)
	v.Due = i18n.FormatDate(lang, r.Clock.Due())
	m, err := c.render("ack", r, v)
	m.Secret = tok.Plain
	return m, err
}

// InfoRequest renders the mail that asks the person for information; the
// clock is paused until they answer.
func (c *Composer) InfoRequest(r dsar.Request, question string) (dsar.Mail, error) {
	v := c.view(r, "mail.info.subject", "mail.footer.ack")
	v.Text = question
	return c.render("info", r, v)
}

// ExtensionNotice renders the mail that tells the person the deadline was
// extended, why, and the new due date.
func (c *Composer) ExtensionNotice(r dsar.Request) (dsar.Mail, error) {
	lang := langOf(r)
	v := c.view(r, "mail.extend.subject", "mail.footer.ack")
	v.Text = r.ExtensionReason
	v.Received = i18n.FormatDate(lang, r.Clock.Start)
	v.Due = i18n.FormatDate(lang, r.Clock.Due())
	return c.render("extend", r, v)
}

// Denial renders the mail that refuses a request, with the ground, the
// reason, and the person's right to complain and to go to court.
func (c *Composer) Denial(r dsar.Request) (dsar.Mail, error) {
	lang := langOf(r)
	v := c.view(r, "mail.deny.subject", "mail.footer.ack")
	v.Text = r.DenialReason
	v.Ground = i18n.T(lang, "ground."+r.DenialGround)
	v.Received = i18n.FormatDate(lang, dsar.DateOf(r.ReceivedAt))
	return c.render("deny", r, v)
}

// Reminders renders, for each staff member in to, the reminder that a
// request is due within a week or overdue. Staff mails are in French, the
// back office's first language.
func (c *Composer) Reminders(q dsar.QueueItem, kind string, to []dsar.Staff) ([]dsar.Mail, error) {
	lang := i18n.FR
	subject := "mail.reminder.subject.week"
	if kind == dsar.ReminderOverdue {
		subject = "mail.reminder.subject.overdue"
	}
	status := i18n.T(lang, "state."+string(q.Status))
	var out []dsar.Mail
	for _, s := range to {
		v := mailView{Lang: lang, Subject: i18n.T(lang, subject, q.Ref), Name: s.Name, Ref: q.Ref,
			KindList: KindList(lang, q.Kinds), Link: c.BaseURL + "/staff/requests/" + q.Ref,
			Due: i18n.FormatDate(lang, q.Due), FooterKey: "mail.footer.staff", Text: status, Kind: kind}
		m, err := c.render("reminder", dsar.Request{ID: q.ID, Email: s.Email}, v)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// ShopMail renders a mail to a client shop about a processor case, in the
// shop's language: "forward" (with the link to the shop page, tok),
// "reminder" (with the link again) or "done" (what VRACOOP did, in what).
func (c *Composer) ShopMail(kind string, shop dsar.Shop, r dsar.Request, cs dsar.Case, tok dsar.Token, what string) (dsar.Mail, error) {
	lang, _ := i18n.Parse(shop.Lang)
	subjects := map[string]string{"forward": "mail.shop.forward.subject", "reminder": "mail.shop.reminder.subject", "done": "mail.shop.done.subject"}
	v := mailView{Lang: lang, Subject: i18n.T(lang, subjects[kind], r.Ref), Name: shop.Name, Ref: r.Ref,
		KindList: KindList(lang, r.Kinds), Due: i18n.FormatDate(lang, cs.ShopDue), FooterKey: "mail.footer.shop", Kind: kind, Text: what}
	if tok.Plain != "" {
		v.Link = c.BaseURL + "/shop/" + tok.Plain
	}
	m, err := c.render("shop", r, v)
	m.To, m.Secret = shop.PrivacyEmail, tok.Plain
	return m, err
}

// Forwarded renders the mail that tells the person VRACOOP acts for the
// shop as its processor, that their request went to the shop they named,
// and how to reach that shop.
func (c *Composer) Forwarded(r dsar.Request, shop dsar.Shop) (dsar.Mail, error) {
	v := c.view(r, "mail.forwarded.subject", "mail.footer.ack")
	v.Text = shop.Name + " (" + shop.Town + ")"
	v.Ground = shop.PrivacyEmail
	return c.render("forwarded", r, v)
}

// PackageReady renders the mail with the link to the access package; tok
// is the download token. The code that opens it comes in a second mail.
func (c *Composer) PackageReady(r dsar.Request, tok dsar.Token) (dsar.Mail, error) {
	lang := langOf(r)
	v := c.view(r, "mail.package.subject", "mail.footer.ack")
	v.Link = c.BaseURL + "/d/" + tok.Plain
	v.Expires = i18n.FormatDate(lang, dsar.DateOf(tok.ExpiresAt))
	m, err := c.render("package", r, v)
	m.Secret = tok.Plain
	return m, err
}

// Code renders the mail with a one-time code that opens the package.
func (c *Composer) Code(r dsar.Request, code string) (dsar.Mail, error) {
	v := c.view(r, "mail.code.subject", "mail.footer.ack")
	v.Text = code
	m, err := c.render("code", r, v)
	m.Secret = code
	return m, err
}

// Outcome renders the mail that tells the person what was done for the
// rights other than access: what was erased and what was kept, until when
// and on which ground; the fields rectified; the restriction recorded; the
// marketing opt-out set; or why not. p is the executed plan, nil when
// nothing was found in Odoo.
func (c *Composer) Outcome(r dsar.Request, p *dsar.Plan) (dsar.Mail, error) {
	lang := langOf(r)
	v := c.view(r, "mail.outcome.subject", "mail.footer.ack")
	v.Received = i18n.FormatDate(lang, dsar.DateOf(r.ReceivedAt))
	var steps []dsar.Step
	if p != nil {
		steps = p.Steps
	}
	for _, k := range r.Kinds {
		if sec, ok := outcomeOf(lang, k, steps); ok {
			v.Sections = append(v.Sections, sec)
		}
	}
	return c.render("outcome", r, v)
}

// outcomeOf writes the section of one right from the plan's steps.
func outcomeOf(lang i18n.Lang, k dsar.Kind, steps []dsar.Step) (outcomeSection, bool) {
	sec := outcomeSection{Title: i18n.T(lang, "kind.short."+string(k))}
	done := func(s dsar.Step, kinds ...dsar.StepKind) bool {
		for _, kind := range kinds {
			if s.Kind == kind && s.State == dsar.StepDone {
				return true
			}
		}
		return false
	}
	switch k {
	case dsar.KindErasure:
		var erased, kept []string
		for _, s := range steps {
			switch {
			case done(s, dsar.StepDelete):
				erased = append(erased, i18n.T(lang, "mail.outcome.deleted", s.Display))
			case done(s, dsar.StepAnonymise) && len(s.Kept) == 0:
				erased = append(erased, i18n.T(lang, "mail.outcome.anonymised", s.Display))
			case done(s, dsar.StepAnonymise):
				erased = append(erased, i18n.T(lang, "mail.outcome.contact_erased", s.Display))
				kept = append(kept, keptLine(lang, s))
			case done(s, dsar.StepArchive):
				erased = append(erased, i18n.T(lang, "mail.outcome.archived", s.Display))
			case s.Kind == dsar.StepKeep:
				kept = append(kept, keptLine(lang, s))
			}
		}
		if len(erased) == 0 && len(kept) == 0 {
			sec.Blocks = []outcomeBlock{{Lead: i18n.T(lang, "mail.outcome.nothing")}}
			return sec, true
		}
		if len(erased) > 0 {
			sec.Blocks = append(sec.Blocks, outcomeBlock{Lead: i18n.T(lang, "mail.outcome.erased"), Items: erased})
		}
		if len(kept) > 0 {
			sec.Blocks = append(sec.Blocks, outcomeBlock{Lead: i18n.T(lang, "mail.outcome.kept"), Items: kept})
		}
	case dsar.KindRectification:
		var items []string
		for _, s := range steps {
			if s.Kind != dsar.StepRectify {
				continue
			}
			for field, value := range s.Values {
				name := i18n.T(lang, "field."+field)
				if s.State == dsar.StepDone {
					items = append(items, i18n.T(lang, "mail.outcome.rectified", name, value))
				} else {
					items = append(items, i18n.T(lang, "mail.outcome.not_rectified", name))
				}
			}
		}
		if len(items) == 0 {
			sec.Blocks = []outcomeBlock{{Lead: i18n.T(lang, "mail.outcome.nothing")}}
		} else {
			sec.Blocks = []outcomeBlock{{Items: items}}
		}
	case dsar.KindRestriction:
		n := 0
		for _, s := range steps {
			if done(s, dsar.StepNote) && strings.Contains(s.Values["body"], "art. 18") {
				n++
			}
		}
		key := "mail.outcome.nothing"
		if n > 0 {
			key = "mail.outcome.restricted"
		}
		sec.Blocks = []outcomeBlock{{Lead: i18n.T(lang, key)}}
	case dsar.KindObjection:
		optedOut := false
		for _, s := range steps {
			optedOut = optedOut || done(s, dsar.StepOptOut)
		}
		key := "mail.outcome.nothing"
		if optedOut {
			key = "mail.outcome.opted_out"
		}
		sec.Blocks = []outcomeBlock{{Lead: i18n.T(lang, key)}}
	default:
		return sec, false
	}
	return sec, true
}

// keptLine says what was kept, until when, and why.
func keptLine(lang i18n.Lang, s dsar.Step) string {
	what := s.Display
	if len(s.Kept) > 0 {
		what = i18n.T(lang, "mail.outcome.kept_fields", s.Display)
	}
	if s.Until.IsZero() {
		return i18n.T(lang, "mail.outcome.kept_line", what, s.Reason.In(string(lang)))
	}
	return i18n.T(lang, "mail.outcome.kept_until", what, i18n.FormatDate(lang, s.Until), s.Reason.In(string(lang)))
}

func (c *Composer) view(r dsar.Request, subjectKey, footerKey string) mailView {
	lang := langOf(r)
	if footerKey == "mail.footer.ack" {
		// Only a request made on the portal was confirmed there.
		switch r.Channel {
		case dsar.ChannelEmail, dsar.ChannelPost, dsar.ChannelPhone:
			footerKey = "mail.footer.ack.entered"
		case dsar.ChannelAPI:
			footerKey = "mail.footer.ack.api"
		}
	}
	return mailView{Lang: lang, Subject: i18n.T(lang, subjectKey, r.Ref), Name: r.Name, Ref: r.Ref,
		KindList: KindList(lang, r.Kinds), FooterKey: footerKey}
}

func (c *Composer) render(name string, r dsar.Request, v mailView) (dsar.Mail, error) {
	var html, text bytes.Buffer
	if err := c.html[name].ExecuteTemplate(&html, "layout", v); err != nil {
		return dsar.Mail{}, fmt.Errorf("render %s html: %w", name, err)
	}
	if err := c.text[name].Execute(&text, v); err != nil {
		return dsar.Mail{}, fmt.Errorf("render %s text: %w", name, err)
	}
	return dsar.Mail{RequestID: r.ID, To: r.Email, Subject: v.Subject, Text: text.String(), HTML: html.String()}, nil
}

// KindList names the rights of a request in the person's language:
// "Accès, Effacement".
func KindList(lang i18n.Lang, kinds []dsar.Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = i18n.T(lang, "kind.short."+string(k))
	}
	return strings.Join(names, ", ")
}

func langOf(r dsar.Request) i18n.Lang {
	l, _ := i18n.Parse(r.Lang)
	return l
}

// clock writes the Paris time of t as people read it: "14 h 05" or "14:05".
func clock(lang i18n.Lang, t time.Time) string {
	p := dsar.Paris()
	if lang == i18n.EN {
		return t.In(p).Format("15:04") + " (Paris time)"
	}
	return strings.Replace(t.In(p).Format("15 h 04"), " h 00", " h", 1)
}
