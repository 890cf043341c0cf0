package odootest

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// env is one call's view of the database: Odoo's Environment, with the
// calling user and the call's context.
type env struct {
	s       *Server
	sc      schema
	data    *Dataset
	version int
	uid     int
	user    *User
	ctx     map[string]any
	now     time.Time
	virtual map[string]map[int]map[string]any // ir.model and ir.model.fields, built on demand
}

// activeTest is the context's active_test, true unless set false.
func (e *env) activeTest() bool {
	v, ok := e.ctx["active_test"]
	return !ok || truthy(v)
}

// withActiveTest returns a copy of e whose context has active_test set.
func (e *env) withActiveTest(on bool) *env {
	c := *e
	c.ctx = map[string]any{}
	for k, v := range e.ctx {
		c.ctx[k] = v
	}
	c.ctx["active_test"] = on
	return &c
}

func (e *env) model(name string) *modelDef { return e.sc[name] }

// rows returns a model's records, generated for the virtual models.
func (e *env) rows(m *modelDef) map[int]map[string]any {
	if !m.virtual {
		return e.data.table(m.name).rows
	}
	if e.virtual == nil {
		e.virtual = buildVirtual(e.sc)
	}
	return e.virtual[m.name]
}

func (e *env) row(m *modelDef, id int) (map[string]any, bool) {
	r, ok := e.rows(m)[id]
	return r, ok
}

