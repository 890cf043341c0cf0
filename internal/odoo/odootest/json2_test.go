package odootest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestJSON2(t *testing.T) {
	s := Start(t, Options{Version: 19, Data: DemoVRACOOP()})

	t.Run("search_read with named arguments", func(t *testing.T) {
		status, out := json2(t, s, "res.partner", "search_read", map[string]any{
			"domain": []any{[]any{"email_normalized", "=", "camille.durand@exemple.fr"}},
			"fields": []any{"name", "parent_id", "email"}, "order": "id", "limit": 10,
		})
		if status != http.StatusOK {
			t.Fatalf("status %d: %v", status, out)
		}
		recs := out.([]any)
		if len(recs) != 2 {
			t.Fatalf("got %v", recs)
		}
		first := recs[0].(map[string]any)
		if first["id"] != json.Number("5") || first["email"] != "camille.durand@exemple.fr" {
			t.Errorf("first: %v", first)
		}
		if p := first["parent_id"].([]any); p[1] != "Épicerie Vrac & Co" {
			t.Errorf("parent_id: %v", p)
		}
	})
	t.Run("read with ids and context", func(t *testing.T) {
		status, out := json2(t, s, "crm.lead", "read", map[string]any{
			"ids": []any{2}, "fields": []any{"name", "active"}, "context": map[string]any{"active_test": false},
		})
		if status != 200 || len(out.([]any)) != 1 {
			t.Errorf("status %d: %v", status, out)
		}
	})
	t.Run("create returns ids, write true, message_post ids", func(t *testing.T) {
		status, out := json2(t, s, "res.partner", "create", map[string]any{"vals_list": []any{map[string]any{"name": "Json Deux"}}})
		if status != 200 || len(out.([]any)) != 1 {
			t.Fatalf("create: %d %v", status, out)
		}
		id := out.([]any)[0]
		status, out = json2(t, s, "res.partner", "write", map[string]any{"ids": []any{id}, "vals": map[string]any{"phone": "0600000000"}})
		if status != 200 || out != true {
			t.Errorf("write: %d %v", status, out)
		}
		status, out = json2(t, s, "res.partner", "message_post", map[string]any{"ids": []any{id}, "body": "note", "message_type": "comment", "subtype_xmlid": "mail.mt_note"})
		if status != 200 || len(out.([]any)) != 1 {
			t.Errorf("message_post: %d %v", status, out)
		}
	})
	t.Run("full fields_get works over JSON", func(t *testing.T) {
		status, out := json2(t, s, "res.partner", "fields_get", map[string]any{})
		if status != 200 {
			t.Fatalf("status %d", status)
		}
		country := out.(map[string]any)["country_id"].(map[string]any)
		if d, ok := country["domain"]; !ok || d != nil {
			t.Errorf("domain: %v (present %v)", d, ok)
		}
		if _, ok := out.(map[string]any)["mobile"]; ok {
			t.Error("mobile on 19")
		}
	})

	errCases := []struct {
		name    string
		key     string
		model   string
		method  string
		params  map[string]any
		status  int
		errName string
		message string
	}{
		{"no key", "", "res.partner", "search", map[string]any{"domain": []any{}}, 401, "werkzeug.exceptions.Unauthorized",
			"User not authenticated, use an API Key with a Bearer Authorization header."},
		{"bad key", "nope", "res.partner", "search", map[string]any{"domain": []any{}}, 401, "werkzeug.exceptions.Unauthorized", "Invalid apikey"},
		{"password is not an API key", DefaultPassword, "res.partner", "search", map[string]any{"domain": []any{}}, 401, "werkzeug.exceptions.Unauthorized", "Invalid apikey"},
		{"missing model", DefaultAPIKey, "pos.order", "search", map[string]any{"domain": []any{}}, 404, "werkzeug.exceptions.NotFound", "the model 'pos.order' does not exist"},
		{"missing method", DefaultAPIKey, "res.partner", "frobnicate", map[string]any{}, 404, "werkzeug.exceptions.NotFound", "The method 'res.partner.frobnicate' does not exist"},
		{"private method", DefaultAPIKey, "res.partner", "_read", map[string]any{}, 403, "odoo.exceptions.AccessError", "Private methods (such as 'res.partner._read') cannot be called remotely."},
		{"ids on a model method", DefaultAPIKey, "res.partner", "search_read", map[string]any{"ids": []any{1}}, 422, "werkzeug.exceptions.UnprocessableEntity", "cannot call res.partner.search_read with ids"},
		{"unexpected argument", DefaultAPIKey, "res.partner", "search", map[string]any{"domain": []any{}, "count": true}, 422, "werkzeug.exceptions.UnprocessableEntity", "got an unexpected keyword argument 'count'"},
		{"missing argument", DefaultAPIKey, "res.partner", "write", map[string]any{"ids": []any{5}}, 422, "werkzeug.exceptions.UnprocessableEntity", "missing a required argument: 'vals'"},
		{"user error", DefaultAPIKey, "res.partner", "unlink", map[string]any{"ids": []any{4}}, 422, "odoo.exceptions.UserError", "The partner cannot be deleted because it is used in Accounting"},
		{"missing record", DefaultAPIKey, "res.partner", "write", map[string]any{"ids": []any{999}, "vals": map[string]any{"name": "x"}}, 404, "odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: res.partner(999,), User: 2)"},
		{"invalid field", DefaultAPIKey, "res.partner", "search", map[string]any{"domain": []any{[]any{"mobile", "=", "x"}}}, 500, "builtins.ValueError", "Invalid field res.partner.mobile in condition ('mobile', '=', 'x')"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			status, out := json2As(t, s, tc.key, tc.model, tc.method, tc.params)
			body, ok := out.(map[string]any)
			if !ok {
				t.Fatalf("body %v", out)
			}
			if status != tc.status || body["name"] != tc.errName || body["message"] != tc.message {
				t.Errorf("got %d %v %q", status, body["name"], body["message"])
			}
			for _, k := range []string{"arguments", "context", "debug"} {
				if _, ok := body[k]; !ok {
					t.Errorf("no %s in %v", k, body)
				}
			}
			if !strings.HasPrefix(body["debug"].(string), "Traceback (most recent call last):") {
				t.Errorf("debug: %q", body["debug"])
			}
		})
	}
	t.Run("access error is 403", func(t *testing.T) {
		users := append(DefaultUsers(), User{Login: "dsar", APIKey: "1111111111111111111111111111111111111111", UID: 7})
		s := Start(t, Options{Version: 19, Users: users})
		status, out := json2As(t, s, "1111111111111111111111111111111111111111", "ir.model", "search", map[string]any{"domain": []any{}})
		if status != 403 || out.(map[string]any)["name"] != "odoo.exceptions.AccessError" {
			t.Errorf("got %d %v", status, out)
		}
	})
	t.Run("GET is 404", func(t *testing.T) {
		resp, err := http.Get(s.URL() + "/json/2/res.partner/search")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("XML-RPC still answers on 19", func(t *testing.T) {
		c := &client{t: t, s: s, uid: 2, pw: DefaultAPIKey}
		if n := asI(c.must("res.partner", "search_count", []any{[]any{}}, nil)); n == 0 {
			t.Error("no partners")
		}
	})
}

func TestJSON2NotBefore19(t *testing.T) {
	s := Start(t, Options{Version: 17})
	status, body, _ := raw(t, s.URL()+"/json/2/res.partner/search", "application/json", `{"domain": []}`,
		map[string]string{"Authorization": "bearer " + DefaultAPIKey})
	if status != 404 || strings.HasPrefix(body, "{") {
		t.Errorf("17: %d %q", status, body)
	}
}

func TestVersionInfoRoute(t *testing.T) {
	s := Start(t, Options{Version: 19})
	status, body, _ := raw(t, s.URL()+"/web/webclient/version_info", "application/json",
		`{"jsonrpc": "2.0", "method": "call", "params": {}, "id": 7}`, nil)
	var out struct {
		ID     int            `json:"id"`
		Result map[string]any `json:"result"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || status != 200 {
		t.Fatalf("%d %q: %v", status, body, err)
	}
	if out.ID != 7 || out.Result["server_version"] != "19.0" {
		t.Errorf("got %+v", out)
	}
}
