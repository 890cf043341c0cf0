package odootest

import (
	"sort"
	"testing"
)

// TestDomainOperators searches VRACOOP's demo partners (see DemoVRACOOP)
// with each operator dsar uses.
func TestDomainOperators(t *testing.T) {
	c := newClient(t, Options{Data: DemoVRACOOP()})
	all := map[string]any{"context": map[string]any{"active_test": false}}
	cases := []struct {
		name   string
		domain []any
		kw     map[string]any
		want   []int
	}{
		{"= is exact and case-sensitive", []any{[]any{"email", "=", "camille.durand@exemple.fr"}}, nil, []int{5}},
		{"=ilike ignores case but not spaces", []any{[]any{"email", "=ilike", "camille.durand@exemple.fr"}}, nil, []int{5, 9}},
		{"=like keeps case", []any{[]any{"email", "=like", "Camille.%"}}, nil, []int{9}},
		{"ilike is a substring", []any{[]any{"email", "ilike", "DURAND@"}}, nil, []int{5, 9, 11}},
		{"ilike: _ matches one character", []any{[]any{"email", "ilike", "c_durand"}}, nil, []int{11}},
		{"like is case-sensitive", []any{[]any{"name", "like", "camille"}}, nil, nil},
		{"not ilike includes empty values", []any{[]any{"email", "not ilike", "example.fr"}, []any{"id", ">", 3}}, nil, []int{5, 9}},
		{"not like", []any{[]any{"name", "not like", "Camille"}, []any{"is_company", "=", false}, []any{"id", ">", 3}}, nil, []int{7, 10}},
		{"!= includes empty values", []any{[]any{"function", "!=", "Gérante"}, []any{"name", "=", "Camille Durand"}}, nil, []int{9, 11}},
		{"= False is empty", []any{[]any{"parent_id", "=", false}, []any{"is_company", "=", false}}, nil, []int{10, 11}},
		{"!= False is set", []any{[]any{"vat", "!=", false}, []any{"id", "!=", 1}}, nil, []int{4, 6, 8}},
		{"< <= > >=", []any{[]any{"id", ">=", 5}, []any{"id", "<", 8}, []any{"customer_rank", ">", 0}}, nil, []int{5, 6}},
		{"in", []any{[]any{"id", "in", []any{4, 5, 99}}}, nil, []int{4, 5}},
		{"in with False", []any{[]any{"parent_id", "in", []any{4, false}}, []any{"id", ">", 3}}, nil, []int{4, 5, 6, 8, 10, 11}},
		{"not in", []any{[]any{"id", "not in", []any{1, 2, 3, 4, 5}}, []any{"is_company", "=", true}}, nil, []int{6, 8}},
		{"many2one to an id", []any{[]any{"parent_id", "=", 8}}, nil, []int{9}},
		{"many2one in ids", []any{[]any{"parent_id", "in", []any{4, 6}}}, nil, []int{5, 7}},
		{"many2one to a name", []any{[]any{"parent_id", "ilike", "vrac"}}, nil, []int{3, 5}},
		{"dotted path on a many2one", []any{[]any{"parent_id.city", "=", "Biarritz"}}, nil, []int{7}},
		{"| and !", []any{"|", []any{"id", "=", 4}, "!", []any{"id", "!=", 6}}, nil, []int{4, 6}},
		{"& explicit", []any{"&", []any{"is_company", "=", true}, []any{"city", "=", "Bayonne"}}, nil, []int{4}},
		{"child_of", []any{[]any{"id", "child_of", 4}}, nil, []int{4, 5}},
		{"parent_of", []any{[]any{"id", "parent_of", 9}}, nil, []int{8, 9}},
		{"child_of on a many2one", []any{[]any{"parent_id", "child_of", 8}}, nil, []int{8, 9}},
		{"one2many any", []any{[]any{"child_ids", "any", []any{[]any{"email", "=ilike", "camille.durand@exemple.fr"}}}}, nil, []int{4, 8}},
		{"many2one not any", []any{[]any{"country_id", "not any", []any{[]any{"code", "=", "FR"}}}, []any{"id", ">", 3}}, nil, nil},
		{"one2many = False", []any{[]any{"bank_ids", "=", false}, []any{"is_company", "=", true}, []any{"id", ">", 1}}, nil, []int{6}},
		{"email_normalized finds every spelling", []any{[]any{"email_normalized", "=", "camille.durand@exemple.fr"}}, nil, []int{5, 9}},
		{"archived left out", []any{[]any{"city", "=", "Saint-Jean-de-Luz"}}, nil, nil},
		{"active_test false", []any{[]any{"city", "=", "Saint-Jean-de-Luz"}}, all, []int{12}},
		{"a leaf on active turns the filter off", []any{[]any{"active", "in", []any{true, false}}, []any{"id", "in", []any{2, 12}}}, nil, []int{2, 12}},
		{"=? with False is true", []any{[]any{"vat", "=?", false}, []any{"id", "=", 5}}, nil, []int{5}},
		{"TRUE_LEAF", []any{[]any{1, "=", 1}, []any{"id", "=", 4}}, nil, []int{4}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kw := map[string]any{}
			for k, v := range tc.kw {
				kw[k] = v
			}
			got := ids(t, c.must("res.partner", "search", []any{tc.domain}, kw))
			sort.Ints(got)
			if !equalInts(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDomainOnLeads(t *testing.T) {
	c := newClient(t, Options{Data: DemoVRACOOP()})
	// The lead's email has spaces and capitals: only ilike or
	// email_normalized find it; =ilike does not.
	for _, tc := range []struct {
		leaf []any
		want []int
	}{
		{[]any{"email_from", "=ilike", "camille.durand@exemple.fr"}, nil},
		{[]any{"email_from", "ilike", "camille.durand@exemple.fr"}, []int{1}},
		{[]any{"email_normalized", "=", "camille.durand@exemple.fr"}, []int{1}},
		{[]any{"phone", "ilike", "0612345678"}, []int{1}},
		{[]any{"partner_id.email", "=ilike", "camille.durand@exemple.fr"}, []int{1}},
	} {
		got := ids(t, c.must("crm.lead", "search", []any{[]any{tc.leaf}}, nil))
		if !equalInts(got, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.leaf, got, tc.want)
		}
	}
	lost := ids(t, c.must("crm.lead", "search", []any{[]any{[]any{"active", "=", false}}}, nil))
	if !equalInts(lost, []int{2}) {
		t.Errorf("lost leads: %v", lost)
	}
}

func TestOrderLimitOffset(t *testing.T) {
	c := newClient(t, Options{Data: DemoVRACOOP()})
	dom := []any{[]any{"is_company", "=", true}}
	for _, tc := range []struct {
		kw   map[string]any
		want []int
	}{
		{map[string]any{"order": "id desc"}, []int{8, 6, 4, 1}},
		{map[string]any{"order": "name asc, id"}, []int{4, 6, 8, 1}},
		{map[string]any{"order": "id", "limit": 2}, []int{1, 4}},
		{map[string]any{"order": "id", "limit": 2, "offset": 1}, []int{4, 6}},
		{map[string]any{}, []int{4, 6, 8, 1}}, // _order: display name
	} {
		got := ids(t, c.must("res.partner", "search", []any{dom}, tc.kw))
		if !equalInts(got, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.kw, got, tc.want)
		}
	}
	// positional arguments, as search_read(domain, fields, offset, limit, order)
	out := c.must("res.partner", "search_read", []any{dom, []any{"name"}, 1, 2, "id desc"}, nil)
	if got := recordIDs(records(t, out)); !equalInts(got, []int{6, 4}) {
		t.Errorf("positional search_read: %v", got)
	}
}

func recordIDs(recs []map[string]any) []int {
	var out []int
	for _, r := range recs {
		out = append(out, asI(r["id"]))
	}
	return out
}
