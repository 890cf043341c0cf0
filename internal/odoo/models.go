package odoo

// searchSpec says how the lookup finds a person's records in one model and
// which fields it reads.
type searchSpec struct {
	Model  string
	Fields []string // read when present in this version; others skipped
	// Direct identifiers: fields compared with the person's email, phone
	// and (as a weak hint) name.
	EmailFields []string // matched by email_normalized when the model has it
	PhoneFields []string
	NameFields  []string
	// PartnerField links the record to a partner already found.
	PartnerField string
	Archived     bool // search archived records too (active_test false)
	// Posted marks a search whose domain is exact (chatter on records
	// already found): every record it returns concerns the person.
	Posted bool
}

// directSpecs are searched with the person's identifiers.
var directSpecs = []searchSpec{
	{Model: "res.partner",
		Fields: []string{"name", "display_name", "email", "phone", "mobile", "street", "street2", "zip", "city",
			"country_id", "vat", "company_type", "is_company", "parent_id", "child_ids", "bank_ids", "comment",
			"active", "customer_rank", "supplier_rank", "create_date", "write_date"},
		EmailFields: []string{"email"}, PhoneFields: []string{"phone", "mobile"}, NameFields: []string{"name"},
		Archived: true},
	{Model: "crm.lead",
		Fields: []string{"name", "email_from", "phone", "mobile", "contact_name", "partner_name", "description",
			"partner_id", "type", "active", "create_date", "write_date"},
		EmailFields: []string{"email_from"}, PhoneFields: []string{"phone", "mobile"}, NameFields: []string{"contact_name"},
		PartnerField: "partner_id", Archived: true},
	{Model: "res.users",
		Fields:      []string{"name", "login", "partner_id", "active", "login_date"},
		EmailFields: []string{"login"}, PartnerField: "partner_id", Archived: true},
}

// linkedSpecs are searched with the ids of the partners found.
var linkedSpecs = []searchSpec{
	{Model: "res.partner.bank", Fields: []string{"acc_number", "partner_id", "bank_id"}, PartnerField: "partner_id"},
	{Model: "sale.order", Fields: []string{"name", "partner_id", "date_order", "amount_total", "state"}, PartnerField: "partner_id"},
	{Model: "account.move", Fields: []string{"name", "partner_id", "move_type", "invoice_date", "state", "amount_total"}, PartnerField: "partner_id"},
	{Model: "purchase.order", Fields: []string{"name", "partner_id", "date_order", "amount_total", "state"}, PartnerField: "partner_id"},
	{Model: "pos.order", Fields: []string{"name", "partner_id", "date_order", "amount_total"}, PartnerField: "partner_id"},
	{Model: "loyalty.card", Fields: []string{"code", "partner_id", "points", "program_id", "active"}, PartnerField: "partner_id", Archived: true},
	{Model: "mail.followers", Fields: []string{"res_model", "res_id", "partner_id"}, PartnerField: "partner_id"},
}

// messageFields are read on mail.message, searched by author and by the
// records it was posted on.
var messageFields = []string{"model", "res_id", "author_id", "date", "message_type", "subject", "body"}

// emailLikeFields and partnerRelation are what Odoo's privacy_lookup
// searches on every other stored model.
var emailLikeFields = []string{"email_normalized", "email", "email_from", "company_email"}
