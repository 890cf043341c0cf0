package odootest

import (
	"strings"
	"testing"
)

func TestFaults(t *testing.T) {
	type call struct {
		model, method string
		args          []any
		kw            map[string]any
	}
	cases := []struct {
		name     string
		versions []int
		opt      Options
		call     call
		code     int
		text     string // the fault string, or its end for tracebacks
		prefix   bool   // text is a prefix
	}{
		{"model not installed", []int{16, 17, 18, 19}, Options{Data: DemoShop(ShopVracEtCo)},
			call{"crm.lead", "search_read", []any{[]any{}}, nil}, 2, "Object crm.lead doesn't exist", false},
		{"private method up to 17", []int{16, 17}, Options{},
			call{"res.partner", "_compute_display_name", []any{[]any{1}}, nil}, 4,
			"Private methods (such as _compute_display_name) cannot be called remotely.", false},
		{"private method from 18", []int{18, 19}, Options{},
			call{"res.partner", "_compute_display_name", []any{[]any{1}}, nil}, 4,
			"Private methods (such as 'res.partner._compute_display_name') cannot be called remotely.", false},
		{"unknown method up to 17", []int{16, 17}, Options{},
			call{"res.partner", "frobnicate", []any{[]any{}}, nil}, 1,
			"AttributeError: The method 'frobnicate' does not exist on the model 'res.partner'\n", false},
		{"unknown method from 18", []int{18, 19}, Options{},
			call{"res.partner", "frobnicate", []any{[]any{}}, nil}, 1,
			"AttributeError: The method 'res.partner.frobnicate' does not exist\n", false},
		{"name_get gone in 17", []int{17}, Options{},
			call{"res.partner", "name_get", []any{[]any{1}}, nil}, 1,
			"AttributeError: The method 'name_get' does not exist on the model 'res.partner'\n", false},
		{"unknown field in a domain", []int{16, 17, 18}, Options{},
			call{"res.partner", "search_read", []any{[]any{[]any{"nickname", "=", "x"}}}, nil}, 1,
			"ValueError: Invalid field res.partner.nickname in leaf ('nickname', '=', 'x')\n", false},
		{"unknown field in a domain on 19", []int{19}, Options{},
			call{"res.partner", "search_read", []any{[]any{[]any{"nickname", "=", "x"}}}, nil}, 1,
			"ValueError: Invalid field res.partner.nickname in condition ('nickname', '=', 'x')\n", false},
		{"mobile gone in 19", []int{19}, Options{},
			call{"res.partner", "search_count", []any{[]any{[]any{"mobile", "ilike", "06"}}}, nil}, 1,
			"ValueError: Invalid field res.partner.mobile in condition ('mobile', 'ilike', '06')\n", false},
		{"unknown field read", []int{17}, Options{},
			call{"res.partner", "read", []any{[]any{1}, []any{"nickname"}}, nil}, 1,
			"ValueError: Invalid field 'nickname' on model 'res.partner'\n", false},
		{"invalid operator", []int{17}, Options{},
			call{"res.partner", "search", []any{[]any{[]any{"name", "~", "x"}}}, nil}, 1,
			"ValueError: Invalid leaf ('name', '~', 'x')\n", false},
		{"any not in 16", []int{16}, Options{},
			call{"res.partner", "search", []any{[]any{[]any{"parent_id", "any", []any{}}}}, nil}, 1,
			"ValueError: Invalid leaf ('parent_id', 'any', [])\n", false},
		{"partner used in accounting", []int{16, 17, 18, 19}, Options{Data: DemoVRACOOP()},
			call{"res.partner", "unlink", []any{[]any{6}}, nil}, 2,
			"The partner cannot be deleted because it is used in Accounting", false},
		{"partner of an active user", []int{17}, Options{Data: DemoVRACOOP()},
			call{"res.partner", "unlink", []any{[]any{5}}, nil}, 2,
			"You cannot delete contacts linked to an active user.\nYou should rather archive them after archiving their associated user.\n\nLinked active users : Épicerie Vrac & Co, Camille Durand", false},
		{"write on a deleted record", []int{17}, Options{},
			call{"res.partner", "write", []any{[]any{999}, map[string]any{"name": "x"}}, nil}, 2,
			"Record does not exist or has been deleted.\n(Record: res.partner(999,), User: 2)", false},
		{"wrong selection value", []int{17}, Options{},
			call{"res.partner", "create", []any{map[string]any{"name": "x", "type": "alien"}}, nil}, 1,
			"ValueError: Wrong value for res.partner.type: 'alien'\n", false},
		{"missing required field", []int{17}, Options{Data: DemoVRACOOP()},
			call{"sale.order", "create", []any{map[string]any{}}, nil}, 2,
			"The operation cannot be completed:\n- Create/update: a mandatory field is not set.", true},
		{"missing required field from 18", []int{18}, Options{Data: DemoVRACOOP()},
			call{"sale.order", "create", []any{map[string]any{}}, nil}, 2,
			"The operation cannot be completed: Missing required value for the field 'Customer' (partner_id).", true},
		{"too many positional arguments", []int{17}, Options{},
			call{"res.partner", "search_count", []any{[]any{}, 1, 2}, nil}, 1,
			"TypeError: BaseModel.search_count() takes from 2 to 3 positional arguments but 4 were given\n", false},
		{"unexpected keyword", []int{17}, Options{},
			call{"res.partner", "search", []any{[]any{}}, map[string]any{"count": true}}, 1,
			"TypeError: BaseModel.search() got an unexpected keyword argument 'count'\n", false},
		{"search with domain= on 16", []int{16}, Options{},
			call{"res.partner", "search", []any{}, map[string]any{"domain": []any{}}}, 1,
			"TypeError: BaseModel.search() got an unexpected keyword argument 'domain'\n", false},
		{"invalid order", []int{17}, Options{},
			call{"res.partner", "search", []any{[]any{}}, map[string]any{"order": "name; drop table"}}, 2,
			"Invalid \"order\" specified (name; drop table).", true},
		{"check_access_rights returns None from 18", []int{18, 19}, Options{},
			call{"res.partner", "check_access_rights", []any{"read"}, nil}, 1,
			"TypeError: cannot marshal None unless allow_none is enabled\n", false},
		{"full fields_get on 19", []int{19}, Options{},
			call{"res.partner", "fields_get", nil, nil}, 1,
			"TypeError: cannot marshal None unless allow_none is enabled\n", false},
		{"create with keyword arguments only", []int{16, 17, 18, 19}, Options{},
			call{"res.partner", "create", nil, map[string]any{"vals_list": []any{map[string]any{"name": "Kw"}}}}, 1,
			"IndexError: tuple index out of range\n", false},
	}
	for _, tc := range cases {
		for _, v := range tc.versions {
			t.Run(tc.name+"/"+itoa(v), func(t *testing.T) {
				opt := tc.opt
				opt.Version = v
				c := newClient(t, opt)
				_, err := c.kw(tc.call.model, tc.call.method, tc.call.args, tc.call.kw)
				code, s := fault(t, err)
				if code != tc.code {
					t.Errorf("code %d, want %d (%q)", code, tc.code, s)
				}
				switch {
				case code == 1 && !strings.HasPrefix(s, "Traceback (most recent call last):\n"):
					t.Errorf("fault 1 is not a traceback: %q", s)
				case code == 1 && !strings.HasSuffix(s, tc.text):
					t.Errorf("traceback ends %q, want %q", lastLine(s), tc.text)
				case code != 1 && tc.prefix && !strings.HasPrefix(s, tc.text):
					t.Errorf("got %q, want prefix %q", s, tc.text)
				case code != 1 && !tc.prefix && s != tc.text:
					t.Errorf("got %q, want %q", s, tc.text)
				}
			})
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestAccessRights(t *testing.T) {
	users := append(DefaultUsers(),
		User{Login: "dsar", Password: "dsar", UID: 7},
		User{Login: "clerk", Password: "clerk", UID: 8, Denied: []string{"account.move"}})
	c := newClient(t, Options{Users: users, Data: DemoVRACOOP()})

	if n := c.must("ir.model", "search_count", []any{[]any{[]any{"model", "=", "crm.lead"}}}, nil); asI(n) != 1 {
		t.Errorf("admin: ir.model has crm.lead %v times", n)
	}
	c.uid, c.pw = 7, "dsar"
	_, err := c.kw("ir.model", "search_read", []any{[]any{}}, map[string]any{"fields": []any{"model"}})
	code, s := fault(t, err)
	want := "You are not allowed to access 'Models' (ir.model) records.\n\nThis operation is allowed for the following groups:\n\t- Administration / Access Rights\n\nContact your administrator to request access if necessary."
	if code != 4 || s != want {
		t.Errorf("non-admin on ir.model: %d %q", code, s)
	}
	if _, err := c.kw("res.partner", "search_count", []any{[]any{}}, nil); err != nil {
		t.Errorf("non-admin on res.partner: %v", err)
	}
	c.uid, c.pw = 8, "clerk"
	_, err = c.kw("account.move", "unlink", []any{[]any{5}}, nil)
	if code, s := fault(t, err); code != 4 || !strings.HasPrefix(s, "You are not allowed to delete 'Journal Entry' (account.move) records.") {
		t.Errorf("denied model: %d %q", code, s)
	}
	if got := c.must("account.move", "check_access_rights", []any{"read"}, map[string]any{"raise_exception": false}); got != false {
		t.Errorf("check_access_rights without raising: %v", got)
	}
}

func TestFaultRollsBack(t *testing.T) {
	c := newClient(t, Options{Data: DemoVRACOOP()})
	before := len(c.s.Records("res.partner"))
	_, err := c.kw("res.partner", "create", nil, map[string]any{"vals_list": []any{map[string]any{"name": "Kw"}}})
	if code, _ := fault(t, err); code != 1 {
		t.Fatalf("code %d", code)
	}
	if after := len(c.s.Records("res.partner")); after != before {
		t.Errorf("failed create left %d partners, want %d", after, before)
	}
	// Partner 11 (the Toulouse homonym) has no order: 17 deletes it, but a
	// failure later in the same call rolls everything back.
	_, err = c.kw("res.partner", "unlink", []any{[]any{11, 6}}, nil)
	if code, _ := fault(t, err); code != 2 {
		t.Fatalf("code %d", code)
	}
	if _, ok := c.s.Record("res.partner", 11); !ok {
		t.Error("partner 11 deleted by a call that failed")
	}
}

func TestDeleteRestricted(t *testing.T) {
	for _, v := range []int{17, 18} {
		t.Run(itoa(v), func(t *testing.T) {
			c := newClient(t, Options{Version: v, Data: DemoVRACOOP()})
			// Moulin d'Arrast (8) has a posted bill: accounting refuses first.
			// Remove the bill's partner to reach the purchase orders' restrict.
			c.must("account.move", "write", []any{[]any{4}, map[string]any{"partner_id": false}}, nil)
			_, err := c.kw("res.partner", "unlink", []any{[]any{8}}, nil)
			code, s := fault(t, err)
			want := "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Purchase Order (purchase.order)\nConstraint: purchase_order_partner_id_fkey\n"
			if v >= 18 {
				want = "The operation cannot be completed: Another model is using the record you are trying to delete.\n\nThe troublemaker is: 'Purchase Order' (purchase.order)\nThanks to the following constraint: 'Vendor' (partner_id)\nHow about archiving the record instead?"
			}
			if code != 2 || s != want {
				t.Errorf("got %d %q", code, s)
			}
		})
	}
}

func TestDateTimeArgument(t *testing.T) {
	for _, v := range []int{16, 17, 18} {
		t.Run(itoa(v), func(t *testing.T) {
			c := newClient(t, Options{Version: v, Data: DemoVRACOOP()})
			when := mustTime(t, "2024-10-01T00:00:00Z")
			out, err := c.kw("sale.order", "search", []any{[]any{[]any{"date_order", ">", when}}}, nil)
			if v < 18 {
				code, s := fault(t, err)
				if code != 1 || !strings.HasSuffix(s, "TypeError: object of type 'DateTime' has no len()\n") {
					t.Errorf("got %d %q", code, lastLine(s))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(t, out); !equalInts(got, []int{3, 2, 4}) {
				t.Errorf("orders after 2024-10-01: %v", got)
			}
		})
	}
}
