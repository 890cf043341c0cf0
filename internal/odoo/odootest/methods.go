package odootest

import (
	"fmt"
	"sort"
	"strings"
)

// param is one parameter of a model method's Python signature.
type param struct {
	name     string
	def      any
	required bool
}

func req(name string) param          { return param{name: name, required: true} }
func opt(name string, def any) param { return param{name: name, def: def} }

// methodSpec is a public model method and its signature.
type methodSpec struct {
	name      string
	class     string // where Python defines it, for TypeError messages
	apiModel  bool   // @api.model: takes no ids
	params    []param
	kwOnly    []param
	varKw     bool // **kwargs
	since     int
	until     int
	thread    bool   // mail.thread models only
	access    string // the operation ir.model.access checks first
	returnsID bool   // @api.returns(..., lambda value: value.id): one id up to 17
	run       func(c *callCtx) (any, error)
}

// callCtx is one bound call of a model method.
type callCtx struct {
	e     *env
	m     *modelDef
	ids   []int
	args  map[string]any
	extra map[string]any // **kwargs
}

func (c *callCtx) arg(name string) any { return c.args[name] }

// methods returns the public methods of m in this version.
func (e *env) method(m *modelDef, name string) *methodSpec {
	for _, s := range methodTable(e.version) {
		if s.name != name || (s.since != 0 && e.version < s.since) || (s.until != 0 && e.version > s.until) {
			continue
		}
		if s.thread && !m.thread {
			continue
		}
		return s
	}
	return nil
}

// methodTable lists the model methods the server implements. Parameter
// names follow each version (search took "args" up to 16, "domain" after).
func methodTable(version int) []*methodSpec {
	domainName := "domain"
	if version <= 16 {
		domainName = "args"
	}
	nameSearchDomain := "args"
	if version >= 18 {
		nameSearchDomain = "domain"
	}
	searchParams := []param{req(domainName), opt("offset", 0), opt("limit", nil), opt("order", nil)}
	if version <= 16 {
		searchParams = append(searchParams, opt("count", false))
	}
	postParams := []param{opt("body", ""), opt("subject", nil), opt("message_type", "notification"), opt("email_from", nil),
		opt("author_id", nil), opt("parent_id", false), opt("subtype_xmlid", nil), opt("subtype_id", false),
		opt("partner_ids", nil), opt("attachments", nil), opt("attachment_ids", nil)}
	if version >= 17 {
		postParams = append(postParams, opt("body_is_html", false))
	}
	return []*methodSpec{
		{name: "search_read", class: "BaseModel", apiModel: true, access: "read", varKw: true,
			params: []param{opt("domain", nil), opt("fields", nil), opt("offset", 0), opt("limit", nil), opt("order", nil)},
			run:    runSearchRead},
		{name: "search", class: "BaseModel", apiModel: true, access: "read", params: searchParams, run: runSearch},
		{name: "search_count", class: "BaseModel", apiModel: true, access: "read",
			params: []param{req(domainName), opt("limit", nil)}, run: runSearchCount},
		{name: "read", class: "BaseModel", access: "read",
			params: []param{opt("fields", nil), opt("load", "_classic_read")}, run: runRead},
		{name: "fields_get", class: "BaseModel", apiModel: true,
			params: []param{opt("allfields", nil), opt("attributes", nil)}, run: runFieldsGet},
		{name: "create", class: "BaseModel", apiModel: true, access: "create",
			params: []param{req("vals_list")}, run: runCreate},
		{name: "write", class: "BaseModel", access: "write", params: []param{req("vals")}, run: runWrite},
		{name: "unlink", class: "BaseModel", access: "unlink", run: runUnlink},
		{name: "exists", class: "BaseModel", run: runExists},
		{name: "name_search", class: "BaseModel", apiModel: true, access: "read",
			params: []param{opt("name", ""), opt(nameSearchDomain, nil), opt("operator", "ilike"), opt("limit", 100)},
			run:    runNameSearch},
		{name: "name_get", class: "BaseModel", access: "read", until: 16, run: runNameGet},
		{name: "check_access_rights", class: "BaseModel", apiModel: true,
			params: []param{req("operation"), opt("raise_exception", true)}, run: runCheckAccessRights},
		{name: "has_access", class: "BaseModel", since: 18, params: []param{req("operation")}, run: runHasAccess},
		{name: "check_access", class: "BaseModel", since: 18, params: []param{req("operation")}, run: runCheckAccess},
		{name: "message_post", class: "MailThread", thread: true, kwOnly: postParams, varKw: true,
			returnsID: true, run: runMessagePost},
	}
}

