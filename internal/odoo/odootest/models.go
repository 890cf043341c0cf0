package odootest

import "sort"

// fieldDef is one field of a model, as fields_get describes it. The ORM
// behaviour of a field follows from its type (ttype) and a few flags.
type fieldDef struct {
	name      string
	ttype     string // char, text, html, integer, float, monetary, boolean, date, datetime, selection, many2one, one2many, many2one_reference, binary
	label     string
	relation  string      // comodel of relational fields
	inverse   string      // one2many: the many2one on the comodel
	selection [][2]string // selection: (value, label)
	required  bool
	readonly  bool
	computed  bool   // computed on read (store=False in fields_get unless stored)
	store     bool   // what fields_get says under "store"
	related   string // "partner_id.name": read and written through a many2one
	ondelete  string // many2one: "set null" (default), "restrict" or "cascade"
	module    string // module adding the field to the model ("" = the model's own)
	since     int    // first Odoo version with the field (0 = always)
	until     int    // last Odoo version with the field (0 = still there)
	help      string
	translate bool
}

// modelDef is one model of the schema.
type modelDef struct {
	name       string
	desc       string // _description, as shown in access errors
	module     string
	order      string   // _order
	nameFields []string // fields searched by name_search (_rec_names_search)
	thread     bool     // inherits mail.thread: message_post, followers
	parent     string   // _parent_name, for child_of / parent_of
	virtual    bool     // rows generated from the schema (ir.model, ir.model.fields)
	since      int
	fields     []*fieldDef
	byName     map[string]*fieldDef
}

// field returns a field of the model, or nil.
func (m *modelDef) field(name string) *fieldDef { return m.byName[name] }

// hasActive reports whether the model has an active field, which makes
// searches skip archived records unless the context says active_test false.
func (m *modelDef) hasActive() bool { return m.byName["active"] != nil }

// schema is the set of installed models of one server, for its version.
type schema map[string]*modelDef

// builders for field definitions
func fld(name, ttype, label string) *fieldDef {
	return &fieldDef{name: name, ttype: ttype, label: label, store: true}
}
func char(name, label string) *fieldDef      { return fld(name, "char", label) }
func htmlField(name, label string) *fieldDef { return fld(name, "html", label) }
func integer(name, label string) *fieldDef {
	return fld(name, "integer", label)
}
func float(name, label string) *fieldDef    { return fld(name, "float", label) }
func monetary(name, label string) *fieldDef { return fld(name, "monetary", label) }
func boolean(name, label string) *fieldDef  { return fld(name, "boolean", label) }
func date(name, label string) *fieldDef     { return fld(name, "date", label) }
func datetime(name, label string) *fieldDef { return fld(name, "datetime", label) }
func selection(name, label string, values ...[2]string) *fieldDef {
	f := fld(name, "selection", label)
	f.selection = values
	return f
}
func many2one(name, label, relation string) *fieldDef {
	f := fld(name, "many2one", label)
	f.relation = relation
	f.ondelete = "set null"
	return f
}
func one2many(name, label, relation, inverse string) *fieldDef {
	f := fld(name, "one2many", label)
	f.relation, f.inverse = relation, inverse
	return f
}

func (f *fieldDef) req() *fieldDef {
	f.required = true
	if f.ttype == "many2one" && f.ondelete == "set null" {
		// Odoo makes a required many2one "restrict" unless told otherwise.
		f.ondelete = "restrict"
	}
	return f
}
func (f *fieldDef) ro() *fieldDef                  { f.readonly = true; return f }
func (f *fieldDef) on(policy string) *fieldDef     { f.ondelete = policy; return f }
func (f *fieldDef) mod(module string) *fieldDef    { f.module = module; return f }
func (f *fieldDef) ver(since, until int) *fieldDef { f.since, f.until = since, until; return f }
func (f *fieldDef) tr() *fieldDef                  { f.translate = true; return f }
func (f *fieldDef) hlp(s string) *fieldDef         { f.help = s; return f }

