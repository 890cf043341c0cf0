package access

import (
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/register"
)

// The fixed clock of the fixtures: Monday 4 May 2026, 10:30 in Paris.
var (
	fixtureNow    = time.Date(2026, 5, 4, 8, 30, 0, 0, time.UTC)
	fixtureReadAt = time.Date(2026, 4, 28, 14, 2, 0, 0, time.UTC)
)

// camilleInput is Camille Durand's access and portability request, as the
// web layer would pass it: her contact, the company she runs, a lead and
// its chatter, an invoice and a credit note of the company; and, left out,
// a homonym found by name and a lead found by an unverified phone.
func camilleInput(lang string) Input {
	r := dsar.Request{
		ID: "0b7f1c1e-7a52-4d3e-9a55-0c1f5a4e2d10", Ref: "DSAR-2026-000042",
		Status: dsar.StatusInProgress, Kinds: []dsar.Kind{dsar.KindAccess, dsar.KindPortability},
		Relationship: dsar.RelCustomer, Channel: dsar.ChannelWeb, Lang: lang,
		Name: "Camille Durand", Email: "camille.durand@example.fr", Phone: "06 12 34 56 78",
		CreatedAt: time.Date(2026, 4, 27, 9, 12, 0, 0, time.UTC), ReceivedAt: time.Date(2026, 4, 27, 9, 12, 0, 0, time.UTC),
	}
	return Input{
		Request:        r,
		Lookup:         camilleLookup(),
		Notice:         camilleNotice(lang),
		Portal:         camillePortal(lang),
		VerifiedEmails: []string{"camille.durand@example.fr"},
		Now:            fixtureNow,
	}
}

func camilleLookup() dsar.Lookup {
	f := func(model string, id int, name string, m dsar.Match, via string, fields map[string]string) dsar.Finding {
		return dsar.Finding{Instance: "VRACOOP", Model: model, RecordID: id, DisplayName: name, Match: m, Via: via,
			Fields: fields, ReadAt: fixtureReadAt}
	}
	return dsar.Lookup{
		StartedAt: fixtureReadAt, FinishedAt: fixtureReadAt.Add(3 * time.Second),
		Emails: []string{"camille.durand@example.fr"}, Phones: []string{"06 12 34 56 78"}, Name: "Camille Durand",
		// In the order the Odoo lookup returns them: by model, then id.
		Findings: []dsar.Finding{
			f("account.move", 301, "FAC/2026/00123", dsar.MatchPartner, "res.partner/4", map[string]string{
				"name": "FAC/2026/00123", "partner_id": "Épicerie Durand", "partner_id.id": "4",
				"move_type": "out_invoice", "invoice_date": "2026-02-27", "state": "posted", "amount_total": "149.9"}),
			f("account.move", 302, "RFAC/2026/00007", dsar.MatchPartner, "res.partner/4", map[string]string{
				"name": "RFAC/2026/00007", "partner_id": "Épicerie Durand", "partner_id.id": "4",
				"move_type": "out_refund", "invoice_date": "2026-03-03", "state": "posted", "amount_total": "-12.5"}),
			f("crm.lead", 12, "Balance connectée pour l'épicerie", dsar.MatchEmail, "", map[string]string{
				"name": "Balance connectée pour l'épicerie", "email_from": "Camille Durand <camille.durand@example.fr>",
				"phone": "06 12 34 56 78", "mobile": "", "contact_name": "Camille Durand", "partner_name": "Épicerie Durand",
				"description": "-10 % sur la balance si commande avant juin ?\nRappeler le matin.",
				"partner_id":  "Épicerie Durand, Camille Durand", "partner_id.id": "5", "type": "opportunity", "active": "true",
				"create_date": "2026-01-15 10:04:11", "write_date": "2026-02-20 16:40:02"}),
			f("crm.lead", 15, "Salon Bio Pau 2025 – contact", dsar.MatchPhone, "", map[string]string{
				"name": "Salon Bio Pau 2025 – contact", "email_from": "", "phone": "+33 6 12 34 56 78",
				"contact_name": "C. Durand", "type": "lead", "active": "true"}),
			f("mail.message", 9001, "Re: Balance connectée pour l'épicerie", dsar.MatchPartner, "crm.lead/12", map[string]string{
				"model": "crm.lead", "res_id": "12", "author_id": "Épicerie Durand, Camille Durand", "author_id.id": "5",
				"date": "2026-02-20 16:39:58", "message_type": "email", "subject": "Re: Balance connectée pour l'épicerie",
				"body": `<p>Bonjour, pouvez-vous me rappeler ?</p><script>alert("xss")</script>`}),
			f("res.partner", 4, "Épicerie Durand", dsar.MatchPartner, "res.partner/5", map[string]string{
				"name": "Épicerie Durand", "display_name": "Épicerie Durand", "email": "contact@epicerie-durand.fr",
				"phone": "05 59 12 34 56", "street": "3 place du Marché", "zip": "64100", "city": "Bayonne",
				"country_id": "France", "country_id.id": "75", "vat": "FR12345678901", "company_type": "company",
				"is_company": "true", "child_ids": "5", "customer_rank": "2", "active": "true"}),
			f("res.partner", 5, "Épicerie Durand, Camille Durand", dsar.MatchEmail, "", map[string]string{
				"name": "Camille Durand", "display_name": "Épicerie Durand, Camille Durand", "email": "camille.durand@example.fr",
				"phone": "06 12 34 56 78", "mobile": "", "street": "3 place du Marché", "zip": "64100", "city": "Bayonne",
				"country_id": "France", "country_id.id": "75", "company_type": "person", "is_company": "",
				"parent_id": "Épicerie Durand", "parent_id.id": "4", "comment": "=Préfère être appelée le matin",
				"customer_rank": "0", "active": "true", "create_date": "2025-11-03 09:12:45"}),
			f("res.partner", 77, "Camille Durand", dsar.MatchName, "", map[string]string{
				"name": "Camille Durand", "display_name": "Camille Durand", "email": "c.durand@autre-exemple.fr",
				"city": "Lyon", "active": "true"}),
		},
	}
}

