package odootest

import (
	"strings"
	"testing"
	"time"
)

func TestReadValues(t *testing.T) {
	c := newClient(t, Options{Data: DemoVRACOOP()})
	recs := c.searchRead("res.partner", []any{[]any{"id", "=", 5}},
		[]string{"name", "display_name", "parent_id", "child_ids", "vat", "customer_rank", "supplier_rank", "is_company", "create_date", "image_1920"}, nil)
	if len(recs) != 1 {
		t.Fatalf("got %d records", len(recs))
	}
	r := recs[0]
	checks := map[string]any{
		"name": "Camille Durand", "display_name": "Épicerie Vrac & Co, Camille Durand",
		"vat": false, "supplier_rank": int64(0), "is_company": false, "create_date": "2024-01-15 09:00:00",
		"image_1920": false,
	}
	for k, want := range checks {
		if r[k] != want {
			t.Errorf("%s = %#v, want %#v", k, r[k], want)
		}
	}
	if p := r["parent_id"].([]any); asI(p[0]) != 4 || p[1] != "Épicerie Vrac & Co" {
		t.Errorf("parent_id = %v", p)
	}
	if l := r["child_ids"].([]any); len(l) != 0 {
		t.Errorf("child_ids = %v", l)
	}
	company := records(t, c.must("res.partner", "read", []any{[]any{4, 999}, []any{"child_ids", "bank_ids"}}, nil))
	if len(company) != 1 {
		t.Fatalf("read of a deleted id: %d records, want the one that exists", len(company))
	}
	if got := ids(t, company[0]["child_ids"]); !equalInts(got, []int{5}) {
		t.Errorf("child_ids = %v", got)
	}
	dates := records(t, c.must("account.move", "read", []any{[]any{2}, []any{"invoice_date", "amount_total"}}, nil))
	if dates[0]["invoice_date"] != "2024-11-06" || dates[0]["amount_total"] != 356.4 {
		t.Errorf("invoice: %v", dates[0])
	}
	noload := records(t, c.must("res.partner", "read", []any{[]any{5}, []any{"parent_id"}}, map[string]any{"load": ""}))
	if asI(noload[0]["parent_id"]) != 4 {
		t.Errorf("read without load: parent_id = %v", noload[0]["parent_id"])
	}
}

func TestMarshalling(t *testing.T) {
	data := DemoVRACOOP()
	data.table("res.partner").rows[4]["customer_rank"] = 3000000000
	data.table("res.partner").rows[4]["image_1920"] = "iVBORw0KGgo="
	s := Start(t, Options{Data: data})
	x := rawXML(t, s, "object", "execute_kw", s.DB(), 2, "admin", "res.partner", "search_read",
		[]any{[]any{[]any{"id", "in", []any{4, 5}}}},
		map[string]any{"fields": []any{"customer_rank", "vat", "parent_id", "child_ids", "image_1920", "comment"}, "order": "id"})
	if strings.Contains(x, "<nil") {
		t.Errorf("the answer has <nil/>:\n%s", x)
	}
	for _, want := range []string{
		"<name>customer_rank</name>\n<value><double>3000000000.0</double></value>",
		"<name>vat</name>\n<value><boolean>0</boolean></value>",
		"<name>image_1920</name>\n<value><string>iVBORw0KGgo=</string></value>",
		"<name>parent_id</name>\n<value><boolean>0</boolean></value>",
		"<name>child_ids</name>\n<value><array><data>\n<value><int>5</int></value>\n</data></array></value>",
		"<name>comment</name>\n<value><string>&lt;p&gt;Livraison le mardi matin.&lt;/p&gt;</string></value>",
		"<name>customer_rank</name>\n<value><int>1</int></value>",
	} {
		if !strings.Contains(x, want) {
			t.Errorf("answer lacks %q:\n%s", want, x)
		}
	}
	if !strings.HasPrefix(x, "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n") {
		t.Errorf("envelope: %q", x[:80])
	}
	// A bare int above 2^31-1 cannot be marshalled at all.
	s.mu.Lock()
	for i := 0; i < 3; i++ {
		s.data.Add("res.country", map[string]any{"name": "x" + itoa(i), "code": "X"})
	}
	s.data.table("res.country").next = 3000000000
	s.data.Add("res.country", map[string]any{"name": "Big", "code": "BG"})
	s.mu.Unlock()
	x = rawXML(t, s, "object", "execute_kw", s.DB(), 2, "admin", "res.country", "search", []any{[]any{[]any{"code", "=", "BG"}}}, map[string]any{})
	if !strings.Contains(x, "<int>1</int>") || !strings.Contains(x, "OverflowError: int exceeds XML-RPC limits") {
		t.Errorf("big id: %s", x)
	}
}

