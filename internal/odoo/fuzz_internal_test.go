package odoo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

// domainGen builds Odoo domains from fuzz bytes: leaves, and whole domains
// in prefix notation (one expression each), as the lookup passes to or.
type domainGen struct {
	data []byte
	leaf int // leaves made so far; each leaf's value is its number
}

func (g *domainGen) next() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

// newLeaf returns [field, operator, value]; the value is the leaf's number,
// sometimes inside a list, sometimes next to a value that looks like an
// operator, so that only the shape tells leaves and operators apart.
func (g *domainGen) newLeaf() []any {
	n := g.leaf
	g.leaf++
	switch g.next() % 4 {
	case 0:
		return []any{"email", "=ilike", n}
	case 1:
		return []any{"partner_id", "in", []any{n, "|"}}
	case 2:
		return []any{"name", "!=", n}
	}
	return []any{"phone", "ilike", n}
}

// expr returns the tokens of one expression in prefix notation.
func (g *domainGen) expr(depth int) []any {
	b := g.next()
	if depth > 4 {
		b = 0
	}
	switch b % 6 {
	case 3:
		return append([]any{"!"}, g.expr(depth+1)...)
	case 4:
		return append(append([]any{"&"}, g.expr(depth+1)...), g.expr(depth+1)...)
	case 5:
		return append(append([]any{"|"}, g.expr(depth+1)...), g.expr(depth+1)...)
	}
	return []any{g.newLeaf()}
}

// terms returns what a caller of or passes: bare leaves and whole domains.
func (g *domainGen) terms() []any {
	n := int(g.next() % 9)
	out := make([]any, 0, n)
	for range n {
		if g.next()%2 == 0 {
			out = append(out, g.newLeaf())
		} else {
			out = append(out, g.expr(0))
		}
	}
	return out
}

// evalPrefix evaluates one expression at the start of tokens, a leaf being
// true when bit (value mod 64) of truth is set, and returns the tokens
// left. ok is false when tokens do not start with a valid expression.
func evalPrefix(tokens []any, truth uint64) (v bool, rest []any, leaves, ops int, ok bool) {
	if len(tokens) == 0 {
		return false, nil, 0, 0, false
	}
	switch t := tokens[0].(type) {
	case string:
		switch t {
		case "!":
			v, rest, leaves, ops, ok = evalPrefix(tokens[1:], truth)
			return !v, rest, leaves, ops, ok
		case "&", "|":
			a, rest, la, oa, ok := evalPrefix(tokens[1:], truth)
			if !ok {
				return false, nil, 0, 0, false
			}
			b, rest, lb, ob, ok := evalPrefix(rest, truth)
			if !ok {
				return false, nil, 0, 0, false
			}
			if t == "&" {
				return a && b, rest, la + lb, oa + ob + 1, true
			}
			return a || b, rest, la + lb, oa + ob + 1, true
		}
		return false, nil, 0, 0, false
	case []any:
		if len(t) != 3 {
			return false, nil, 0, 0, false
		}
		if _, isField := t[0].(string); !isField {
			return false, nil, 0, 0, false
		}
		n := leafNumber(t[2])
		return truth&(1<<(uint(n)%64)) != 0, tokens[1:], 1, 0, true
	}
	return false, nil, 0, 0, false
}

func leafNumber(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case []any:
		return x[0].(int)
	}
	panic(fmt.Sprintf("leaf value %#v", v))
}

// evalTerm evaluates what a caller passed to or: a leaf or a domain.
func evalTerm(t *testing.T, term any, truth uint64) bool {
	t.Helper()
	tokens := []any{term}
	if isDomain(term) {
		tokens = term.([]any)
	}
	v, rest, _, _, ok := evalPrefix(tokens, truth)
	if !ok || len(rest) != 0 {
		t.Fatalf("generator made an invalid term %#v", term)
	}
	return v
}

