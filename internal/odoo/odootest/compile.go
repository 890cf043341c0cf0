package odootest

import (
	"regexp"
	"strings"
)

// compile turns a domain tree into a predicate on m's records.
func (e *env) compile(m *modelDef, n domNode) (pred, error) {
	switch x := n.(type) {
	case domConst:
		if x {
			return predTrue, nil
		}
		return predFalse, nil
	case domAnd, domOr:
		var a, b domNode
		if and, ok := x.(domAnd); ok {
			a, b = and.a, and.b
		} else {
			or := x.(domOr)
			a, b = or.a, or.b
		}
		pa, err := e.compile(m, a)
		if err != nil {
			return nil, err
		}
		pb, err := e.compile(m, b)
		if err != nil {
			return nil, err
		}
		if _, ok := x.(domAnd); ok {
			return func(id int, r map[string]any) bool { return pa(id, r) && pb(id, r) }, nil
		}
		return func(id int, r map[string]any) bool { return pa(id, r) || pb(id, r) }, nil
	case domNot:
		p, err := e.compile(m, x.a)
		if err != nil {
			return nil, err
		}
		return func(id int, r map[string]any) bool { return !p(id, r) }, nil
	case domLeaf:
		return e.compileLeaf(m, x)
	}
	return predTrue, nil
}

func (e *env) compileLeaf(m *modelDef, l domLeaf) (pred, error) {
	op, right := l.op, l.right
	if op == "=?" {
		if right == nil || right == false {
			return predTrue, nil
		}
		op = "="
	}
	name, rest, isPath := strings.Cut(l.left, ".")
	f := m.field(name)
	if f == nil {
		return nil, e.invalidFieldInLeaf(m, name, l)
	}
	if isPath {
		if f.relation == "" {
			return nil, e.invalidFieldInLeaf(m, l.left, l)
		}
		return e.compileAny(m, f, "any", domLeaf{left: rest, op: l.op, right: l.right})
	}
	if f.related != "" {
		link, target, _ := strings.Cut(f.related, ".")
		return e.compileAny(m, m.field(link), "any", domLeaf{left: target, op: l.op, right: l.right})
	}
	switch op {
	case "any", "not any":
		if f.relation == "" {
			return nil, e.invalidLeaf([]any{l.left, l.op, l.right})
		}
		sub, err := e.parseDomain(right)
		if err != nil {
			return nil, err
		}
		return e.compileAny(m, f, op, sub)
	case "child_of", "parent_of":
		return e.compileHierarchy(m, f, op, right)
	}
	switch f.ttype {
	case "many2one":
		if isStringish(right) {
			return e.compileMany2oneName(m, f, op, right)
		}
	case "one2many":
		return e.compileX2many(m, f, op, right)
	}
	return e.compileScalar(m, f, op, right)
}