// camilleNotice is a short Article 15 notice, built by hand so that the
// golden files do not change with the register.
func camilleNotice(lang string) register.Notice {
	if lang == "en" {
		return register.Notice{
			Lang:  "en",
			Title: "Information about the processing of your data",
			Intro: []string{"In answer to your access request, and besides the copy of your data, here is the information Article 15 of the GDPR entitles you to, for the VRACOOP activities that concern you."},
			Sections: []register.Section{
				{Heading: "Who processes your data", Paragraphs: []string{"VRACOOP is the controller for: Customer management.", "Contact: Sébastien Martin, sebastien@vracoop.fr."}},
				{Heading: "Activity 1: Customer management", Paragraphs: []string{"VRACOOP is the controller of this processing.", "Purposes: managing contracts, invoicing & support."},
					Items: []string{"Data: identity, contact details, invoices", "Retention: 10 years after the end of the contract"}},
				{Heading: "Complaint", Paragraphs: []string{"If you believe your rights are not respected, you may at any time lodge a complaint with the CNIL: www.cnil.fr."}},
			},
		}
	}
	return register.Notice{
		Lang:  "fr",
		Title: "Informations sur le traitement de vos données",
		Intro: []string{"En réponse à votre demande d'accès, et en plus de la copie de vos données, voici les informations que l'article 15 du RGPD vous permet de connaître, pour les activités de VRACOOP qui vous concernent."},
		Sections: []register.Section{
			{Heading: "Qui traite vos données", Paragraphs: []string{"VRACOOP est responsable du traitement pour\u00a0: Gestion des clients.", "Contact\u00a0: Sébastien Martin, sebastien@vracoop.fr."}},
			{Heading: "Activité 1\u00a0: Gestion des clients", Paragraphs: []string{"VRACOOP est responsable de ce traitement.", "Finalités\u00a0: gestion des contrats, facturation & assistance."},
				Items: []string{"Données\u00a0: identité, coordonnées, factures", "Durée de conservation\u00a0: 10 ans après la fin du contrat"}},
			{Heading: "Réclamation", Paragraphs: []string{"Si vous estimez que vos droits ne sont pas respectés, vous pouvez à tout moment adresser une réclamation à la CNIL\u00a0: www.cnil.fr."}},
		},
	}
}

func camillePortal(lang string) []Section {
	if lang == "en" {
		return []Section{
			{Title: "Your request", Rows: []Row{{"Reference", "DSAR-2026-000042"}, {"Received on", "Monday 27 April 2026"},
				{"Rights exercised", "Access, Portability"}, {"Name", "Camille Durand"}, {"Email", "camille.durand@example.fr"},
				{"Phone", "06 12 34 56 78"}}},
			{Title: "History", Rows: []Row{{"27/04/2026 11:12", "Email address confirmed"}, {"28/04/2026 16:02", "Search in our systems"}}},
		}
	}
	return []Section{
		{Title: "Votre demande", Rows: []Row{{"Référence", "DSAR-2026-000042"}, {"Reçue le", "lundi 27 avril 2026"},
			{"Droits exercés", "Accès, Portabilité"}, {"Nom et prénom", "Camille Durand"}, {"Adresse e-mail", "camille.durand@example.fr"},
			{"Téléphone", "06 12 34 56 78"}}},
		{Title: "Historique", Rows: []Row{{"27/04/2026 11:12", "Adresse e-mail confirmée"}, {"28/04/2026 16:02", "Recherche dans nos systèmes"}}},
	}
}