func TestCreateWriteUnlink(t *testing.T) {
	clk := newClock()
	c := newClient(t, Options{Data: DemoVRACOOP(), Now: clk.now})
	id := asI(c.must("res.partner", "create", []any{map[string]any{"name": "Lou Test", "email": " Lou.Test@Example.fr", "company_type": "company"}}, nil))
	r, ok := c.s.Record("res.partner", id)
	if !ok || r["email_normalized"] != "lou.test@example.fr" || r["is_company"] != true || r["create_date"] != "2025-03-10 09:00:00" || r["create_uid"] != 2 {
		t.Errorf("created: %v", r)
	}
	list := c.must("res.partner", "create", []any{[]any{map[string]any{"name": "A"}, map[string]any{"name": "B"}}}, nil)
	if got := ids(t, list); len(got) != 2 || got[0] != id+1 {
		t.Errorf("create of a list: %v", got)
	}
	clk.advance(time.Hour)
	if got := c.must("res.partner", "write", []any{[]any{id}, map[string]any{"phone": "06 00 00 00 00", "email": false}}, nil); got != true {
		t.Errorf("write returned %v", got)
	}
	r, _ = c.s.Record("res.partner", id)
	if r["phone"] != "06 00 00 00 00" || r["email"] != nil || r["email_normalized"] != nil || r["write_date"] != "2025-03-10 10:00:00" {
		t.Errorf("written: %v", r)
	}
	if got := c.must("res.partner", "unlink", []any{[]any{id, 99999}}, nil); got != true {
		t.Errorf("unlink returned %v", got)
	}
	if _, ok := c.s.Record("res.partner", id); ok {
		t.Error("record still there")
	}
	// Archiving: write active False hides the record from searches.
	c.must("res.partner", "write", []any{[]any{10}, map[string]any{"active": false}}, nil)
	if n := asI(c.must("res.partner", "search_count", []any{[]any{[]any{"id", "=", 10}}}, nil)); n != 0 {
		t.Errorf("archived partner still found %d times", n)
	}
	// Deleting the homonym (no accounting, no user) takes its messages and
	// followers; children keep living with parent_id set to False.
	c.must("res.partner", "unlink", []any{[]any{11}}, nil)
	// Deleting the supplier's contact clears author_id on her messages.
	c.must("res.partner", "unlink", []any{[]any{9}}, nil)
	for _, m := range c.s.Records("mail.message") {
		if m["author_id"] == 9 {
			t.Errorf("message %v still authored by a deleted partner", m["id"])
		}
	}
	for _, f := range c.s.Records("mail.followers") {
		if f["partner_id"] == 9 {
			t.Errorf("follower %v of a deleted partner", f["id"])
		}
	}
}

func TestArchiveUserPartner(t *testing.T) {
	c := newClient(t, Options{Version: 17, Data: DemoVRACOOP()})
	_, err := c.kw("res.partner", "write", []any{[]any{5}, map[string]any{"active": false}}, nil)
	code, s := fault(t, err)
	if code != 2 || !strings.HasPrefix(s, "You cannot archive contacts linked to an active user.\nYou first need to archive their associated user.") {
		t.Errorf("got %d %q", code, s)
	}
	c.must("res.users", "write", []any{[]any{3}, map[string]any{"active": false}}, nil)
	c.must("res.partner", "write", []any{[]any{5}, map[string]any{"active": false}}, nil)
}

