package register

import (
	"fmt"
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// Notice is information owed to people (GDPR Art. 13 to 15), in one
// language, as plain text in a structure: pages and mails render it.
type Notice struct {
	Lang     string   // "fr" or "en"
	Title    string   // the notice's title
	Intro    []string // paragraphs before the sections
	Sections []Section
}

// Section is a part of a Notice: paragraphs, then a bulleted list.
type Section struct {
	Heading    string
	Paragraphs []string
	Items      []string
}

// PrivacyNotice returns the information VRACOOP owes everyone whose data
// its activities process (Art. 13 and 14), for every activity of the
// register, in lang ("en", or French for anything else).
func (r *Register) PrivacyNotice(lang string) Notice {
	lang = noticeLang(lang)
	org := r.Organisation.Name
	return typeset(Notice{
		Lang:  lang,
		Title: fmt.Sprintf(tr(lang, "%s : protection de vos données personnelles", "%s: protection of your personal data"), org),
		Intro: []string{fmt.Sprintf(tr(lang,
			"%s traite des données personnelles dans les activités de son registre des activités de traitement. Voici, pour chacune, ce qui est traité, pourquoi, par qui et combien de temps, puis vos droits (RGPD, articles 13 et 14).",
			"%s processes personal data in the activities of its register of processing activities. Here is, for each of them, what is processed, why, by whom and for how long, then your rights (GDPR Articles 13 and 14)."), org)},
		Sections: r.sections(lang, r.Activities),
	})
}

// Article15 returns the information owed with an answer to an access
// request (Art. 15(1)) for the given activities, typically those Route
// returned, in the register's order. Unknown IDs are ignored; with none,
// the notice has only what concerns every activity (controller, rights,
// complaint).
func (r *Register) Article15(lang string, activities []string) Notice {
	lang = noticeLang(lang)
	var acts []Activity
	for _, a := range r.Activities {
		for _, id := range activities {
			if a.ID == id {
				acts = append(acts, a)
				break
			}
		}
	}
	return typeset(Notice{
		Lang:  lang,
		Title: tr(lang, "Informations sur le traitement de vos données", "Information about the processing of your data"),
		Intro: []string{fmt.Sprintf(tr(lang,
			"En réponse à votre demande d'accès, et en plus de la copie de vos données, voici les informations que l'article 15 du RGPD vous permet de connaître, pour les activités de %s qui vous concernent.",
			"In answer to your access request, and besides the copy of your data, here is the information Article 15 of the GDPR entitles you to, for the %s activities that concern you."),
			r.Organisation.Name)},
		Sections: r.sections(lang, acts),
	})
}

// frenchSpaces applies French typography as internal/i18n does: the space
// before a colon is non-breaking, and before ; ! ? and inside « » a narrow
// non-breaking one, so that a line never starts with a lone punctuation
// mark.
var frenchSpaces = strings.NewReplacer(
	" :", "\u00a0:", " ;", "\u202f;", " !", "\u202f!", " ?", "\u202f?",
	"« ", "«\u202f", " »", "\u202f»",
)

// typeset applies French typography to a French notice.
func typeset(n Notice) Notice {
	if n.Lang == "en" {
		return n
	}
	n.Title = frenchSpaces.Replace(n.Title)
	for i := range n.Intro {
		n.Intro[i] = frenchSpaces.Replace(n.Intro[i])
	}
	for i := range n.Sections {
		s := &n.Sections[i]
		s.Heading = frenchSpaces.Replace(s.Heading)
		for j := range s.Paragraphs {
			s.Paragraphs[j] = frenchSpaces.Replace(s.Paragraphs[j])
		}
		for j := range s.Items {
			s.Items[j] = frenchSpaces.Replace(s.Items[j])
		}
	}
	return n
}

func noticeLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "fr"
}

// sections returns the sections of a notice on the given activities.
func (r *Register) sections(lang string, acts []Activity) []Section {
	out := []Section{r.controllerSection(lang, acts)}
	for _, a := range acts {
		out = append(out, r.activitySection(lang, a))
	}
	if len(acts) > 0 {
		out = append(out, transfersSection(lang, acts), r.automatedSection(lang, acts))
	}
	return append(out, rightsSection(lang), r.exerciseSection(lang, acts), r.complaintSection(lang))
}

