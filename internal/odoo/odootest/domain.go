package odootest

import "strings"

// A domain is parsed from its prefix notation into a tree, then compiled
// into a predicate over rows. Compiling checks every leaf, as Odoo does
// before it queries, so a bad field faults even on an empty table.

type domNode interface{}

type (
	domAnd   struct{ a, b domNode }
	domOr    struct{ a, b domNode }
	domNot   struct{ a domNode }
	domConst bool
	domLeaf  struct {
		left  string
		op    string
		right any
	}
)

// pred tells whether a record matches.
type pred func(id int, row map[string]any) bool

var (
	predTrue  pred = func(int, map[string]any) bool { return true }
	predFalse pred = func(int, map[string]any) bool { return false }
)

// operators each version accepts in a leaf.
func (e *env) validOperator(op string) bool {
	switch op {
	case "=", "!=", "<=", "<", ">", ">=", "=?", "=like", "=ilike", "like", "not like", "ilike", "not ilike",
		"in", "not in", "child_of", "parent_of":
		return true
	case "any", "not any":
		return e.version >= 17
	}
	return false
}

var negativeOps = map[string]string{"!=": "=", "not like": "like", "not ilike": "ilike", "not in": "in"}

// parseDomain reads a domain in prefix notation; leaves side by side are
// and-ed.
func (e *env) parseDomain(v any) (domNode, error) {
	if v == nil || v == false {
		return domConst(true), nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, raise(excValueError, "Domains to normalize must have a 'domain' form: a list or tuple of domain components")
	}
	pos := 0
	var next func() (domNode, error)
	next = func() (domNode, error) {
		if pos >= len(items) {
			return nil, e.badSyntax(items)
		}
		item := items[pos]
		pos++
		switch x := item.(type) {
		case string:
			switch x {
			case "&", "|":
				a, err := next()
				if err != nil {
					return nil, err
				}
				b, err := next()
				if err != nil {
					return nil, err
				}
				if x == "&" {
					return domAnd{a, b}, nil
				}
				return domOr{a, b}, nil
			case "!":
				a, err := next()
				if err != nil {
					return nil, err
				}
				return domNot{a}, nil
			}
		case []any:
			return e.parseLeaf(x)
		}
		return nil, e.invalidLeaf(item)
	}
	var node domNode = domConst(true)
	first := true
	for pos < len(items) {
		n, err := next()
		if err != nil {
			return nil, err
		}
		if first {
			node, first = n, false
		} else {
			node = domAnd{node, n}
		}
	}
	return node, nil
}

func (e *env) badSyntax(items []any) *odooError {
	if e.version >= 19 {
		return raise(excValueError, "Domain %s is syntactically not correct.", pyRepr(items))
	}
	return raise(pyClass{"builtins", "AssertionError", kindInternal, 500}, "This domain is syntactically not correct: %s", pyRepr(items))
}

func (e *env) invalidLeaf(item any) *odooError {
	s := pyStr(item)
	if l, ok := item.([]any); ok && len(l) == 3 {
		s = tupleRepr(l...)
	}
	if e.version >= 19 {
		if l, ok := item.([]any); ok && len(l) == 3 {
			return raise(excValueError, "Invalid operator in condition %s", s)
		}
		return raise(excValueError, "Invalid domain term %s", s)
	}
	return raise(excValueError, "Invalid leaf %s", s)
}

func (e *env) parseLeaf(l []any) (domNode, error) {
	if len(l) != 3 {
		return nil, e.invalidLeaf(l)
	}
	op, ok := l[1].(string)
	if !ok {
		return nil, e.invalidLeaf(l)
	}
	op = strings.ToLower(op)
	if op == "<>" {
		op = "!="
	}
	if n, ok := asInt(l[0]); ok && op == "=" && l[2] == 1 && (n == 0 || n == 1) {
		return domConst(n == 1), nil // TRUE_LEAF / FALSE_LEAF
	}
	left, ok := l[0].(string)
	if !ok || !e.validOperator(op) {
		return nil, e.invalidLeaf(l)
	}
	return domLeaf{left: left, op: op, right: l[2]}, nil
}

// leafRepr is how Odoo shows a leaf in its errors.
func (l domLeaf) repr() string { return tupleRepr(l.left, l.op, l.right) }

func (e *env) invalidFieldInLeaf(m *modelDef, name string, l domLeaf) *odooError {
	if e.version >= 19 {
		return raise(excValueError, "Invalid field %s.%s in condition %s", m.name, name, l.repr())
	}
	return raise(excValueError, "Invalid field %s.%s in leaf %s", m.name, name, l.repr())
}

// mentionsActive reports whether a domain has a leaf on active, which
// turns off the implicit filter on archived records.
func mentionsActive(domain any) bool {
	items, _ := domain.([]any)
	for _, it := range items {
		if l, ok := it.([]any); ok && len(l) == 3 && l[0] == "active" {
			return true
		}
	}
	return false
}

// nodeMentionsActive is mentionsActive on a parsed subdomain.
func nodeMentionsActive(n domNode) bool {
	switch x := n.(type) {
	case domLeaf:
		return x.left == "active"
	case domAnd:
		return nodeMentionsActive(x.a) || nodeMentionsActive(x.b)
	case domOr:
		return nodeMentionsActive(x.a) || nodeMentionsActive(x.b)
	case domNot:
		return nodeMentionsActive(x.a)
	}
	return false
}