func TestSaleQuotationsGoWithThePartner(t *testing.T) {
	for _, v := range []int{16, 17} {
		t.Run(itoa(v), func(t *testing.T) {
			data := DemoVRACOOP()
			// a prospect with only a quotation
			data.Put("sale.order", 9, map[string]any{"name": "S00009", "partner_id": 10, "state": "draft", "date_order": "2025-02-01 10:00:00"})
			c := newClient(t, Options{Version: v, Data: data})
			_, err := c.kw("res.partner", "unlink", []any{[]any{10}}, nil)
			if v == 16 {
				if code, _ := fault(t, err); code != 2 {
					t.Errorf("16: code %d", code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := c.s.Record("sale.order", 9); ok {
				t.Error("17: quotation left behind")
			}
		})
	}
}

func TestMessagePost(t *testing.T) {
	for _, v := range []int{16, 17, 18, 19} {
		t.Run(itoa(v), func(t *testing.T) {
			c := newClient(t, Options{Version: v, Data: DemoVRACOOP()})
			out := c.must("res.partner", "message_post", []any{[]any{5}},
				map[string]any{"body": "Demande d'effacement reçue <ref 42>", "message_type": "comment", "subtype_xmlid": "mail.mt_note"})
			var id int
			if v <= 17 {
				id = asI(out)
			} else {
				l := out.([]any)
				if len(l) != 1 {
					t.Fatalf("18+: %v", out)
				}
				id = asI(l[0])
			}
			m, ok := c.s.Record("mail.message", id)
			if !ok {
				t.Fatalf("no message %d", id)
			}
			body := "<p>Demande d'effacement reçue &lt;ref 42&gt;</p>"
			if v == 16 {
				body = "<p>Demande d'effacement reçue <ref 42></p>"
			}
			if m["model"] != "res.partner" || m["res_id"] != 5 || m["author_id"] != 3 || m["message_type"] != "comment" ||
				m["subtype_id"] != subtypeNote || m["body"] != body {
				t.Errorf("message: %v", m)
			}
		})
	}
	c := newClient(t, Options{Data: DemoVRACOOP()})
	if _, err := c.kw("res.country", "message_post", []any{[]any{75}}, map[string]any{"body": "x"}); err == nil {
		t.Error("message_post on a model that is not a mail.thread")
	}
	_, err := c.kw("res.partner", "message_post", []any{[]any{5}, "positional body"}, nil)
	if code, s := fault(t, err); code != 1 || !strings.HasSuffix(s, "TypeError: MailThread.message_post() takes 1 positional argument but 2 were given\n") {
		t.Errorf("positional body: %d %q", code, lastLine(s))
	}
}

func TestFieldsGet(t *testing.T) {
	for _, v := range []int{17, 18, 19} {
		c := newClient(t, Options{Version: v, Data: DemoVRACOOP()})
		out := c.must("res.partner", "fields_get", nil, map[string]any{"attributes": []any{"type", "string", "relation", "store"}})
		fields := out.(map[string]any)
		_, hasMobile := fields["mobile"]
		if hasMobile != (v <= 18) {
			t.Errorf("%d: mobile listed: %v", v, hasMobile)
		}
		country := fields["country_id"].(map[string]any)
		if country["type"] != "many2one" || country["relation"] != "res.country" || country["string"] != "Country" || country["store"] != true {
			t.Errorf("%d: country_id: %v", v, country)
		}
		if len(country) != 4 {
			t.Errorf("%d: attributes not asked: %v", v, country)
		}
		if _, ok := fields["email_normalized"]; !ok {
			t.Errorf("%d: email_normalized missing", v)
		}
	}
	c := newClient(t, Options{Version: 18, Data: DemoShop(ShopLaCagette)})
	full := c.must("loyalty.card", "fields_get", nil, nil).(map[string]any)
	if _, ok := full["active"]; !ok {
		t.Error("18: loyalty.card.active missing")
	}
	shop := newClient(t, Options{Version: 17, Data: DemoShop(ShopVracEtCo)})
	partner := shop.must("res.partner", "fields_get", []any{[]any{"customer_rank", "name"}}, map[string]any{"attributes": []any{"type"}}).(map[string]any)
	if len(partner) != 2 {
		t.Errorf("allfields: %v", partner)
	}
	if card := shop.must("loyalty.card", "fields_get", nil, nil).(map[string]any); card["active"] != nil {
		t.Error("17: loyalty.card.active present")
	}
}

func TestContextActiveTest(t *testing.T) {
	c := newClient(t, Options{Data: DemoVRACOOP()})
	company := c.searchRead("res.partner", []any{[]any{"id", "=", 1}}, []string{"child_ids"}, nil)
	if got := ids(t, company[0]["child_ids"]); !equalInts(got, []int{3}) {
		t.Errorf("child_ids = %v", got)
	}
	n := asI(c.must("res.users", "search_count", []any{[]any{}}, nil))
	all := asI(c.must("res.users", "search_count", []any{[]any{}}, map[string]any{"context": map[string]any{"active_test": false}}))
	if n != 2 || all != 3 {
		t.Errorf("users: %d active, %d in all", n, all)
	}
}

func TestNameGetAndSearch(t *testing.T) {
	c := newClient(t, Options{Version: 16, Data: DemoVRACOOP()})
	out := c.must("res.partner", "name_get", []any{[]any{5}}, nil).([]any)
	if p := out[0].([]any); p[1] != "Épicerie Vrac & Co, Camille Durand" {
		t.Errorf("name_get: %v", out)
	}
	found := c.must("res.partner", "name_search", []any{"camille.durand@exemple"}, nil).([]any)
	if len(found) != 2 {
		t.Errorf("name_search by email (ilike: both spellings): %v", found)
	}
}