// bind matches positional and keyword arguments to the signature as
// Python does, with the TypeError messages of a call, or of
// inspect.Signature.bind (what JSON-2 uses) when viaInspect is set.
func (s *methodSpec) bind(pos []any, kw map[string]any, viaInspect bool) (map[string]any, map[string]any, error) {
	qual := s.class + "." + s.name
	out := map[string]any{}
	extra := map[string]any{}
	if len(pos) > len(s.params) {
		return nil, nil, raise(excTypeError, "%s() %s", qual, takesMessage(s.params, len(pos)+1))
	}
	for i, v := range pos {
		out[s.params[i].name] = v
	}
	keys := make([]string, 0, len(kw))
	for k := range kw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, dup := out[k]; dup {
			return nil, nil, raise(excTypeError, "%s() got multiple values for argument '%s'", qual, k)
		}
		if hasParam(s.params, k) || hasParam(s.kwOnly, k) {
			out[k] = kw[k]
			continue
		}
		if !s.varKw {
			if viaInspect {
				return nil, nil, raise(excTypeError, "got an unexpected keyword argument '%s'", k)
			}
			return nil, nil, raise(excTypeError, "%s() got an unexpected keyword argument '%s'", qual, k)
		}
		extra[k] = kw[k]
	}
	var missing []string
	for _, p := range append(append([]param(nil), s.params...), s.kwOnly...) {
		if _, ok := out[p.name]; ok {
			continue
		}
		if p.required {
			missing = append(missing, "'"+p.name+"'")
			continue
		}
		out[p.name] = p.def
	}
	if len(missing) > 0 && viaInspect {
		return nil, nil, raise(excTypeError, "missing a required argument: %s", missing[0])
	}
	if len(missing) > 0 {
		what := "positional argument"
		if len(missing) > 1 {
			what += "s"
		}
		list := missing[0]
		if len(missing) > 1 {
			list = strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1]
		}
		return nil, nil, raise(excTypeError, "%s() missing %d required %s: %s", qual, len(missing), what, list)
	}
	return out, extra, nil
}

func hasParam(ps []param, name string) bool {
	for _, p := range ps {
		if p.name == name {
			return true
		}
	}
	return false
}

// takesMessage is Python's "takes N positional arguments but M were given"
// (self included).
func takesMessage(ps []param, given int) string {
	max := len(ps) + 1
	min := 1
	for _, p := range ps {
		if p.required {
			min++
		}
	}
	plural := func(n int) string {
		if n == 1 {
			return "1 positional argument"
		}
		return fmt.Sprintf("%d positional arguments", n)
	}
	was := "were"
	if given == 1 {
		was = "was"
	}
	if min == max {
		return fmt.Sprintf("takes %s but %d %s given", plural(max), given, was)
	}
	return fmt.Sprintf("takes from %d to %s but %d %s given", min, plural(max), given, was)
}

// checkModelAccess applies ir.model.access: administrators only on
// ir.model and ir.model.fields, and the models a user is denied.
func (e *env) checkModelAccess(m *modelDef, operation string) error {
	if operation == "" {
		return nil
	}
	if e.denied(m) {
		return modelAccessError(m, operation)
	}
	return nil
}

func (e *env) denied(m *modelDef) bool {
	if e.user == nil {
		return false
	}
	if m.virtual && !e.user.Admin {
		return true
	}
	for _, d := range e.user.Denied {
		if d == m.name {
			return true
		}
	}
	return false
}

