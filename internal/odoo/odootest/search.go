package odootest

import (
	"regexp"
	"sort"
	"strings"
)

// searchOpts are search()'s offset, limit and order.
type searchOpts struct {
	order  string
	offset int
	limit  int // 0: no limit
}

// search returns the ids of m's records matching domain, archived ones
// left out unless the context says active_test false or the domain has a
// leaf on active.
func (e *env) search(m *modelDef, domain any, o searchOpts) ([]int, error) {
	node, err := e.parseDomain(domain)
	if err != nil {
		return nil, err
	}
	activeTest := e.activeTest() && !mentionsActive(domain)
	ids, err := e.searchNode(m, node, activeTest)
	if err != nil {
		return nil, err
	}
	terms, err := e.parseOrder(m, o.order)
	if err != nil {
		return nil, err
	}
	e.sortIDs(m, ids, terms)
	if o.offset > 0 {
		if o.offset >= len(ids) {
			ids = ids[:0]
		} else {
			ids = ids[o.offset:]
		}
	}
	if o.limit > 0 && len(ids) > o.limit {
		ids = ids[:o.limit]
	}
	return ids, nil
}

// searchNode returns, in id order, the records matching a parsed domain.
func (e *env) searchNode(m *modelDef, node domNode, activeTest bool) ([]int, error) {
	if activeTest && m.hasActive() {
		node = domAnd{domLeaf{left: "active", op: "=", right: true}, node}
	}
	p, err := e.compile(m, node)
	if err != nil {
		return nil, err
	}
	rows := e.rows(m)
	var ids []int
	for _, id := range e.allIDs(m) {
		if p(id, rows[id]) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// nameSearchIDs is _name_search: records whose name fields match, an OR
// over the fields for a positive operator and an AND for a negative one.
func (e *env) nameSearchIDs(m *modelDef, name any, op string, activeTest bool) ([]int, error) {
	if op == "ilike" && !truthy(name) {
		return e.searchNode(m, domConst(true), activeTest)
	}
	_, negative := negativeOps[op]
	var node domNode
	for _, fname := range m.nameFields {
		if m.field(fname) == nil {
			continue
		}
		leaf := domLeaf{left: fname, op: op, right: name}
		switch {
		case node == nil:
			node = leaf
		case negative:
			node = domAnd{node, leaf}
		default:
			node = domOr{node, leaf}
		}
	}
	if node == nil {
		node = domConst(false)
	}
	return e.searchNode(m, node, activeTest)
}

// orderTerm is one part of an order specification.
type orderTerm struct {
	field *fieldDef
	desc  bool
	nulls int // 0: PostgreSQL's default, -1 first, 1 last
}

var orderRe = regexp.MustCompile(`(?i)^\s*("?[a-z0-9:_]+"?)(\.id)?(\s+(asc|desc))?(\s+nulls\s+(first|last))?\s*$`)

// parseOrder reads "name asc, id desc"; an empty order is the model's _order.
func (e *env) parseOrder(m *modelDef, spec string) ([]orderTerm, error) {
	user := spec != ""
	if !user {
		spec = m.order
	}
	var terms []orderTerm
	hasID := false
	for _, part := range strings.Split(spec, ",") {
		g := orderRe.FindStringSubmatch(part)
		if g == nil {
			return nil, raise(excUserError, "Invalid \"order\" specified (%s). A valid \"order\" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)", spec)
		}
		name := strings.Trim(g[1], `"`)
		f := m.field(name)
		if f == nil {
			if !user {
				continue
			}
			return nil, raise(excValueError, "Invalid field %s on model %s", pyStrRepr(name), pyStrRepr(m.name))
		}
		t := orderTerm{field: f, desc: strings.EqualFold(g[4], "desc")}
		switch strings.ToLower(g[6]) {
		case "first":
			t.nulls = -1
		case "last":
			t.nulls = 1
		}
		hasID = hasID || name == "id"
		terms = append(terms, t)
	}
	if !hasID {
		terms = append(terms, orderTerm{field: m.field("id")})
	}
	return terms, nil
}

// sortIDs orders ids as PostgreSQL would: nulls last in ascending order
// and first in descending order; strings case-insensitively first; a
// many2one by its target's display name.
func (e *env) sortIDs(m *modelDef, ids []int, terms []orderTerm) {
	rows := e.rows(m)
	type key struct {
		id   int
		vals []any
	}
	keys := make([]key, len(ids))
	for i, id := range ids {
		k := key{id: id, vals: make([]any, len(terms))}
		for j, t := range terms {
			v := e.get(m, id, rows[id], t.field)
			if t.field.ttype == "many2one" {
				if tid, ok := v.(int); ok {
					v = e.displayName(e.model(t.field.relation), tid)
				}
			}
			if t.field.ttype == "one2many" {
				v = nil
			}
			k.vals[j] = v
		}
		keys[i] = k
	}
	sort.SliceStable(keys, func(a, b int) bool {
		for j, t := range terms {
			c := orderCompare(keys[a].vals[j], keys[b].vals[j], t)
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	for i, k := range keys {
		ids[i] = k.id
	}
}

func orderCompare(a, b any, t orderTerm) int {
	an, bn := a == nil, b == nil
	if an || bn {
		if an && bn {
			return 0
		}
		nullsFirst := t.desc
		if t.nulls != 0 {
			nullsFirst = t.nulls < 0
		}
		if an == nullsFirst {
			return -1
		}
		return 1
	}
	var c int
	if sa, ok := a.(string); ok {
		sb, _ := b.(string)
		c = strings.Compare(collateKey(sa), collateKey(sb))
		if c == 0 {
			c = strings.Compare(sa, sb)
		}
	} else {
		c, _ = compareValues(a, b)
	}
	if t.desc {
		return -c
	}
	return c
}

// collateKey approximates a French or English locale's collation, as
// PostgreSQL sorts with: case and accents matter last.
func collateKey(s string) string {
	return accentFolder.Replace(strings.ToLower(s))
}

var accentFolder = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a", "å", "a",
	"ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "í", "i", "ì", "i", "ñ", "n",
	"ô", "o", "ö", "o", "ó", "o", "ò", "o", "õ", "o",
	"ù", "u", "û", "u", "ü", "u", "ú", "u", "ÿ", "y",
	"œ", "oe", "æ", "ae",
)