// isStringish: a string, or a non-empty list of strings.
func isStringish(v any) bool {
	switch x := v.(type) {
	case string:
		return true
	case []any:
		if len(x) == 0 {
			return false
		}
		for _, e := range x {
			if _, ok := e.(string); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// compileAny: the relational field's targets match a subdomain. A many2one
// looks at archived targets too; a one2many hides them as its reads do.
func (e *env) compileAny(m *modelDef, f *fieldDef, op string, sub domNode) (pred, error) {
	co := e.model(f.relation)
	sube := e
	if f.ttype == "many2one" {
		sube = e.withActiveTest(false)
	}
	ids, err := sube.searchNode(co, sub, sube.activeTest() && !nodeMentionsActive(sub))
	if err != nil {
		return nil, err
	}
	set := intSet(ids)
	if f.ttype == "many2one" {
		return func(id int, r map[string]any) bool {
			v, ok := e.get(m, id, r, f).(int)
			if op == "not any" {
				return !ok || !set[v]
			}
			return ok && set[v]
		}, nil
	}
	return func(id int, r map[string]any) bool {
		return e.relatedIn(m, f, id, set) == (op == "any")
	}, nil
}

// relatedIn reports whether any record of the comodel that id's one2many
// points at is in set.
func (e *env) relatedIn(m *modelDef, f *fieldDef, id int, set map[int]bool) bool {
	for _, cid := range e.relatedAll(m, f, id) {
		if set[cid] {
			return true
		}
	}
	return false
}

// relatedAll returns every record of the comodel a one2many points at,
// archived ones included (as the SQL of a one2many leaf sees them).
func (e *env) relatedAll(m *modelDef, f *fieldDef, id int) []int {
	co := e.model(f.relation)
	var out []int
	for cid, r := range e.rows(co) {
		if r[f.inverse] == id {
			out = append(out, cid)
		}
	}
	return out
}

func (e *env) compileX2many(m *modelDef, f *fieldDef, op string, right any) (pred, error) {
	_, negative := negativeOps[op]
	if right == nil || right == false {
		return func(id int, r map[string]any) bool {
			return (len(e.relatedAll(m, f, id)) > 0) == negative
		}, nil
	}
	var ids2 []int
	if s, ok := right.(string); ok {
		op2 := op
		if negative {
			op2 = negativeOps[op]
		}
		var err error
		if ids2, err = e.nameSearchIDs(e.model(f.relation), s, op2, e.activeTest()); err != nil {
			return nil, err
		}
	} else if l, ok := idList(right); ok {
		ids2 = l
	} else {
		return nil, e.invalidLeaf([]any{f.name, op, right})
	}
	set := intSet(ids2)
	return func(id int, r map[string]any) bool {
		return e.relatedIn(m, f, id, set) != negative
	}, nil
}

// compileMany2oneName: a many2one compared to names, through name_search
// on the comodel (archived records included).
func (e *env) compileMany2oneName(m *modelDef, f *fieldDef, op string, right any) (pred, error) {
	switch op {
	case "<", ">", "<=", ">=":
		op = "in"
	}
	_, isList := right.([]any)
	if isList && op == "=" {
		op = "in"
	} else if isList && op == "!=" {
		op = "not in"
	} else if !isList && op == "in" {
		op = "="
	} else if !isList && op == "not in" {
		op = "!="
	}
	ids, err := e.nameSearchIDs(e.model(f.relation), right, op, false)
	if err != nil {
		return nil, err
	}
	set := intSet(ids)
	_, negative := negativeOps[op]
	return func(id int, r map[string]any) bool {
		v, ok := r[f.name].(int)
		if !ok {
			return negative
		}
		return set[v]
	}, nil
}

// compileHierarchy implements child_of and parent_of.
func (e *env) compileHierarchy(m *modelDef, f *fieldDef, op string, right any) (pred, error) {
	target, parentField, onID := m, m.parent, true
	switch {
	case f.name == "id":
	case f.ttype == "many2one" && f.relation == m.name:
		parentField = f.name
	case f.relation != "":
		target, parentField, onID = e.model(f.relation), e.model(f.relation).parent, false
	default:
		return nil, e.invalidLeaf([]any{f.name, op, right})
	}
	if parentField == "" || target.field(parentField) == nil {
		return nil, raise(excKeyError, "%s", pyStrRepr("parent_id"))
	}
	roots, err := e.hierarchyIDs(target, right)
	if err != nil {
		return nil, err
	}
	set := e.walkTree(target, parentField, roots, op == "child_of")
	if onID {
		return func(id int, r map[string]any) bool { return set[id] }, nil
	}
	if f.ttype == "one2many" {
		return func(id int, r map[string]any) bool {
			for _, cid := range e.relatedAll(m, f, id) {
				if set[cid] {
					return true
				}
			}
			return false
		}, nil
	}
	return func(id int, r map[string]any) bool {
		v, ok := r[f.name].(int)
		return ok && set[v]
	}, nil
}

// hierarchyIDs reads child_of's operand: ids, or names to look up.
func (e *env) hierarchyIDs(m *modelDef, right any) ([]int, error) {
	if isStringish(right) {
		names := []any{right}
		if l, ok := right.([]any); ok {
			names = l
		}
		var out []int
		for _, n := range names {
			ids, err := e.nameSearchIDs(m, n, "ilike", e.activeTest())
			if err != nil {
				return nil, err
			}
			out = append(out, ids...)
		}
		return out, nil
	}
	if n, ok := right.(int); ok && n == 0 {
		return nil, nil
	}
	ids, ok := idList(right)
	if !ok {
		return nil, raise(excTypeError, "'%s' object is not iterable", pyTypeName(right))
	}
	return ids, nil
}

// walkTree returns the roots and their descendants (down) or ancestors,
// archived records included.
func (e *env) walkTree(m *modelDef, parentField string, roots []int, down bool) map[int]bool {
	set := map[int]bool{}
	rows := e.rows(m)
	queue := append([]int(nil), roots...)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if set[id] {
			continue
		}
		if _, ok := rows[id]; !ok {
			continue
		}
		set[id] = true
		if down {
			for cid, r := range rows {
				if r[parentField] == id && !set[cid] {
					queue = append(queue, cid)
				}
			}
		} else if p, ok := rows[id][parentField].(int); ok {
			queue = append(queue, p)
		}
	}
	return set
}

func intSet(ids []int) map[int]bool {
	s := make(map[int]bool, len(ids))
	for _, id := range ids {
		s[id] = true
	}
	return s
}

// compileScalar compares a stored value as PostgreSQL would once Odoo has
// turned the leaf into SQL: NULL matches nothing but where Odoo adds
// "OR field IS NULL" (negative operators, or like with an empty pattern).
func (e *env) compileScalar(m *modelDef, f *fieldDef, op string, right any) (pred, error) {
	val := func(id int, r map[string]any) any { return e.get(m, id, r, f) }
	if op == "in" || op == "not in" {
		return e.compileIn(f, op, right, val)
	}
	if f.ttype == "boolean" && (op == "=" || op == "!=") {
		if b, ok := right.(bool); ok {
			want := b != (op == "!=")
			return func(id int, r map[string]any) bool { return truthy(val(id, r)) == want }, nil
		}
	}
	if op == "=" && (right == nil || right == false) {
		return func(id int, r map[string]any) bool { return val(id, r) == nil }, nil
	}
	if op == "!=" && (right == nil || right == false) {
		return func(id int, r map[string]any) bool { return val(id, r) != nil }, nil
	}
	_, negative := negativeOps[op]
	wildcard := op == "like" || op == "ilike" || op == "not like" || op == "not ilike"
	orNull := (wildcard && !truthy(right)) || (truthy(right) && negative)
	var test func(v any) bool
	if strings.HasSuffix(op, "like") {
		pattern := pyStr(right)
		if wildcard {
			pattern = "%" + pattern + "%"
		}
		re := likeRegexp(pattern, strings.HasSuffix(op, "ilike"))
		not := strings.HasPrefix(op, "not ")
		test = func(v any) bool { return re.MatchString(pyText(v)) != not }
	} else {
		if f.ttype == "datetime" {
			if s, ok := right.(string); ok && len(s) == 10 {
				if op == ">" || op == "<=" {
					right = s + " 23:59:59"
				} else {
					right = s + " 00:00:00"
				}
			}
		}
		rv, err := e.toColumn(f, right)
		if err != nil {
			return nil, err
		}
		test = func(v any) bool {
			c, ok := compareValues(v, rv)
			if !ok {
				return false
			}
			switch op {
			case "=":
				return c == 0
			case "!=":
				return c != 0
			case "<":
				return c < 0
			case "<=":
				return c <= 0
			case ">":
				return c > 0
			case ">=":
				return c >= 0
			}
			return false
		}
	}
	return func(id int, r map[string]any) bool {
		v := val(id, r)
		if v == nil {
			return orNull
		}
		return test(v) || false
	}, nil
}

func (e *env) compileIn(f *fieldDef, op string, right any, val func(int, map[string]any) any) (pred, error) {
	if b, ok := right.(bool); ok { // an abuse Odoo still accepts
		notNull := (op == "in") == b
		return func(id int, r map[string]any) bool { return (val(id, r) != nil) == notNull }, nil
	}
	list, ok := right.([]any)
	if !ok {
		if l, ok2 := right.([]int); ok2 {
			for _, n := range l {
				list = append(list, n)
			}
		} else {
			return nil, raise(excValueError, "Invalid domain term %s", tupleRepr(f.name, op, right))
		}
	}
	var params []any
	checkNull := false
	for _, it := range list {
		if f.ttype == "boolean" {
			if it == false || it == nil {
				checkNull = true
			}
			params = append(params, truthy(it))
			continue
		}
		if it == false || it == nil {
			checkNull = true
			continue
		}
		v, err := e.toColumn(f, it)
		if err != nil {
			return nil, err
		}
		params = append(params, v)
	}
	contains := func(v any) bool {
		if f.ttype == "boolean" {
			v = truthy(v)
		}
		for _, p := range params {
			if c, ok := compareValues(v, p); ok && c == 0 {
				return true
			}
		}
		return false
	}
	return func(id int, r map[string]any) bool {
		v := val(id, r)
		if op == "in" {
			return (v != nil && contains(v)) || (checkNull && v == nil)
		}
		if !checkNull {
			return v == nil || !contains(v)
		}
		return v != nil && !contains(v)
	}, nil
}

// likeRegexp turns a LIKE pattern into a regular expression: % is any
// run, _ any one character, a backslash escapes.
func likeRegexp(pattern string, insensitive bool) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^(?s)")
	if insensitive {
		b.WriteString("(?i)")
	}
	escaped := false
	for _, r := range pattern {
		switch {
		case escaped:
			b.WriteString(regexp.QuoteMeta(string(r)))
			escaped = false
		case r == '\\':
			escaped = true
		case r == '%':
			b.WriteString(".*")
		case r == '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// compareValues orders two stored values of one field: numbers by value,
// strings by bytes, booleans false first.
func compareValues(a, b any) (int, bool) {
	switch x := a.(type) {
	case int:
		switch y := b.(type) {
		case int:
			return cmp3(x < y, x > y), true
		case float64:
			return cmp3(float64(x) < y, float64(x) > y), true
		}
	case float64:
		switch y := b.(type) {
		case int:
			return cmp3(x < float64(y), x > float64(y)), true
		case float64:
			return cmp3(x < y, x > y), true
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), true
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp3(!x && y, x && !y), true
		}
	}
	return 0, false
}

func cmp3(less, more bool) int {
	switch {
	case less:
		return -1
	case more:
		return 1
	}
	return 0
}