func FuzzDomainOr(f *testing.F) {
	f.Add([]byte{}, uint64(0))
	f.Add([]byte{1, 0, 0}, uint64(1))
	f.Add([]byte{2, 0, 0, 0, 1}, uint64(2))
	f.Add([]byte{3, 1, 5, 0, 0, 4, 0, 3, 0, 0, 1, 3}, uint64(0xdeadbeef))
	f.Add([]byte{8, 1, 5, 5, 5, 5, 5, 0, 1, 2, 3, 0, 1, 3, 3, 3, 0, 0, 0, 1, 1, 4, 4, 4, 4}, ^uint64(0))
	f.Fuzz(func(t *testing.T, data []byte, truth uint64) {
		g := &domainGen{data: data}
		terms := g.terms()
		before := fmt.Sprintf("%#v", terms)
		out := or(terms)
		if fmt.Sprintf("%#v", terms) != before {
			t.Fatalf("or changed its argument")
		}
		if len(terms) == 0 {
			if out != nil {
				t.Fatalf("or() = %#v, want nil", out)
			}
			return
		}
		for i := range len(terms) - 1 {
			if out[i] != "|" {
				t.Fatalf("or(%d terms) does not start with %d \"|\": %#v", len(terms), len(terms)-1, out)
			}
		}
		for _, bits := range []uint64{truth, ^truth, 0, ^uint64(0)} {
			got, rest, leaves, ops, ok := evalPrefix(out, bits)
			if !ok || len(rest) != 0 {
				t.Fatalf("or(%#v) = %#v: not one expression in prefix notation (left over %#v)", terms, out, rest)
			}
			if ops != leaves-1 {
				t.Fatalf("or(%#v) = %#v: %d binary operators for %d leaves", terms, out, ops, leaves)
			}
			want := false
			for _, term := range terms {
				want = want || evalTerm(t, term, bits)
			}
			if got != want {
				t.Fatalf("or(%#v) = %#v evaluates to %v, want %v (truth %x)", terms, out, got, want, bits)
			}
		}
	})
}

// TestOrKeepsAnImplicitAndDomainWhole: isDomain recognises "a list of
// terms" (Odoo's implicit AND, [A, B]) as a domain, and or splices its
// terms into the OR, so or([X, [A, B]]) = ["|", X, A, B], which Odoo
// normalises to (X | A) & B instead of X | (A & B). No caller passes such a
// domain today.
func TestOrKeepsAnImplicitAndDomainWhole(t *testing.T) {
	x, a, b := []any{"email", "=ilike", 0}, []any{"name", "ilike", 1}, []any{"phone", "ilike", 2}
	out := or([]any{x, []any{a, b}})
	_, rest, _, _, ok := evalPrefix(out, 0)
	if !ok || len(rest) != 0 {
		t.Fatalf("or([X, [A, B]]) = %v: an implicit-AND domain is spliced without its '&', so Odoo reads (X|A)&B", out)
	}
}

// answer is what the fuzzed Odoo answers to every call.
type answer struct {
	mu   sync.Mutex
	body []byte
	ct   string
}

func (a *answer) set(body []byte, ct string) {
	a.mu.Lock()
	a.body, a.ct = body, ct
	a.mu.Unlock()
}