// comp marks a field computed on read; stored says what fields_get reports.
func (f *fieldDef) comp(stored bool) *fieldDef {
	f.computed, f.store = true, stored
	if !stored {
		f.readonly = true
	}
	return f
}
func (f *fieldDef) rel(path string) *fieldDef {
	f.related, f.computed, f.store = path, true, false
	return f
}

// magicFields are the fields every model has.
func magicFields() []*fieldDef {
	return []*fieldDef{
		integer("id", "ID").ro(),
		char("display_name", "Display Name").comp(false),
		many2one("create_uid", "Created by", "res.users").ro(),
		datetime("create_date", "Created on").ro(),
		many2one("write_uid", "Last Updated by", "res.users").ro(),
		datetime("write_date", "Last Updated on").ro(),
	}
}

// allModels returns every model the test server knows, whatever is
// installed. Labels, descriptions and defaults follow Odoo 17's.
func allModels() []*modelDef {
	partnerTypes := [][2]string{{"contact", "Contact"}, {"invoice", "Invoice Address"}, {"delivery", "Delivery Address"}, {"other", "Other Address"}}
	return []*modelDef{
		{name: "res.partner", desc: "Contact", module: "base", order: "display_name, id desc",
			nameFields: []string{"display_name", "email", "ref", "vat"}, thread: true, parent: "parent_id",
			fields: []*fieldDef{
				char("name", "Name"),
				char("ref", "Reference"),
				selection("type", "Address Type", partnerTypes...),
				char("function", "Job Position"),
				char("email", "Email"),
				char("email_normalized", "Normalized Email").comp(true).mod("mail").hlp("This field is used to search on email address as the primary email field can contain more than strictly an email address."),
				char("phone", "Phone"),
				char("mobile", "Mobile").ver(0, 18),
				char("street", "Street"),
				char("street2", "Street2"),
				char("zip", "Zip"),
				char("city", "City"),
				many2one("country_id", "Country", "res.country").on("restrict"),
				char("vat", "Tax ID").hlp("The Tax Identification Number. Values here will be validated based on the country format. You can use '/' to indicate that the partner is not subject to tax."),
				selection("company_type", "Company Type", [2]string{"person", "Individual"}, [2]string{"company", "Company"}).comp(false),
				boolean("is_company", "Is a Company").hlp("Check if the contact is a company, otherwise it is a person"),
				many2one("parent_id", "Related Company", "res.partner"),
				one2many("child_ids", "Contact", "res.partner", "parent_id"),
				one2many("bank_ids", "Banks", "res.partner.bank", "partner_id"),
				one2many("user_ids", "Users", "res.users", "partner_id"),
				htmlField("comment", "Notes"),
				fld("image_1920", "binary", "Image"),
				boolean("active", "Active"),
				integer("customer_rank", "Customer Rank").mod("account"),
				integer("supplier_rank", "Supplier Rank").mod("account"),
			}},
		{name: "res.partner.bank", desc: "Bank Accounts", module: "base", order: "id",
			nameFields: []string{"acc_number"},
			fields: []*fieldDef{
				char("acc_number", "Account Number").req(),
				many2one("partner_id", "Account Holder", "res.partner").req().on("cascade"),
				char("acc_holder_name", "Account Holder Name"),
			}},
		{name: "res.users", desc: "User", module: "base", order: "login",
			nameFields: []string{"display_name", "login"},
			fields: []*fieldDef{
				char("login", "Login").req().hlp("Used to log into the system"),
				many2one("partner_id", "Related Partner", "res.partner").req(),
				char("name", "Name").rel("partner_id.name"),
				char("email", "Email").rel("partner_id.email"),
				boolean("active", "Active"),
				boolean("share", "Share User").ro(),
			}},
		{name: "res.country", desc: "Country", module: "base", order: "name",
			nameFields: []string{"name", "code"},
			fields: []*fieldDef{
				char("name", "Country Name").req().tr(),
				char("code", "Country Code"),
			}},
		{name: "ir.model", desc: "Models", module: "base", order: "model", virtual: true,
			nameFields: []string{"name", "model"},
			fields: []*fieldDef{
				char("name", "Model Description").req().tr(),
				char("model", "Model").req(),
				selection("state", "Type", [2]string{"manual", "Custom Object"}, [2]string{"base", "Base Object"}).ro(),
				boolean("transient", "Transient Model"),
				char("modules", "In Apps").comp(false),
			}},
		{name: "ir.model.fields", desc: "Fields", module: "base", order: "name", virtual: true,
			nameFields: []string{"field_description", "name"},
			fields: []*fieldDef{
				char("name", "Field Name").req(),
				char("field_description", "Field Label").req().tr(),
				char("model", "Model Name").req(),
				many2one("model_id", "Model", "ir.model").req().on("cascade"),
				char("ttype", "Field Type").req(),
				char("relation", "Related Model"),
				boolean("required", "Required"),
				boolean("readonly", "Readonly"),
				boolean("store", "Stored"),
			}},
		{name: "mail.message.subtype", desc: "Message subtypes", module: "mail", order: "id",
			nameFields: []string{"name"},
			fields: []*fieldDef{
				char("name", "Message Type").req().tr(),
				boolean("internal", "Internal Only"),
			}},
		{name: "mail.message", desc: "Message", module: "mail", order: "id desc",
			nameFields: []string{"record_name"},
			fields: []*fieldDef{
				char("subject", "Subject"),
				datetime("date", "Date"),
				htmlField("body", "Contents"),
				char("model", "Related Document Model"),
				fld("res_id", "many2one_reference", "Related Document ID"),
				char("record_name", "Message Record Name").comp(false),
				many2one("author_id", "Author", "res.partner"),
				char("email_from", "From"),
				selection("message_type", "Type",
					[2]string{"email", "Incoming Email"}, [2]string{"comment", "Comment"},
					[2]string{"email_outgoing", "Outgoing Email"}, [2]string{"notification", "System notification"},
					[2]string{"auto_comment", "Automated Targeted Notification"}, [2]string{"user_notification", "User Specific Notification"}),
				many2one("subtype_id", "Subtype", "mail.message.subtype"),
			}},
		{name: "mail.followers", desc: "Document Followers", module: "mail", order: "id",
			nameFields: []string{"name"},
			fields: []*fieldDef{
				char("res_model", "Related Document Model Name").req(),
				fld("res_id", "many2one_reference", "Related Document ID"),
				many2one("partner_id", "Related Partner", "res.partner").req().on("cascade"),
				char("name", "Name").rel("partner_id.name"),
			}},
		// mail.blacklist (mail module): addresses that get no mass mailing.
		// Odoo normalises the email on create and refuses duplicates with a
		// unique constraint; dsar looks before it creates.
		{name: "mail.blacklist", desc: "Mail Blacklist", module: "mail", order: "id desc",
			nameFields: []string{"email"},
			fields: []*fieldDef{
				char("email", "Email Address").req(),
				boolean("active", "Active"),
			}},
		{name: "crm.stage", desc: "CRM Stages", module: "crm", order: "sequence, name, id",
			nameFields: []string{"name"},
			fields: []*fieldDef{
				char("name", "Stage Name").req().tr(),
				integer("sequence", "Sequence"),
				boolean("is_won", "Is Won Stage?"),
			}},
		{name: "crm.lead", desc: "Lead/Opportunity", module: "crm", order: "id desc", thread: true,
			nameFields: []string{"name"},
			fields: []*fieldDef{
				char("name", "Opportunity").req(),
				selection("type", "Type", [2]string{"lead", "Lead"}, [2]string{"opportunity", "Opportunity"}).req(),
				many2one("partner_id", "Customer", "res.partner"),
				char("partner_name", "Company Name"),
				char("contact_name", "Contact Name"),
				char("email_from", "Email"),
				char("email_normalized", "Normalized Email").comp(true),
				char("phone", "Phone"),
				char("mobile", "Mobile").ver(0, 18),
				char("street", "Street"),
				char("zip", "Zip"),
				char("city", "City"),
				many2one("country_id", "Country", "res.country"),
				htmlField("description", "Notes"),
				many2one("stage_id", "Stage", "crm.stage"),
				float("probability", "Probability"),
				many2one("user_id", "Salesperson", "res.users"),
				boolean("active", "Active"),
			}},
		{name: "sale.order", desc: "Sales Order", module: "sale", order: "date_order desc, id desc", thread: true,
			nameFields: []string{"name"},
			fields: []*fieldDef{
				char("name", "Order Reference").req(),
				many2one("partner_id", "Customer", "res.partner").req(),
				datetime("date_order", "Order Date").req(),
				selection("state", "Status", [2]string{"draft", "Quotation"}, [2]string{"sent", "Quotation Sent"},
					[2]string{"sale", "Sales Order"}, [2]string{"cancel", "Cancelled"}).ro(),
				monetary("amount_total", "Total").ro(),
				char("client_order_ref", "Customer Reference"),
				many2one("user_id", "Salesperson", "res.users"),
			}},
		{name: "purchase.order", desc: "Purchase Order", module: "purchase", order: "id desc", thread: true,
			nameFields: []string{"name", "partner_ref"},
			fields: []*fieldDef{
				char("name", "Order Reference").req(),
				many2one("partner_id", "Vendor", "res.partner").req(),
				char("partner_ref", "Vendor Reference"),
				datetime("date_order", "Order Deadline").req(),
				selection("state", "Status", [2]string{"draft", "RFQ"}, [2]string{"sent", "RFQ Sent"},
					[2]string{"to approve", "To Approve"}, [2]string{"purchase", "Purchase Order"},
					[2]string{"done", "Locked"}, [2]string{"cancel", "Cancelled"}).ro(),
				monetary("amount_total", "Total").ro(),
			}},
		{name: "account.move", desc: "Journal Entry", module: "account", order: "date desc, name desc, id desc", thread: true,
			nameFields: []string{"name"},
			fields: []*fieldDef{
				char("name", "Number"),
				char("ref", "Reference"),
				date("date", "Date").req(),
				selection("state", "Status", [2]string{"draft", "Draft"}, [2]string{"posted", "Posted"}, [2]string{"cancel", "Cancelled"}).req().ro(),
				selection("move_type", "Type", [2]string{"entry", "Journal Entry"}, [2]string{"out_invoice", "Customer Invoice"},
					[2]string{"out_refund", "Customer Credit Note"}, [2]string{"in_invoice", "Vendor Bill"},
					[2]string{"in_refund", "Vendor Credit Note"}, [2]string{"out_receipt", "Sales Receipt"},
					[2]string{"in_receipt", "Purchase Receipt"}).req(),
				many2one("partner_id", "Partner", "res.partner"),
				date("invoice_date", "Invoice/Bill Date"),
				char("invoice_origin", "Origin"),
				monetary("amount_total", "Total").ro(),
				selection("payment_state", "Payment Status", [2]string{"not_paid", "Not Paid"}, [2]string{"in_payment", "In Payment"},
					[2]string{"paid", "Paid"}, [2]string{"partial", "Partially Paid"}, [2]string{"reversed", "Reversed"}).ro(),
			}},
		{name: "pos.order", desc: "Point of Sale Orders", module: "point_of_sale", order: "date_order desc, name desc, id desc",
			nameFields: []string{"name", "pos_reference"},
			fields: []*fieldDef{
				char("name", "Order Ref").req().ro(),
				char("pos_reference", "Receipt Number").ro(),
				datetime("date_order", "Date").ro(),
				many2one("partner_id", "Customer", "res.partner"),
				float("amount_total", "Total").req().ro(),
				selection("state", "Status", [2]string{"draft", "New"}, [2]string{"cancel", "Cancelled"}, [2]string{"paid", "Paid"},
					[2]string{"done", "Posted"}, [2]string{"invoiced", "Invoiced"}).ro(),
				one2many("lines", "Order Lines", "pos.order.line", "order_id"),
			}},
		{name: "pos.order.line", desc: "Point of Sale Order Lines", module: "point_of_sale", order: "id",
			nameFields: []string{"full_product_name"},
			fields: []*fieldDef{
				many2one("order_id", "Order Ref", "pos.order").req().on("cascade"),
				char("full_product_name", "Full Product Name"),
				float("qty", "Quantity"),
				float("price_unit", "Unit Price"),
				float("price_subtotal_incl", "Subtotal").ro(),
			}},
		{name: "loyalty.program", desc: "Loyalty Program", module: "loyalty", order: "id",
			nameFields: []string{"name"},
			fields: []*fieldDef{
				char("name", "Program Name").req().tr(),
				selection("program_type", "Program Type", [2]string{"coupons", "Coupons"}, [2]string{"gift_card", "Gift Card"},
					[2]string{"loyalty", "Loyalty Cards"}, [2]string{"promotion", "Promotions"}, [2]string{"ewallet", "eWallet"},
					[2]string{"promo_code", "Discount Code"}, [2]string{"buy_x_get_y", "Buy X Get Y"},
					[2]string{"next_order_coupons", "Next Order Coupons"}).req(),
				boolean("active", "Active"),
			}},
		{name: "loyalty.card", desc: "Loyalty Coupon", module: "loyalty", order: "id", thread: true,
			nameFields: []string{"code"},
			fields: []*fieldDef{
				many2one("program_id", "Program", "loyalty.program").on("cascade"),
				many2one("partner_id", "Partner", "res.partner"),
				char("code", "Code").req(),
				float("points", "Balance"),
				date("expiration_date", "Expiration Date"),
				boolean("active", "Active").ver(18, 0),
			}},
	}
}