func optInt(v any) (int, error) {
	if v == nil || v == false {
		return 0, nil
	}
	n, ok := asInt(v)
	if !ok {
		return 0, raise(excTypeError, "'%s' object cannot be interpreted as an integer", pyTypeName(v))
	}
	return n, nil
}

func optOrder(v any) (string, error) {
	if v == nil || v == false {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", raise(excTypeError, "expected string or bytes-like object, got '%s'", pyTypeName(v))
	}
	return s, nil
}

func searchOptsOf(c *callCtx) (searchOpts, error) {
	var o searchOpts
	var err error
	if o.offset, err = optInt(c.arg("offset")); err != nil {
		return o, err
	}
	if o.limit, err = optInt(c.arg("limit")); err != nil {
		return o, err
	}
	o.order, err = optOrder(c.arg("order"))
	return o, err
}

func (c *callCtx) domain() any {
	if d, ok := c.args["domain"]; ok {
		return d
	}
	return c.args["args"]
}

func runSearch(c *callCtx) (any, error) {
	o, err := searchOptsOf(c)
	if err != nil {
		return nil, err
	}
	ids, err := c.e.search(c.m, c.domain(), o)
	if err != nil {
		return nil, err
	}
	if truthy(c.arg("count")) {
		return len(ids), nil
	}
	return recordset{c.m.name, ids}, nil
}

func runSearchCount(c *callCtx) (any, error) {
	limit, err := optInt(c.arg("limit"))
	if err != nil {
		return nil, err
	}
	ids, err := c.e.search(c.m, c.domain(), searchOpts{limit: limit})
	if err != nil {
		return nil, err
	}
	return len(ids), nil
}

func runSearchRead(c *callCtx) (any, error) {
	o, err := searchOptsOf(c)
	if err != nil {
		return nil, err
	}
	for k := range c.extra {
		if k != "load" {
			return nil, raise(excTypeError, "BaseModel.read() got an unexpected keyword argument '%s'", k)
		}
	}
	fields, ok := stringList(c.arg("fields"))
	if !ok {
		return nil, raise(excTypeError, "'%s' object is not iterable", pyTypeName(c.arg("fields")))
	}
	if err := c.e.checkFields(c.m, fields); err != nil {
		return nil, err
	}
	ids, err := c.e.search(c.m, c.domain(), o)
	if err != nil {
		return nil, err
	}
	load, ok := c.extra["load"]
	return c.e.read(c.m, ids, fields, !ok || load == "_classic_read")
}

func runRead(c *callCtx) (any, error) {
	fields, ok := stringList(c.arg("fields"))
	if !ok {
		return nil, raise(excTypeError, "'%s' object is not iterable", pyTypeName(c.arg("fields")))
	}
	return c.e.read(c.m, c.ids, fields, c.arg("load") == "_classic_read")
}

// checkFields rejects unknown field names, as read() does.
func (e *env) checkFields(m *modelDef, fields []string) error {
	for _, f := range fields {
		if m.field(f) == nil {
			return invalidField(f, m.name)
		}
	}
	return nil
}

// read returns the records that still exist, one dict each, "id" first
// and then the fields asked (all of them when none are).
func (e *env) read(m *modelDef, ids []int, fields []string, classic bool) (any, error) {
	if err := e.checkFields(m, fields); err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		for _, f := range m.fields {
			fields = append(fields, f.name)
		}
	}
	out := []any{}
	for _, id := range ids {
		row, ok := e.row(m, id)
		if !ok {
			continue // a record deleted since: left out, not an error
		}
		d := newDict()
		d.set("id", id)
		for _, name := range fields {
			f := m.field(name)
			d.set(name, e.readValue(f, e.get(m, id, row, f), classic))
		}
		out = append(out, d)
	}
	return out, nil
}

