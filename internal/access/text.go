package access

import (
	"strconv"
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// The package's own words. They stay here rather than in the i18n
// catalog: they are written into a file the person keeps, not shown on
// a page, and nothing else says them.
var (
	txtReportTitle = dsar.Text{FR: "Réponse à votre demande sur vos données personnelles", EN: "Answer to your request about your personal data"}
	txtDataTitle   = dsar.Text{FR: "La copie de vos données", EN: "The copy of your data"}
	txtDataIntro   = dsar.Text{
		FR: "Voici les données vous concernant que nous avons trouvées dans nos systèmes de gestion : %s.",
		EN: "Here are the data about you that we found in our business systems: %s."}
	txtDataReadOn = dsar.Text{FR: "Elles ont été lues le %s.", EN: "They were read on %s."}
	txtDataNone   = dsar.Text{
		FR: "Nous n'avons trouvé aucune donnée vous concernant dans nos systèmes de gestion.",
		EN: "We found no data about you in our business systems."}
	txtDataLeftOut = dsar.Text{
		FR: "Les enregistrements que nous n'avons pas pu rattacher à vous avec certitude, par exemple ceux qui portent seulement le même nom que vous, ne figurent pas dans cette copie : ils pourraient concerner une autre personne.",
		EN: "Records we could not link to you with certainty, for instance those that only bear the same name as you, are not in this copy: they might concern someone else."}
	txtRecord        = dsar.Text{FR: "enregistrement", EN: "record"}
	txtRecords       = dsar.Text{FR: "enregistrements", EN: "records"}
	txtFoundBy       = dsar.Text{FR: "Trouvé par", EN: "Found by"}
	txtArchived      = dsar.Text{FR: "archivé", EN: "archived"}
	txtPortalTitle   = dsar.Text{FR: "Ce que le portail conserve sur votre demande", EN: "What the portal keeps about your request"}
	txtReference     = dsar.Text{FR: "Référence de votre demande : %s.", EN: "Reference of your request: %s."}
	txtGeneratedOn   = dsar.Text{FR: "Document établi le %s.", EN: "Document made on %s."}
	txtMatchEmail    = dsar.Text{FR: "votre adresse e-mail", EN: "your email address"}
	txtMatchPhone    = dsar.Text{FR: "votre numéro de téléphone", EN: "your phone number"}
	txtMatchPartner  = dsar.Text{FR: "son lien avec un autre enregistrement vous concernant", EN: "its link to another record about you"}
	txtMatchName     = dsar.Text{FR: "votre nom, puis vérifié par nos services", EN: "your name, then checked by our staff"}
	txtMatchVerified = dsar.Text{FR: "vérification par nos services", EN: "a check by our staff"}
)

// Names of the files, in the person's language.
var (
	fileReadme = dsar.Text{FR: "LISEZMOI.txt", EN: "README.txt"}
	fileReport = dsar.Text{FR: "rapport.html", EN: "report.html"}
	fileJSON   = dsar.Text{FR: "donnees.json", EN: "data.json"}
)

// csvDir holds the CSV files; its name is the same in both languages.
const csvDir = "csv"

// modelLabels names the Odoo models the lookup reads, for people.
var modelLabels = map[string]dsar.Text{
	"res.partner":      {FR: "Fiches contact", EN: "Contacts"},
	"crm.lead":         {FR: "Pistes et opportunités commerciales", EN: "Sales leads and opportunities"},
	"res.users":        {FR: "Comptes utilisateur", EN: "User accounts"},
	"res.partner.bank": {FR: "Comptes bancaires", EN: "Bank accounts"},
	"sale.order":       {FR: "Devis et commandes", EN: "Quotations and sales orders"},
	"account.move":     {FR: "Factures et pièces comptables", EN: "Invoices and accounting entries"},
	"purchase.order":   {FR: "Commandes fournisseur", EN: "Purchase orders"},
	"pos.order":        {FR: "Tickets de caisse", EN: "Point-of-sale receipts"},
	"loyalty.card":     {FR: "Cartes de fidélité", EN: "Loyalty cards"},
	"mail.followers":   {FR: "Abonnements aux échanges", EN: "Followed conversations"},
	"mail.message":     {FR: "Messages et notes", EN: "Messages and notes"},
}

// fieldLabels names the Odoo fields the lookup reads, for people. A field
// missing here is shown by its technical name.
var fieldLabels = map[string]dsar.Text{
	"acc_number":    {FR: "Numéro de compte", EN: "Account number"},
	"active":        {FR: "Actif", EN: "Active"},
	"amount_total":  {FR: "Montant total", EN: "Total amount"},
	"author_id":     {FR: "Auteur", EN: "Author"},
	"bank_id":       {FR: "Banque", EN: "Bank"},
	"bank_ids":      {FR: "Comptes bancaires", EN: "Bank accounts"},
	"body":          {FR: "Contenu", EN: "Content"},
	"child_ids":     {FR: "Contacts rattachés", EN: "Linked contacts"},
	"city":          {FR: "Ville", EN: "City"},
	"code":          {FR: "Code", EN: "Code"},
	"comment":       {FR: "Notes", EN: "Notes"},
	"company_type":  {FR: "Type de contact", EN: "Contact type"},
	"contact_name":  {FR: "Nom du contact", EN: "Contact name"},
	"country_id":    {FR: "Pays", EN: "Country"},
	"create_date":   {FR: "Créé le", EN: "Created on"},
	"customer_rank": {FR: "Rang client", EN: "Customer rank"},
	"date":          {FR: "Date", EN: "Date"},
	"date_order":    {FR: "Date de commande", EN: "Order date"},
	"description":   {FR: "Description", EN: "Description"},
	"display_name":  {FR: "Nom affiché", EN: "Display name"},
	"email":         {FR: "E-mail", EN: "Email"},
	"email_from":    {FR: "E-mail", EN: "Email"},
	"invoice_date":  {FR: "Date de facture", EN: "Invoice date"},
	"is_company":    {FR: "Société", EN: "Company"},
	"login":         {FR: "Identifiant", EN: "Login"},
	"login_date":    {FR: "Dernière connexion", EN: "Last login"},
	"message_type":  {FR: "Type de message", EN: "Message type"},
	"mobile":        {FR: "Mobile", EN: "Mobile"},
	"model":         {FR: "Type de document", EN: "Document type"},
	"move_type":     {FR: "Type de pièce", EN: "Entry type"},
	"name":          {FR: "Nom", EN: "Name"},
	"parent_id":     {FR: "Société", EN: "Company"},
	"partner_id":    {FR: "Contact", EN: "Contact"},
	"partner_name":  {FR: "Société", EN: "Company"},
	"phone":         {FR: "Téléphone", EN: "Phone"},
	"points":        {FR: "Points", EN: "Points"},
	"program_id":    {FR: "Programme", EN: "Programme"},
	"res_id":        {FR: "Numéro du document", EN: "Document number"},
	"res_model":     {FR: "Type de document", EN: "Document type"},
	"state":         {FR: "État", EN: "State"},
	"street":        {FR: "Adresse", EN: "Street"},
	"street2":       {FR: "Complément d'adresse", EN: "Street (continued)"},
	"subject":       {FR: "Objet", EN: "Subject"},
	"supplier_rank": {FR: "Rang fournisseur", EN: "Supplier rank"},
	"type":          {FR: "Type", EN: "Type"},
	"vat":           {FR: "Numéro de TVA", EN: "VAT number"},
	"write_date":    {FR: "Modifié le", EN: "Modified on"},
	"zip":           {FR: "Code postal", EN: "Postcode"},
}

// frenchSpaces applies French typography as internal/i18n does: the space
// before a colon is non-breaking, before ; ! ? and inside « » a narrow
// non-breaking one.
var frenchSpaces = strings.NewReplacer(
	" :", "\u00a0:", " ;", "\u202f;", " !", "\u202f!", " ?", "\u202f?",
	"« ", "«\u202f", " »", "\u202f»",
)

// say returns t in lang, with French typography in French.
func say(lang string, t dsar.Text) string {
	s := t.In(lang)
	if lang != "en" {
		s = frenchSpaces.Replace(s)
	}
	return s
}

// modelLabel names a model for people, or returns its technical name.
func modelLabel(lang, model string) string {
	if t, ok := modelLabels[model]; ok {
		return t.In(lang)
	}
	return model
}

// fieldLabel names a field for people, or returns its technical name.
func fieldLabel(lang, field string) string {
	if t, ok := fieldLabels[field]; ok {
		return t.In(lang)
	}
	return field
}

// matchLabel says how a record was linked to the person.
func matchLabel(lang string, m dsar.Match, confirmed bool) string {
	switch {
	case m == dsar.MatchName:
		return say(lang, txtMatchName)
	case confirmed:
		return say(lang, txtMatchVerified)
	case m == dsar.MatchEmail:
		return say(lang, txtMatchEmail)
	case m == dsar.MatchPhone:
		return say(lang, txtMatchPhone)
	}
	return say(lang, txtMatchPartner)
}

// countRecords writes "1 enregistrement", "12 500 enregistrements",
// "12,500 records".
func countRecords(lang string, n int) string {
	word := txtRecords
	if n == 1 || (n == 0 && lang != "en") {
		word = txtRecord
	}
	return groupDigits(lang, n) + "\u00a0" + word.In(lang)
}

// groupDigits writes n with its thousands grouped as each language does:
// a narrow non-breaking space in French, a comma in English.
func groupDigits(lang string, n int) string {
	s := strconv.Itoa(n)
	sep := "\u202f"
	if lang == "en" {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}