// controllerSection says who the controller is, and how to reach them.
func (r *Register) controllerSection(lang string, acts []Activity) Section {
	org := r.Organisation
	s := Section{Heading: tr(lang, "Qui traite vos données", "Who processes your data")}
	var own []string
	byController := map[string][]string{}
	var controllers []string
	for _, a := range acts {
		if a.Role != dsar.RoleProcessor {
			own = append(own, a.Name.In(lang))
			continue
		}
		if _, ok := byController[a.Controller]; !ok {
			controllers = append(controllers, a.Controller)
		}
		byController[a.Controller] = append(byController[a.Controller], a.Name.In(lang))
	}
	if len(own) > 0 {
		s.Paragraphs = append(s.Paragraphs, fmt.Sprintf(tr(lang,
			"%s est responsable du traitement pour : %s.",
			"%s is the controller for: %s."), org.Name, joinList(lang, own)))
	}
	for _, id := range controllers {
		s.Paragraphs = append(s.Paragraphs, fmt.Sprintf(tr(lang,
			"%s agit en tant que sous-traitant pour le compte de %s, qui est le responsable du traitement, pour : %s. Vos demandes sur ces données lui sont transmises.",
			"%s acts as processor on behalf of %s, which is the controller, for: %s. Your requests about these data are forwarded to it."),
			org.Name, r.controllerName(lang, id), joinList(lang, byController[id])))
	}
	s.Paragraphs = append(s.Paragraphs, tr(lang, "Contact : ", "Contact: ")+contact(org.Responsible)+".")
	return s
}

// controllerName names the controller with the given ID in a sentence.
func (r *Register) controllerName(lang, id string) string {
	if c, ok := r.controller(id); ok && !blank(c.Name) {
		return c.Name.In(lang)
	}
	return tr(lang, "la boutique cliente", "the client shop")
}