func (a *answer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	body, ct := a.body, a.ct
	a.mu.Unlock()
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func fuzzClient(t testing.TB, url, protocol string) *Client {
	c, err := New(Config{Name: "fuzz", URL: url, DB: "db", Login: "dsar", Password: "key", Protocol: protocol,
		Timeout: 5 * time.Second, Retries: 1, RetryWait: time.Nanosecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func FuzzDecodeAnswer(f *testing.F) {
	xmlrpcAnswers := []string{
		`<?xml version="1.0"?><methodResponse><params><param><value><int>2</int></value></param></params></methodResponse>`,
		`<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>server_version</name><value><string>17.0</string></value></member><member><name>server_version_info</name><value><array><data><value><int>17</int></value><value><int>0</int></value></data></array></value></member><member><name>protocol_version</name><value><int>1</int></value></member></struct></value></param></params></methodResponse>`,
		`<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><struct><member><name>id</name><value><int>7</int></value></member><member><name>name</name><value><string>Camille</string></value></member><member><name>parent_id</name><value><array><data><value><int>3</int></value><value><string>Vrac &amp; Co</string></value></data></array></value></member><member><name>email</name><value><boolean>0</boolean></value></member><member><name>amount</name><value><double>1e308</double></value></member><member><name>date</name><value><dateTime.iso8601>20261126T10:00:00</dateTime.iso8601></value></member><member><name>raw</name><value><base64>aGk=</base64></value></member><member><name>nil</name><value><nil/></value></member></struct></value></data></array></value></param></params></methodResponse>`,
		`<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>3</int></value></member><member><name>faultString</name><value><string>Access Denied</string></value></member></struct></value></fault></methodResponse>`,
		`<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><string>x</string></value></member></struct></value></fault></methodResponse>`,
		`<?xml version="1.0"?><methodResponse><params><param><value><i8>99999999999999999999</i8></value></param></params></methodResponse>`,
		`<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><array><data><value>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><methodResponse><params><param><value>caf\xe9</value></param></params></methodResponse>`,
		`<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><methodResponse><params><param><value>&b;</value></param></params></methodResponse>`,
		`<?xml version="1.0"?><methodResponse><fault><value></value></fault></methodResponse>`,
		`<html><body>502 Bad Gateway</body></html>`,
		"",
		"\x00\xff",
	}
	for _, s := range xmlrpcAnswers {
		f.Add([]byte(s), false)
	}
	for _, s := range []string{`{"result":{"server_version":"19.0","server_version_info":[19,0,0,"final",0]}}`,
		`[{"id":7,"name":"Camille","parent_id":[3,"Vrac"],"email":false}]`, `{"error":{"message":"boom"}}`,
		`null`, `[`, `1e999`, strings.Repeat("[", 20000)} {
		f.Add([]byte(s), true)
	}
	ans := &answer{}
	srv := httptest.NewServer(ans)
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, body []byte, json2 bool) {
		protocol, ct := ProtocolXMLRPC, "text/xml"
		if json2 {
			protocol, ct = ProtocolJSON2, "application/json"
		}
		ans.set(body, ct)
		ctx := context.Background()

		c := fuzzClient(t, srv.URL, protocol)
		if _, err := c.ServerVersion(ctx); err != nil {
			checkTyped(t, err)
		}
		c = fuzzClient(t, srv.URL, protocol)
		out, err := c.Execute(ctx, "res.partner", "search_read", nil, map[string]any{"domain": []any{}, "fields": []string{"name"}})
		if err != nil {
			checkTyped(t, err)
			if out != nil {
				t.Errorf("Execute returned both %#v and %v", out, err)
			}
			return
		}
		// Whatever decoded, the record readers take it without panicking.
		for _, r := range toRecords(out) {
			r.ID()
			r.DisplayName()
			r.Many2one("parent_id")
			r.IDs("child_ids")
			r.Float("amount")
			textFields(r, []string{"name", "parent_id", "email", "amount", "date", "raw", "nil"})
		}
		asInt(out)
	})
}

// checkTyped asserts that a failed call gives the connector's typed error,
// with its instance, and a kind that callers can act on.
func checkTyped(t *testing.T, err error) {
	t.Helper()
	var oe *Error
	if !errors.As(err, &oe) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
	if oe.Instance != "fuzz" {
		t.Errorf("error without its instance: %v", err)
	}
	if err.Error() == "" {
		t.Errorf("empty error message")
	}
}

// TestEmptyFaultSaysSomething: a fault without faultCode or faultString
// (an empty <value>, as a broken proxy or a truncated answer may give)
// becomes an error of no kind, code 0 and no message: "fault (code 0): ",
// which tells the operator nothing and is not retried.
func TestEmptyFaultSaysSomething(t *testing.T) {
	ans := &answer{}
	ans.set([]byte(`<?xml version="1.0"?><methodResponse><fault><value></value></fault></methodResponse>`), "text/xml")
	srv := httptest.NewServer(ans)
	defer srv.Close()
	_, err := fuzzClient(t, srv.URL, ProtocolXMLRPC).ServerVersion(context.Background())
	checkTyped(t, err)
	var oe *Error
	if errors.As(err, &oe); oe.Kind == nil && oe.Code == 0 && oe.Message == "" && oe.Err == nil {
		t.Fatalf("an empty XML-RPC fault gives an error with no kind, code or message (%q), not retried", err)
	}
}

// deepAnswerEnv makes the test binary, started again by
// TestDeeplyNestedAnswer, play the client that receives the answer.
const deepAnswerEnv = "DSAR_TEST_DEEP_ANSWER"

// TestDeeplyNestedAnswer: an XML-RPC answer of 20 MB (under maxResponse)
// made of a million nested arrays. kolo/xmlrpc decodes values recursively
// with no depth limit, so the decoder's stack passes Go's 1 GB limit: a
// fatal error that recover cannot catch, and the whole service stops. An
// Odoo that is compromised, or a client shop's instance, could stop dsar
// with one answer. The client runs in a child process so that the crash
// does not take the test binary with it.
func TestDeeplyNestedAnswer(t *testing.T) {
	if os.Getenv(deepAnswerEnv) != "" {
		// Lower the stack limit so that the child overflows (if it does)
		// quickly and without touching a gigabyte; at the default 1 GB a
		// million levels suffice.
		debug.SetMaxStack(64 << 20)
		deepAnswerChild(t)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestDeeplyNestedAnswer$", "-test.v")
	cmd.Env = append(os.Environ(), deepAnswerEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		if strings.Contains(string(out), "stack overflow") || strings.Contains(string(out), "stack exceeds") {
			t.Fatal("a deeply nested XML-RPC answer (1M <array> levels, 20 MB < maxResponse) overflows the stack in kolo/xmlrpc's recursive decoder: fatal error, the process dies")
		}
		t.Fatalf("child: %v\n%s", err, lastLines(string(out), 20))
	}
}

func deepAnswerChild(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><methodResponse><params><param>`)
	for range 1_000_000 {
		b.WriteString("<value><array><data>")
	}
	ans := &answer{}
	ans.set([]byte(b.String()), "text/xml")
	srv := httptest.NewServer(ans)
	defer srv.Close()
	// authenticate's answer is decoded into an any, as execute_kw's is.
	_, err := fuzzClient(t, srv.URL, ProtocolXMLRPC).UID(context.Background())
	if err == nil {
		t.Fatal("a truncated answer decoded")
	}
	checkTyped(t, err)
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}