func runCreate(c *callCtx) (any, error) {
	switch v := c.arg("vals_list").(type) {
	case map[string]any:
		id, err := c.e.create(c.m, v)
		if err != nil {
			return nil, err
		}
		return recordset{c.m.name, []int{id}}, nil
	case []any:
		var ids []int
		for _, item := range v {
			vals, ok := item.(map[string]any)
			if !ok {
				return nil, raise(excAttributeError, "'%s' object has no attribute 'items'", pyTypeName(item))
			}
			id, err := c.e.create(c.m, vals)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return recordset{c.m.name, ids}, nil
	}
	return nil, raise(excAttributeError, "'%s' object has no attribute 'items'", pyTypeName(c.arg("vals_list")))
}

func runWrite(c *callCtx) (any, error) {
	vals, ok := c.arg("vals").(map[string]any)
	if !ok {
		return nil, raise(excAttributeError, "'%s' object has no attribute 'items'", pyTypeName(c.arg("vals")))
	}
	if err := c.e.write(c.m, c.ids, vals); err != nil {
		return nil, err
	}
	return true, nil
}

func runUnlink(c *callCtx) (any, error) {
	if err := c.e.unlink(c.m, c.ids); err != nil {
		return nil, err
	}
	return true, nil
}

func runExists(c *callCtx) (any, error) {
	var ids []int
	for _, id := range c.ids {
		if _, ok := c.e.row(c.m, id); ok {
			ids = append(ids, id)
		}
	}
	return recordset{c.m.name, ids}, nil
}

func runNameGet(c *callCtx) (any, error) {
	out := []any{}
	for _, id := range c.ids {
		if _, ok := c.e.row(c.m, id); !ok {
			return nil, missingRecord(c.m.name, id, c.e.uid)
		}
		out = append(out, []any{id, c.e.displayName(c.m, id)})
	}
	return out, nil
}

func runNameSearch(c *callCtx) (any, error) {
	op, _ := c.arg("operator").(string)
	limit, err := optInt(c.arg("limit"))
	if err != nil {
		return nil, err
	}
	ids, err := c.e.nameSearchIDs(c.m, c.arg("name"), op, c.e.activeTest())
	if err != nil {
		return nil, err
	}
	dom := c.args["args"]
	if d, ok := c.args["domain"]; ok {
		dom = d
	}
	if truthy(dom) {
		other, err := c.e.search(c.m, dom, searchOpts{})
		if err != nil {
			return nil, err
		}
		keep := intSet(other)
		ids = filterIDs(ids, keep)
	}
	terms, _ := c.e.parseOrder(c.m, "")
	c.e.sortIDs(c.m, ids, terms)
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	out := []any{}
	for _, id := range ids {
		out = append(out, []any{id, c.e.displayName(c.m, id)})
	}
	return out, nil
}

func filterIDs(ids []int, keep map[int]bool) []int {
	out := ids[:0]
	for _, id := range ids {
		if keep[id] {
			out = append(out, id)
		}
	}
	return out
}

func validOperation(op any) error {
	switch op {
	case "read", "write", "create", "unlink":
		return nil
	}
	return raise(excValueError, "Invalid access mode")
}

// runCheckAccessRights: up to 17 it returns a boolean; from 18 it is
// check_access() (None) unless raise_exception is false (has_access()).
func runCheckAccessRights(c *callCtx) (any, error) {
	if err := validOperation(c.arg("operation")); err != nil {
		return nil, err
	}
	allowed := !c.e.denied(c.m)
	if !truthy(c.arg("raise_exception")) {
		return allowed, nil
	}
	if !allowed {
		return nil, modelAccessError(c.m, c.arg("operation").(string))
	}
	if c.e.version >= 18 {
		return nil, nil
	}
	return true, nil
}

func runHasAccess(c *callCtx) (any, error) {
	if err := validOperation(c.arg("operation")); err != nil {
		return nil, err
	}
	return !c.e.denied(c.m), nil
}

func runCheckAccess(c *callCtx) (any, error) {
	if err := validOperation(c.arg("operation")); err != nil {
		return nil, err
	}
	if c.e.denied(c.m) {
		return nil, modelAccessError(c.m, c.arg("operation").(string))
	}
	return nil, nil
}