// contact writes a person's name and how to reach them.
func contact(p Person) string {
	parts := []string{p.FullName()}
	for _, s := range []string{p.Email, p.Phone} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// activitySection describes one activity.
func (r *Register) activitySection(lang string, a Activity) Section {
	org := r.Organisation.Name
	s := Section{Heading: fmt.Sprintf(tr(lang, "Activité %d : %s", "Activity %d: %s"), a.Number, a.Name.In(lang))}
	if a.Role == dsar.RoleProcessor {
		s.Paragraphs = append(s.Paragraphs, fmt.Sprintf(tr(lang,
			"Pour cette activité, %s agit en tant que sous-traitant pour le compte de %s, qui est le responsable du traitement. Vos demandes concernant ces données lui sont transmises, et c'est elle qui y répond.",
			"For this activity, %s acts as processor on behalf of %s, which is the controller. Your requests about these data are forwarded to it, and it answers them."),
			org, r.controllerName(lang, a.Controller)))
	} else {
		s.Paragraphs = append(s.Paragraphs, fmt.Sprintf(tr(lang,
			"%s est responsable de ce traitement.", "%s is the controller of this processing."), org))
	}
	for i, p := range a.Purposes {
		text := p.In(lang)
		if i == 0 {
			text = tr(lang, "Finalités : ", "Purposes: ") + text
		}
		s.Paragraphs = append(s.Paragraphs, text)
	}
	item := func(fr, en string, values ...string) {
		if len(values) == 0 {
			return
		}
		if len(values) > 1 {
			// The register ends some list entries with a full stop, which
			// would stand before the separator.
			for i, v := range values {
				values[i] = strings.TrimRight(v, " .")
			}
		}
		s.Items = append(s.Items, tr(lang, fr+" : ", en+": ")+joinList(lang, values))
	}
	item("Personnes concernées", "People concerned", texts(lang, a.People)...)
	var data []string
	for _, d := range a.Data {
		data = append(data, categoryText(lang, d))
	}
	item("Données", "Data", data...)
	item("Origine des données", "Where the data come from", r.origin(lang, a))
	item("Destinataires internes", "Internal recipients", texts(lang, a.Recipients.Internal)...)
	item("Organismes externes", "External bodies", texts(lang, a.Recipients.External)...)
	item("Sous-traitants", "Sub-processors", texts(lang, a.Recipients.Processors)...)
	item("Durée de conservation", "Retention", retentionSummary(lang, a))
	if a.Sensitive.Processed {
		item("Données sensibles", "Sensitive data", a.Sensitive.Wording.In(lang))
	} else {
		item("Données sensibles", "Sensitive data", tr(lang, "aucune", "none"))
	}
	for _, l := range a.Related {
		if b, ok := r.Activity(l.Activity); ok {
			item("Voir aussi", "See also", fmt.Sprintf(tr(lang, "l'activité %d (%s) : %s", "activity %d (%s): %s"),
				b.Number, b.Name.In(lang), l.Wording.In(lang)))
		}
	}
	return s
}

// categoryText writes a category of data with what it holds.
func categoryText(lang string, d DataCategory) string {
	if blank(d.Items) || strings.EqualFold(d.Items.In(lang), d.Name.In(lang)) {
		return d.Name.In(lang)
	}
	return d.Name.In(lang) + " (" + d.Items.In(lang) + ")"
}

// origin says where the activity's data come from (Art. 14(2)(f)).
func (r *Register) origin(lang string, a Activity) string {
	switch {
	case !blank(a.Origin):
		return a.Origin.In(lang)
	case a.Role == dsar.RoleProcessor:
		return r.controllerName(lang, a.Controller)
	}
	return tr(lang, "vous-même", "yourself")
}

// retentionSummary writes an activity's retention rule in words: "10 ans
// après la fin du contrat (Code de commerce, art. L123-22)".
func retentionSummary(lang string, a Activity) string {
	rt := a.Retention
	if !rt.Complete() {
		return tr(lang, "non précisée par le registre", "not stated by the register")
	}
	event := eventWords[rt.From].event.In(lang)
	s := fmt.Sprintf(tr(lang, "%s après %s", "%s after %s"), rt.Duration.Text().In(lang), event)
	if !blank(rt.Ground) {
		s += " (" + rt.Ground.In(lang) + ")"
	}
	if !rt.Accounting || a.Role == dsar.RoleProcessor {
		return s
	}
	var records, others []string
	for _, d := range a.Data {
		if d.Accounting {
			records = append(records, d.Name.In(lang))
		} else {
			others = append(others, d.Name.In(lang))
		}
	}
	s += fmt.Sprintf(tr(lang,
		", ou après la dernière facture ou écriture comptable si elle est plus tardive, pour les pièces comptables (%s)",
		", or after the last invoice or accounting entry if it is later, for accounting records (%s)"),
		strings.Join(records, ", "))
	if len(others) > 0 {
		s += fmt.Sprintf(tr(lang, " ; %s : effacées après %s", "; %s: erased after %s"), strings.Join(others, ", "), event)
	}
	return s
}

// transfersSection says, from the register's answers, whether data leave
// the European Union.
func transfersSection(lang string, acts []Activity) Section {
	s := Section{Heading: tr(lang, "Transferts hors de l'Union européenne", "Transfers outside the European Union")}
	var none, some, unknown []string
	for _, a := range acts {
		name := a.Name.In(lang)
		switch {
		case a.Transfers.None():
			none = append(none, name)
		case a.Transfers.OutsideEU != nil:
			some = append(some, name+" ("+a.Transfers.Wording.In(lang)+")")
		default:
			unknown = append(unknown, name)
		}
	}
	if len(some) == 0 && len(unknown) == 0 {
		s.Paragraphs = []string{tr(lang, "Aucune donnée n'est transférée hors de l'Union européenne.",
			"No data are transferred outside the European Union.")}
		return s
	}
	add := func(values []string, fr, en string) {
		if len(values) > 0 {
			s.Paragraphs = append(s.Paragraphs, fmt.Sprintf(tr(lang, fr, en), joinList(lang, values)))
		}
	}
	add(none, "Aucune donnée n'est transférée hors de l'Union européenne pour : %s.",
		"No data are transferred outside the European Union for: %s.")
	add(some, "Des données sont transférées hors de l'Union européenne pour : %s.",
		"Data are transferred outside the European Union for: %s.")
	add(unknown, "Le registre ne précise pas encore si des données quittent l'Union européenne pour : %s.",
		"The register does not yet say whether data leave the European Union for: %s.")
	return s
}

// automatedSection says whether decisions are taken by machines alone
// (Art. 13(2)(f), 15(1)(h)).
func (r *Register) automatedSection(lang string, acts []Activity) Section {
	s := Section{Heading: tr(lang, "Décisions automatisées", "Automated decisions")}
	var some []string
	for _, a := range acts {
		if a.AutomatedDecisions {
			some = append(some, a.Name.In(lang))
		}
	}
	if len(some) == 0 {
		s.Paragraphs = []string{fmt.Sprintf(tr(lang,
			"%s ne prend à votre sujet aucune décision fondée exclusivement sur un traitement automatisé, y compris le profilage.",
			"%s takes no decision about you based solely on automated processing, including profiling."), r.Organisation.Name)}
		return s
	}
	s.Paragraphs = []string{fmt.Sprintf(tr(lang,
		"Ces activités comportent des décisions automatisées : %s. Vous pouvez demander qu'une personne intervienne, donner votre point de vue et contester la décision.",
		"These activities involve automated decisions: %s. You may ask for a person to step in, give your point of view and contest the decision."),
		joinList(lang, some))}
	return s
}

// rightsSection lists the rights people have over their data.
func rightsSection(lang string) Section {
	return Section{
		Heading:    tr(lang, "Vos droits", "Your rights"),
		Paragraphs: []string{tr(lang, "Sur vos données, vous avez le droit :", "Over your data, you have the right:")},
		Items: []string{
			tr(lang, "d'accès : savoir si elles sont traitées et en obtenir une copie (RGPD, art. 15) ;",
				"of access: to know whether they are processed and to get a copy (GDPR Art. 15);"),
			tr(lang, "de rectification : faire corriger des données inexactes ou compléter des données incomplètes (art. 16) ;",
				"to rectification: to have inaccurate data corrected and incomplete data completed (Art. 16);"),
			tr(lang, "à l'effacement : les faire effacer, sauf quand la loi impose de les garder (art. 17) ;",
				"to erasure: to have them erased, unless the law requires keeping them (Art. 17);"),
			tr(lang, "à la limitation : faire suspendre leur utilisation, par exemple le temps d'une vérification (art. 18) ;",
				"to restriction: to have their use suspended, for instance while something is checked (Art. 18);"),
			tr(lang, "d'opposition : vous opposer à un traitement fondé sur l'intérêt légitime, et à tout moment à la prospection (art. 21) ;",
				"to object: to processing based on legitimate interests, and at any time to direct marketing (Art. 21);"),
			tr(lang, "à la portabilité : recevoir les données que vous avez fournies dans un format structuré et lisible par machine, ou les faire transmettre à un autre organisme (art. 20).",
				"to portability: to receive the data you provided in a structured, machine-readable format, or have them sent to another organisation (Art. 20)."),
		},
	}
}

// exerciseSection says how to exercise the rights.
func (r *Register) exerciseSection(lang string, acts []Activity) Section {
	org := r.Organisation
	s := Section{
		Heading: tr(lang, "Exercer vos droits", "Exercising your rights"),
		Paragraphs: []string{
			fmt.Sprintf(tr(lang,
				"Faites votre demande sur le portail de %s ou auprès de %s. Une réponse vous est due dans un délai d'un mois, qui peut être prolongé de deux mois si la demande est complexe ; vous en êtes alors informé.",
				"Make your request on the %s portal or to %s. You are owed an answer within one month, which may be extended by two months if the request is complex; you are then told so."),
				org.Name, contact(org.Responsible)),
		},
	}
	for _, a := range acts {
		if a.Role == dsar.RoleProcessor {
			s.Paragraphs = append(s.Paragraphs, fmt.Sprintf(tr(lang,
				"Pour les données que %s traite pour le compte d'une boutique, votre demande est transmise à la boutique, qui est le responsable du traitement et qui y répond.",
				"For the data %s processes on behalf of a shop, your request is forwarded to the shop, which is the controller and answers it."), org.Name))
			break
		}
	}
	return s
}

// complaintSection gives the right to complain to the supervisory
// authority (Art. 13(2)(d), 15(1)(f)).
func (r *Register) complaintSection(lang string) Section {
	a := r.Authority
	where := strings.Join(nonEmpty(a.Website, a.Address), ", ")
	return Section{
		Heading: tr(lang, "Réclamation", "Complaint"),
		Paragraphs: []string{fmt.Sprintf(tr(lang,
			"Si vous estimez que vos droits ne sont pas respectés, vous pouvez à tout moment adresser une réclamation à la %s : %s.",
			"If you believe your rights are not respected, you may at any time lodge a complaint with the %s: %s."),
			a.Name.In(lang), where)},
	}
}
