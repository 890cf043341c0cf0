package odootest

import "strings"

// runFieldsGet is fields_get(allfields, attributes): each field's
// description, limited to the attributes asked. Odoo 19 describes the
// domain of a relational field without one as None, which XML-RPC cannot
// marshal: a full fields_get faults there, as on a real 19.
func runFieldsGet(c *callCtx) (any, error) {
	all, ok := stringList(c.arg("allfields"))
	if !ok {
		return nil, raise(excTypeError, "'%s' object is not iterable", pyTypeName(c.arg("allfields")))
	}
	attrs, ok := stringList(c.arg("attributes"))
	if !ok {
		return nil, raise(excTypeError, "'%s' object is not iterable", pyTypeName(c.arg("attributes")))
	}
	want := func(list []string, name string) bool {
		if list == nil {
			return true
		}
		for _, s := range list {
			if s == name {
				return true
			}
		}
		return false
	}
	out := newDict()
	for _, f := range c.m.fields {
		if all != nil && !want(all, f.name) {
			continue
		}
		desc := newDict()
		full := c.e.describe(f)
		for _, k := range full.keys {
			if attrs == nil || want(attrs, k) {
				desc.set(k, full.vals[k])
			}
		}
		out.set(f.name, desc)
	}
	return out, nil
}

// describe is Field.get_description: the attributes in alphabetical order.
func (e *env) describe(f *fieldDef) *dict {
	d := newDict()
	relational := f.relation != ""
	d.set("change_default", false)
	d.set("company_dependent", false)
	if relational {
		d.set("context", map[string]any{})
	}
	deps := []any{}
	if f.related != "" {
		deps = append(deps, f.related)
	}
	d.set("depends", deps)
	if relational {
		if e.version >= 19 {
			d.set("domain", nil)
		} else {
			d.set("domain", []any{})
		}
	}
	d.set("exportable", true)
	if e.version >= 17 {
		d.set("groupable", f.store && f.ttype != "one2many" && f.ttype != "text" && f.ttype != "html" && f.ttype != "binary")
	}
	if f.help != "" {
		d.set("help", f.help)
	}
	d.set("manual", false)
	d.set("name", f.name)
	d.set("readonly", f.readonly)
	if relational {
		d.set("relation", f.relation)
	}
	if f.ttype == "one2many" {
		d.set("relation_field", f.inverse)
	}
	d.set("required", f.required)
	d.set("searchable", f.store || f.name == "display_name" || f.related != "")
	if f.ttype == "selection" {
		sel := make([]any, len(f.selection))
		for i, s := range f.selection {
			sel[i] = []any{s[0], s[1]}
		}
		d.set("selection", sel)
	}
	d.set("sortable", f.store && f.ttype != "one2many")
	d.set("store", f.store)
	d.set("string", f.label)
	switch f.ttype {
	case "char", "text", "html":
		d.set("translate", f.translate)
	}
	if f.ttype == "char" {
		d.set("trim", true)
	}
	d.set("type", f.ttype)
	return d
}

// runMessagePost is mail.thread's message_post: it stores a mail.message
// on the record and returns it (its id up to 17, [id] from 18, where
// call_kw no longer downgrades records to one id).
func runMessagePost(c *callCtx) (any, error) {
	e := c.e
	if len(c.ids) != 1 {
		return nil, raise(excValueError, "Expected singleton: %s", recordRepr(c.m.name, c.ids))
	}
	id := c.ids[0]
	if _, ok := e.row(c.m, id); !ok {
		return nil, missingRecord(c.m.name, id, e.uid)
	}
	mm := e.model("mail.message")
	subtype, err := e.subtype(c.arg("subtype_xmlid"), c.arg("subtype_id"))
	if err != nil {
		return nil, err
	}
	author := c.arg("author_id")
	if !truthy(author) {
		author = e.userPartner()
	}
	body := pyStr(c.arg("body"))
	if !truthy(c.arg("body")) {
		body = ""
	}
	if e.version >= 17 && !truthy(c.arg("body_is_html")) {
		body = htmlEscape(body)
	}
	if body != "" && !strings.HasPrefix(strings.TrimSpace(body), "<") {
		body = "<p>" + body + "</p>"
	}
	vals := map[string]any{
		"model": c.m.name, "res_id": id, "body": body, "message_type": c.arg("message_type"),
		"subtype_id": subtype, "author_id": author, "subject": c.arg("subject"),
		"email_from": c.arg("email_from"), "date": e.now.UTC().Format(datetimeLayout),
	}
	if !truthy(vals["email_from"]) {
		vals["email_from"] = e.formatAuthor(author)
	}
	mid, err := e.create(mm, vals)
	if err != nil {
		return nil, err
	}
	return recordset{"mail.message", []int{mid}}, nil
}

// subtype resolves subtype_xmlid or subtype_id; a note by default.
func (e *env) subtype(xmlid, id any) (any, error) {
	if n, ok := id.(int); ok && n != 0 {
		return n, nil
	}
	name := "mail.mt_note"
	if s, ok := xmlid.(string); ok && s != "" {
		name = s
	}
	label := map[string]string{"mail.mt_comment": "Discussions", "mail.mt_note": "Note"}[name]
	if label != "" {
		st := e.model("mail.message.subtype")
		for _, sid := range e.allIDs(st) {
			if r, _ := e.row(st, sid); r["name"] == label {
				return sid, nil
			}
		}
	}
	return nil, raise(excValueError, "External ID not found in the system: %s", name)
}

// userPartner is the calling user's partner id.
func (e *env) userPartner() any {
	if r, ok := e.row(e.model("res.users"), e.uid); ok {
		return r["partner_id"]
	}
	return nil
}

// formatAuthor is the author as Odoo puts it in email_from: "Name <email>".
func (e *env) formatAuthor(author any) any {
	pid, ok := author.(int)
	if !ok {
		return nil
	}
	r, ok := e.row(e.model("res.partner"), pid)
	if !ok {
		return nil
	}
	email, _ := r["email"].(string)
	if email == "" {
		return nil
	}
	name, _ := r["name"].(string)
	if strings.ContainsAny(name, ",;\"<>@()") {
		name = `"` + strings.ReplaceAll(name, `"`, `\"`) + `"`
	}
	return name + " <" + email + ">"
}

// htmlEscape is markupsafe.escape as the Html field stores it once
// sanitized: quotes come back as themselves, &, < and > stay escaped.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