// allIDs returns every id of the model, archived ones included, ascending.
func (e *env) allIDs(m *modelDef) []int {
	rows := e.rows(m)
	ids := make([]int, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}

// buildVirtual generates ir.model and ir.model.fields from the schema.
func buildVirtual(sc schema) map[string]map[int]map[string]any {
	models := map[int]map[string]any{}
	fields := map[int]map[string]any{}
	fid := 0
	for i, name := range sc.names() {
		m := sc[name]
		mid := i + 1
		models[mid] = map[string]any{"name": m.desc, "model": m.name, "state": "base", "transient": false, "modules": m.module}
		for _, f := range m.fields {
			fid++
			var rel any
			if f.relation != "" {
				rel = f.relation
			}
			fields[fid] = map[string]any{
				"name": f.name, "field_description": f.label, "model": m.name, "model_id": mid,
				"ttype": f.ttype, "relation": rel, "required": f.required, "readonly": f.readonly, "store": f.store,
			}
		}
	}
	return map[string]map[int]map[string]any{"ir.model": models, "ir.model.fields": fields}
}

// get returns a field's value on a record as the ORM holds it: an int id
// for a many2one, ids for a one2many, nil when empty; computed fields are
// computed.
func (e *env) get(m *modelDef, id int, row map[string]any, f *fieldDef) any {
	switch {
	case f.name == "id":
		return id
	case f.name == "display_name":
		return e.displayName(m, id)
	case f.related != "":
		link, name, _ := strings.Cut(f.related, ".")
		target, ok := row[link].(int)
		if !ok {
			return nil
		}
		co := e.model(m.field(link).relation)
		if r, ok := e.row(co, target); ok {
			return e.get(co, target, r, co.field(name))
		}
		return nil
	case f.ttype == "one2many":
		return e.one2many(m, id, f)
	case f.name == "company_type":
		if truthy(row["is_company"]) {
			return "company"
		}
		return "person"
	case f.name == "email_normalized":
		src := row["email"]
		if m.name == "crm.lead" {
			src = row["email_from"]
		}
		if s, ok := src.(string); ok {
			if n := emailNormalize(s); n != "" {
				return n
			}
		}
		return nil
	case f.name == "record_name" && m.name == "mail.message":
		model, _ := row["model"].(string)
		resID, _ := row["res_id"].(int)
		if co := e.model(model); co != nil {
			if _, ok := e.row(co, resID); ok {
				return e.displayName(co, resID)
			}
		}
		return nil
	}
	return row[f.name]
}

// one2many returns the records of the comodel pointing at id, archived ones
// left out unless the context says active_test false, in the comodel's order.
func (e *env) one2many(m *modelDef, id int, f *fieldDef) []int {
	co := e.model(f.relation)
	var ids []int
	for cid, r := range e.rows(co) {
		if r[f.inverse] == id && (!e.activeTest() || !co.hasActive() || truthy(r["active"])) {
			ids = append(ids, cid)
		}
	}
	sort.Ints(ids)
	terms, _ := e.parseOrder(co, "")
	e.sortIDs(co, ids, terms)
	return ids
}

// displayName is the record's display_name.
func (e *env) displayName(m *modelDef, id int) string {
	row, ok := e.row(m, id)
	if !ok {
		return ""
	}
	str := func(k string) string { s, _ := row[k].(string); return s }
	switch m.name {
	case "res.partner":
		return e.partnerDisplayName(m, row)
	case "res.users", "mail.followers":
		if p, ok := row["partner_id"].(int); ok {
			return e.displayName(e.model("res.partner"), p)
		}
		return ""
	case "account.move":
		name := str("name")
		if str("state") != "draft" {
			return name
		}
		label := map[string]string{"out_invoice": "Draft Invoice", "out_refund": "Draft Credit Note",
			"in_invoice": "Draft Bill", "in_refund": "Draft Vendor Credit Note", "out_receipt": "Draft Sales Receipt",
			"in_receipt": "Draft Purchase Receipt", "entry": "Draft Entry"}[str("move_type")]
		if name == "" || name == "/" {
			return label + " (* " + itoa(id) + ")"
		}
		return label + " " + name
	case "mail.message":
		if s, ok := e.get(m, id, row, m.field("record_name")).(string); ok {
			return s
		}
		return ""
	case "res.partner.bank":
		return str("acc_number")
	case "loyalty.card":
		return str("code")
	case "pos.order.line":
		return str("full_product_name")
	case "ir.model.fields":
		return str("field_description")
	}
	if _, ok := row["name"]; ok || m.field("name") != nil {
		return str("name")
	}
	return m.name + "," + itoa(id)
}

// partnerDisplayName is res.partner's: a contact of a company shows as
// "Company, Contact"; an unnamed address as "Company, Invoice Address".
func (e *env) partnerDisplayName(m *modelDef, row map[string]any) string {
	name, _ := row["name"].(string)
	parentID, hasParent := row["parent_id"].(int)
	if !hasParent {
		return name
	}
	if name == "" {
		for _, s := range m.field("type").selection {
			if s[0] == row["type"] && s[0] != "contact" {
				name = s[1]
			}
		}
	}
	if truthy(row["is_company"]) {
		return name
	}
	// the commercial entity: the first company up the tree, or the top
	company, seen := parentID, map[int]bool{}
	for !seen[company] {
		seen[company] = true
		r, ok := e.row(m, company)
		if !ok || truthy(r["is_company"]) {
			break
		}
		up, ok := r["parent_id"].(int)
		if !ok {
			break
		}
		company = up
	}
	cname := ""
	if r, ok := e.row(m, company); ok && truthy(r["is_company"]) {
		cname, _ = r["name"].(string)
	}
	if cname == "" {
		if r, ok := e.row(m, parentID); ok {
			cname, _ = r["name"].(string)
		}
	}
	return cname + ", " + name
}

// readValue is a field's value as read() returns it (convert_to_read): a
// many2one is [id, display_name] (or the id when load is not
// "_classic_read"), empty values are False except 0 for numbers and [] for
// one2many, integers above 2^31-1 are floats.
func (e *env) readValue(f *fieldDef, v any, classic bool) any {
	switch f.ttype {
	case "many2one":
		id, ok := v.(int)
		if !ok || id == 0 {
			return false
		}
		if !classic {
			return id
		}
		return []any{id, e.displayName(e.model(f.relation), id)}
	case "one2many":
		ids, _ := v.([]int)
		out := make([]any, len(ids))
		for i, id := range ids {
			out[i] = id
		}
		return out
	case "integer", "many2one_reference":
		switch n := v.(type) {
		case int:
			if n > maxInt {
				return float64(n)
			}
			return n
		case float64:
			return int(n)
		}
		return 0
	case "float", "monetary":
		switch n := v.(type) {
		case float64:
			return n
		case int:
			return float64(n)
		}
		return 0.0
	case "boolean":
		return truthy(v)
	}
	if v == nil || v == false {
		return false
	}
	return v
}

// emailNormalize is Odoo's tools.email_normalize(text, strict=False): the
// first address in the text, lowercased (the local part only if ASCII);
// "" when there is none.
func emailNormalize(text string) string {
	for _, part := range strings.Split(text, ",") {
		addr := strings.TrimSpace(part)
		if i := strings.LastIndex(addr, "<"); i >= 0 {
			if j := strings.Index(addr[i:], ">"); j > 0 {
				addr = addr[i+1 : i+j]
			}
		}
		addr = strings.TrimSpace(addr)
		at := strings.LastIndex(addr, "@")
		if at <= 0 || at == len(addr)-1 || strings.ContainsAny(addr, " \t") {
			continue
		}
		local, domain := addr[:at], addr[at+1:]
		if isASCII(local) {
			local = strings.ToLower(local)
		}
		return local + "@" + strings.ToLower(domain)
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func itoa(n int) string { return strconv.Itoa(n) }
