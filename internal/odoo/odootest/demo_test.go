package odootest

import (
	"sort"
	"testing"
)

// TestDemoCamille checks the demo's promise: Camille Durand is in several
// roles, with her email spelt differently, on VRACOOP and a shop.
func TestDemoCamille(t *testing.T) {
	vracoop := newClient(t, Options{Data: DemoVRACOOP()})
	found := map[string][]int{}
	for _, model := range []string{"res.partner", "crm.lead"} {
		found[model] = ids(t, vracoop.must(model, "search", []any{[]any{[]any{"email_normalized", "=", "camille.durand@exemple.fr"}}},
			map[string]any{"context": map[string]any{"active_test": false}}))
		sort.Ints(found[model])
	}
	if !equalInts(found["res.partner"], []int{5, 9}) || !equalInts(found["crm.lead"], []int{1}) {
		t.Errorf("VRACOOP: %v", found)
	}
	spellings := map[string]bool{}
	for _, id := range []int{5, 9} {
		r, _ := vracoop.s.Record("res.partner", id)
		spellings[r["email"].(string)] = true
	}
	lead, _ := vracoop.s.Record("crm.lead", 1)
	spellings[lead["email_from"].(string)] = true
	if len(spellings) != 3 {
		t.Errorf("spellings: %v", spellings)
	}
	authored := vracoop.must("mail.message", "search_count", []any{[]any{[]any{"author_id", "in", []any{5, 9}}}}, nil)
	if asI(authored) != 3 {
		t.Errorf("messages by Camille: %v", authored)
	}
	homonym := ids(t, vracoop.must("res.partner", "search", []any{[]any{[]any{"name", "=", "Camille Durand"}}}, nil))
	if len(homonym) != 3 {
		t.Errorf("three partners named Camille Durand, got %v", homonym)
	}

	shop := newClient(t, Options{Data: DemoShop(ShopVracEtCo)})
	card := shop.searchRead("loyalty.card", []any{[]any{"partner_id.email_normalized", "=", "camille.durand@exemple.fr"}},
		[]string{"code", "points"}, nil)
	if len(card) != 1 || card[0]["code"] != "VRAC-0042" || card[0]["points"] != 128.5 {
		t.Errorf("shop card: %v", card)
	}
	orders := shop.must("pos.order", "search_count", []any{[]any{[]any{"partner_id", "=", 4}}}, nil)
	if asI(orders) != 2 {
		t.Errorf("pos orders: %v", orders)
	}
	_, err := shop.kw("crm.lead", "search_count", []any{[]any{}}, nil)
	if code, _ := fault(t, err); code != 2 {
		t.Errorf("crm on a shop: %d", code)
	}
	cagette := newClient(t, Options{Data: DemoShop(ShopLaCagette)})
	if n := asI(cagette.must("res.partner", "search_count", []any{[]any{[]any{"email", "=ilike", "sophie.martin@example.fr"}}}, nil)); n != 1 {
		t.Errorf("Sophie at La Cagette: %d", n)
	}
	other := newClient(t, Options{Data: DemoShop("Le Grain de Sel")})
	if n := asI(other.must("loyalty.program", "search_count", []any{[]any{}}, nil)); n != 1 {
		t.Errorf("generic shop: %d programs", n)
	}
}

func TestDemoOnEveryVersion(t *testing.T) {
	for _, v := range []int{16, 17, 18, 19} {
		for name, data := range map[string]*Dataset{"vracoop": DemoVRACOOP(), "shop": DemoShop(ShopVracEtCo), "cagette": DemoShop(ShopLaCagette)} {
			c := newClient(t, Options{Version: v, Data: data})
			c.pw = DefaultAPIKey
			for _, m := range c.s.sc.names() {
				if m == "ir.model" || m == "ir.model.fields" {
					continue
				}
				if _, err := c.kw(m, "search_read", []any{[]any{}}, map[string]any{"context": map[string]any{"active_test": false}}); err != nil {
					t.Errorf("%d %s: %s.search_read: %v", v, name, m, err)
				}
			}
		}
	}
}