// moduleDepends maps each module to the modules it needs; uninstalling one
// uninstalls those that depend on it.
var moduleDepends = map[string][]string{
	"mail":          {"base"},
	"crm":           {"mail"},
	"sale":          {"mail", "account"},
	"purchase":      {"mail", "account"},
	"account":       {"mail"},
	"point_of_sale": {"account"},
	"loyalty":       {"mail"},
}

// Modules lists the modules the test server can have installed. An
// instance has all of them unless Options.Uninstalled or
// Dataset.Uninstalled name some.
var Modules = []string{"base", "mail", "crm", "sale", "purchase", "account", "point_of_sale", "loyalty"}

// installedModules resolves which modules are installed once the named ones
// (and those depending on them) are removed; base cannot be removed.
func installedModules(uninstalled []string) map[string]bool {
	out := map[string]bool{}
	for _, m := range Modules {
		out[m] = true
	}
	for changed := true; changed; {
		changed = false
		for _, u := range uninstalled {
			if u != "base" && out[u] {
				out[u] = false
				changed = true
			}
		}
		for m, deps := range moduleDepends {
			for _, d := range deps {
				if out[m] && !out[d] {
					out[m] = false
					changed = true
				}
			}
		}
	}
	return out
}

// buildSchema keeps the models and fields present in this version with
// these modules installed.
func buildSchema(version int, installed map[string]bool) schema {
	s := schema{}
	for _, m := range allModels() {
		if !installed[m.module] || m.since > version {
			continue
		}
		m.byName = map[string]*fieldDef{}
		all := append(magicFields(), m.fields...)
		m.fields = nil
		for _, f := range all {
			if f.module != "" && !installed[f.module] {
				continue
			}
			if f.since > version || (f.until != 0 && f.until < version) {
				continue
			}
			m.fields = append(m.fields, f)
			m.byName[f.name] = f
		}
		s[m.name] = m
	}
	// Relational fields pointing at an uninstalled model go too.
	for _, m := range s {
		kept := m.fields[:0]
		for _, f := range m.fields {
			if f.relation != "" && s[f.relation] == nil {
				delete(m.byName, f.name)
				continue
			}
			kept = append(kept, f)
		}
		m.fields = kept
	}
	return s
}

// names returns the installed model names, sorted.
func (s schema) names() []string {
	out := make([]string, 0, len(s))
	for n := range s {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
