package odootest

import (
	"reflect"
	"strings"
	"testing"
)

// TestDecodeMethodCall: requests are read as Python's xmlrpc.client reads
// them, and malformed ones are refused with the reason.
func TestDecodeMethodCall(t *testing.T) {
	call, err := decodeMethodCall([]byte(`<?xml version="1.0"?>
<methodCall><methodName> execute_kw </methodName><params>
<param><value><string>db</string></value></param>
<param><value>untyped</value></param>
<param><value><array><data><value><int>1</int></value><value><array><data><value><i4>2</i4></value></data></array></value></data></array></value></param>
<param><value><struct><member><name>a</name><value><boolean>1</boolean></value></member><member><name>b</name><value><nil/></value></member></struct></value></param>
<param><value><base64>aGk=</base64></value></param>
</params></methodCall>`))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"db", "untyped", []any{1, []any{2}}, map[string]any{"a": true, "b": nil}, "aGk="}
	if call.method != "execute_kw" || !reflect.DeepEqual(call.params, want) {
		t.Errorf("decoded %q %#v", call.method, call.params)
	}
	for _, tt := range []struct{ body, err string }{
		{`<methodCall><params></params></methodCall>`, "no methodName"},
		{`<methodCall><methodName>m</methodName><bogus/></methodCall>`, `unexpected tag "bogus"`},
		{`<methodCall><methodName>m</methodName><params><param></param></params></methodCall>`, "missing value"},
		{`<methodCall><methodName>m</methodName><params><param><value>1</value><value>2</value></param></params></methodCall>`, `unexpected tag "value"`},
		{`<methodCall><methodName>m</methodName><params><param><value><array><data><x/></data></array></value></param></params></methodCall>`, `unexpected tag "x"`},
		{`<methodCall><methodName>m</methodName><params><param><value><struct><value/></struct></value></param></params></methodCall>`, `unexpected tag "value"`},
		{`<call/>`, `unexpected tag "call"`},
	} {
		if _, err := decodeMethodCall([]byte(tt.body)); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: err %v, want %q", tt.body, err, tt.err)
		}
	}
}
