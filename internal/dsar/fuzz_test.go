package dsar_test

import (
	"encoding/base64"
	"errors"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vracoop/dsar/internal/dsar"
)

// The fuzz targets of the domain: each checks an invariant that the rest
// of dsar relies on, for whatever a person (or an attacker) types.

// nasty are values seen in attacks and in real forms: markup, SQL, header
// injection, invalid UTF-8, control and bidi characters, huge values.
var nasty = []string{
	"",
	" ",
	"Jeanne Dupont",
	"Élodie Lefèvre-Ørsted",
	"李小龍",
	"<script>alert(1)</script>",
	`"><img src=x onerror=alert(1)>`,
	"javascript:alert(document.cookie)",
	"' OR 1=1 --",
	"Robert'); DROP TABLE requests;--",
	"jeanne@example.fr\r\nBcc: victim@example.org",
	"jeanne\nDupont",
	"tab\there",
	"\xff\xfe\xfd",
	"a\x00b",
	"\u202eevil\u202c",
	"line\u2028separator",
	"nel\u0085char",
	strings.Repeat("A", 5001),
	strings.Repeat("é", 201),
}

func FuzzSubmissionValidate(f *testing.F) {
	valid := []string{"Jeanne Dupont", "jeanne@example.fr", "06 12 34 56 78", "customer", "", "", "access,erasure", "", "", "Client depuis 2019."}
	f.Add(valid[0], valid[1], valid[2], valid[3], valid[4], valid[5], valid[6], valid[7], valid[8], valid[9])
	f.Add("Camille", "c@exemple.fr", "", "loyalty", "Vrac & Co", "Bayonne", "rectification", "ancienne adresse", "nouvelle adresse", "")
	f.Add("Camille", " Camille.Durand@EXEMPLE.FR ", "+33 (0)6 12 34 56 78", "app_user", "x", "y", "access,access", "", "", "")
	f.Add("a\r\nBcc: x@y.z", "a@b.c\r\nBcc: x@y.z", "06\n12", "boss", "<b>", "\x00", "hack", "\xff", "\xfe", "\x1b[31m")
	f.Add("x", `"quoted local"@example.fr`, "++33", "other", "", "", "", "", "", strings.Repeat("d", 5001))
	f.Add("x", "Jeanne <jeanne@example.fr>", "0", "prospect", "", "", "portability,objection,restriction", "", "", "\t\n")
	for _, n := range nasty {
		f.Add(n, n, n, n, n, n, n, n, n, n)
	}
	f.Fuzz(func(t *testing.T, name, email, phone, rel, shopName, shopTown, kinds, wrong, correct, details string) {
		s := dsar.Submission{Name: name, Email: email, Phone: phone, Relationship: dsar.Relationship(rel),
			ShopName: shopName, ShopTown: shopTown, RectifyWrong: wrong, RectifyCorrect: correct, Details: details}
		if kinds != "" {
			for _, k := range strings.Split(kinds, ",") {
				s.Kinds = append(s.Kinds, dsar.Kind(k))
			}
		}
		s.Normalize()
		again := s
		again.Normalize()
		if !sameSubmission(s, again) {
			t.Errorf("Normalize is not idempotent: %+v then %+v", s, again)
		}
		problems := s.Validate()
		for field, p := range problems {
			if !knownField[field] || !knownProblem[p] {
				t.Errorf("unknown problem %s: %s", field, p)
			}
		}
		if len(problems) > 0 {
			return
		}
		checkValid(t, s)
	})
}

var knownField = map[string]bool{"name": true, "email": true, "phone": true, "relationship": true, "shop_name": true,
	"shop_town": true, "kinds": true, "rectify_wrong": true, "rectify_correct": true, "details": true}

var knownProblem = map[dsar.Problem]bool{dsar.ProblemRequired: true, dsar.ProblemTooLong: true, dsar.ProblemEmail: true,
	dsar.ProblemPhone: true, dsar.ProblemChoice: true, dsar.ProblemControl: true}

func sameSubmission(a, b dsar.Submission) bool {
	if len(a.Kinds) != len(b.Kinds) {
		return false
	}
	for i := range a.Kinds {
		if a.Kinds[i] != b.Kinds[i] {
			return false
		}
	}
	a.Kinds, b.Kinds = nil, nil
	return a.Name == b.Name && a.Email == b.Email && a.Phone == b.Phone && a.Relationship == b.Relationship &&
		a.ShopName == b.ShopName && a.ShopTown == b.ShopTown && a.RectifyWrong == b.RectifyWrong &&
		a.RectifyCorrect == b.RectifyCorrect && a.Details == b.Details && a.Lang == b.Lang
}

// checkValid asserts what storage, the mails and the pages rely on once a
// submission passed validation.
func checkValid(t *testing.T, s dsar.Submission) {
	t.Helper()
	lines := map[string]struct {
		v   string
		max int
	}{
		"name": {s.Name, dsar.MaxNameLen}, "email": {s.Email, dsar.MaxEmailLen}, "phone": {s.Phone, dsar.MaxPhoneLen},
		"shop_name": {s.ShopName, dsar.MaxShopLen}, "shop_town": {s.ShopTown, dsar.MaxShopLen},
	}
	for field, l := range lines {
		if strings.ContainsAny(l.v, "\r\n") {
			t.Errorf("%s %q validated with CR/LF", field, l.v)
		}
		checkText(t, field, l.v, l.max)
	}
	for field, l := range map[string]struct {
		v   string
		max int
	}{"rectify_wrong": {s.RectifyWrong, dsar.MaxRectifyLen}, "rectify_correct": {s.RectifyCorrect, dsar.MaxRectifyLen}, "details": {s.Details, dsar.MaxDetailsLen}} {
		checkText(t, field, l.v, l.max)
	}
	if s.Name == "" || s.Email == "" {
		t.Errorf("required field empty: name %q email %q", s.Name, s.Email)
	}
	a, err := mail.ParseAddress(s.Email)
	if err != nil || a.Address != s.Email || a.Name != "" {
		t.Errorf("email %q validated but net/mail reads %+v, %v", s.Email, a, err)
	}
	if at := strings.LastIndexByte(s.Email, '@'); at <= 0 || !strings.Contains(s.Email[at:], ".") {
		t.Errorf("email %q validated without a dotted domain", s.Email)
	}
	if s.Phone != "" && (!dsar.ValidPhone(s.Phone) || dsar.NormalizePhone(s.Phone) == "") {
		t.Errorf("phone %q validated but is not a number", s.Phone)
	}
	if !s.Relationship.Valid() {
		t.Errorf("relationship %q validated", s.Relationship)
	}
	if len(s.Kinds) == 0 {
		t.Errorf("no right validated")
	}
	seen := map[dsar.Kind]bool{}
	for _, k := range s.Kinds {
		if !k.Valid() || seen[k] {
			t.Errorf("rights %v validated", s.Kinds)
		}
		seen[k] = true
	}
	if s.Relationship == dsar.RelLoyalty && (s.ShopName == "" || s.ShopTown == "") {
		t.Errorf("loyalty request validated without its shop")
	}
	if !s.Relationship.ConcernsShop() && (s.ShopName != "" || s.ShopTown != "") {
		t.Errorf("shop kept for relationship %q", s.Relationship)
	}
	rectify := dsar.HasKind(s.Kinds, dsar.KindRectification)
	if rectify && (s.RectifyWrong == "" || s.RectifyCorrect == "") {
		t.Errorf("rectification validated without what to rectify")
	}
	if !rectify && (s.RectifyWrong != "" || s.RectifyCorrect != "") {
		t.Errorf("rectification text kept without the right")
	}
}

func checkText(t *testing.T, field, v string, max int) {
	t.Helper()
	if !utf8.ValidString(v) {
		t.Errorf("%s %q validated with invalid UTF-8", field, v)
	}
	if n := utf8.RuneCountInString(v); n > max {
		t.Errorf("%s validated with %d characters (max %d)", field, n, max)
	}
	if v != strings.TrimSpace(v) {
		t.Errorf("%s %q validated untrimmed", field, v)
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			t.Errorf("%s %q validated with control character %U", field, v, r)
		}
	}
}

var normalizedPhone = regexp.MustCompile(`^\+[0-9]+$`)

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78",
		"0033 6 12 34 56 78", "06.12.34.56.78", "+34 612 345 678", "", "12", "n/a", "001234", "(0)(0)(0)",
		"+", "++33612345678", " +33612345678 ", "0612345678(0)", "٠٦١٢٣٤٥٦٧٨", "０６１２３４５６７８", "+33 06 12 34 56 78",
		"1234567890123456789012345678901234567890"} {
		f.Add(s)
	}
	for _, n := range nasty {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := dsar.NormalizePhone(s)
		pat := dsar.PhoneSearchPattern(s)
		if n == "" {
			if pat != "" {
				t.Errorf("PhoneSearchPattern(%q) = %q for a non-number", s, pat)
			}
			return
		}
		if !normalizedPhone.MatchString(n) {
			t.Fatalf("NormalizePhone(%q) = %q, not +digits", s, n)
		}
		// Normalising a normalised number changes nothing. (A number of
		// fewer than six digits once "00" is stripped is the exception
		// reported in TestNormalizePhoneShortInternational.)
		if again := dsar.NormalizePhone(n); again != n && len(n)-1 >= 6 {
			t.Errorf("NormalizePhone(%q) = %q, then %q", s, n, again)
		}
		digits := n[1:]
		if len(digits) > 9 {
			digits = digits[len(digits)-9:]
		}
		if want := strings.Join(strings.Split(digits, ""), "%"); pat != want {
			t.Errorf("PhoneSearchPattern(%q) = %q, want %q", s, pat, want)
		}
		// The pattern, used as Odoo's ilike does (%pattern%), must find
		// the number as the person typed it: its digits in order.
		if !ilikeDigits(s, pat) {
			t.Errorf("pattern %q does not match %q", pat, s)
		}
		if strings.ContainsAny(pat, "_\\'\"") {
			t.Errorf("pattern %q carries a character special to SQL LIKE or quoting", pat)
		}
	})
}

// ilikeDigits reports whether the digits of pattern (joined by %) occur in
// s in order, as "%d1%d2%...%" would match.
func ilikeDigits(s, pattern string) bool {
	want := strings.ReplaceAll(pattern, "%", "")
	i := 0
	for _, r := range s {
		if i < len(want) && byte(r) == want[i] && r < utf8.RuneSelf {
			i++
		}
	}
	return i == len(want)
}

// TestNormalizePhoneShortInternational: "00" followed by four or five
// digits passes the six-digit floor before the prefix is stripped, so the
// result has fewer than six digits and normalising it again gives "".
func TestNormalizePhoneShortInternational(t *testing.T) {
	n := dsar.NormalizePhone("00 12 34")
	if again := dsar.NormalizePhone(n); n != "" && again != n {
		t.Fatal("NormalizePhone(\"00 12 34\") = \"+1234\" but NormalizePhone(\"+1234\") = \"\" (not idempotent; the 6-digit floor is checked before \"00\" is stripped)")
	}
}

var testTime = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func FuzzWellFormedToken(f *testing.F) {
	tok, err := dsar.NewToken("r", dsar.TokenConfirm, testTime)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{tok.Plain, strings.Repeat("A", 43), strings.Repeat("A", 42) + "B", strings.Repeat("_", 43),
		strings.Repeat("A", 42) + "\n", strings.Repeat("A", 44), strings.Repeat("A", 42), strings.Repeat("+", 43),
		strings.Repeat("/", 43), strings.Repeat("A", 42) + "=", "", "garbage", "../../../../etc/passwd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := dsar.HashToken(s)
		if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
			t.Fatalf("HashToken(%q) = %q, not 64 hex digits", s, h)
		}
		if h != dsar.HashToken(s) || h == dsar.HashToken(s+"x") {
			t.Fatalf("HashToken is not a function of its input")
		}
		if !dsar.WellFormedToken(s) {
			return
		}
		if strings.ContainsAny(s, "\r\n") {
			t.Fatal("WellFormedToken accepts a 43-byte string with CR/LF (base64 decoding skips them)")
		}
		if len(s) != 43 {
			t.Errorf("WellFormedToken(%q) with length %d", s, len(s))
		}
		for _, r := range s {
			if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", r) {
				t.Errorf("WellFormedToken(%q) with %q, not base64url", s, r)
			}
		}
		if b, err := base64.RawURLEncoding.DecodeString(s); err != nil || len(b) != 32 {
			t.Errorf("WellFormedToken(%q) decodes to %d bytes, %v", s, len(b), err)
		}
	})
}

// TestWellFormedTokenRejectsNewlines: encoding/base64 ignores CR and LF, so
// 42 base64url characters and a newline make 43 bytes that decode.
func TestWellFormedTokenRejectsNewlines(t *testing.T) {
	for _, s := range []string{strings.Repeat("A", 42) + "\n", "\n" + strings.Repeat("A", 42), strings.Repeat("A", 21) + "\r" + strings.Repeat("A", 21)} {
		if dsar.WellFormedToken(s) {
			t.Fatalf("WellFormedToken(%q) = true: a token with a newline passes the pre-check", s)
		}
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"Camille Durand", "camille.durand@exemple.fr", "06 12 34 56 78", "+33 6 12 34 56 78",
		"12 rue Port-Neuf", "Élodie", "a", "a b", "@", "x@y", "@camille.durand", "FR76 3000 6000 0112 3456 7890 189",
		"123456", "((((123456))))", "\xff\xfeabc", "***", "a***@b***"} {
		f.Add(s)
	}
	for _, n := range nasty {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, v string) {
		m := dsar.Mask(v)
		if m != dsar.Mask(v) {
			t.Fatalf("Mask is not deterministic")
		}
		trimmed := strings.TrimSpace(v)
		if trimmed == "" {
			if m != "" {
				t.Errorf("Mask(%q) = %q", v, m)
			}
			return
		}
		// A personal value (a word of two characters or more, not already
		// made of stars) never comes out unchanged.
		if nonTrivial(trimmed) && (m == v || m == trimmed) {
			t.Errorf("Mask(%q) returned it unchanged", v)
		}
		// Whatever the shape, at most the first character of each word of
		// a name, or of the local part of an address, survives: a word of
		// four letters or more never appears whole.
		if !strings.Contains(trimmed, "@") && !isPhoneLike(trimmed) {
			for _, w := range strings.Fields(trimmed) {
				if utf8.RuneCountInString(w) >= 4 && utf8.ValidString(w) && !strings.Contains(w, "*") && strings.Contains(m, w) {
					t.Errorf("Mask(%q) = %q keeps the word %q", v, m, w)
				}
			}
		}
		if at := strings.LastIndexByte(trimmed, '@'); at >= 0 {
			local, maskedLocal := trimmed[:at], m[:max(strings.LastIndexByte(m, '@'), 0)]
			if utf8.RuneCountInString(local) >= 2 && utf8.ValidString(local) && !strings.Contains(local, "*") && strings.Contains(maskedLocal, local) {
				t.Errorf("Mask(%q) = %q keeps the local part", v, m)
			}
		}
	})
}

func nonTrivial(v string) bool {
	if strings.Contains(v, "*") {
		return false
	}
	for _, w := range strings.Fields(v) {
		if utf8.RuneCountInString(w) >= 2 {
			return true
		}
	}
	return strings.Contains(v, "@")
}

func isPhoneLike(v string) bool {
	return dsar.NormalizePhone(v) != "" && strings.Trim(v, "0123456789 +.()-/") == ""
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-26", "2024-02-29", "2025-02-29", "2026-13-01", "2026-00-10", "0000-01-01",
		"9999-12-31", "2026-1-2", " 2026-11-26", "2026-11-26 ", "2026-11-26T00:00:00Z", "26/11/2026", "", "-001-01-01",
		"+2026-11-26", "２０２６-11-26", "2026-11-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := dsar.ParseDate(s)
		if err != nil {
			var de *dsar.Error
			if !errors.As(err, &de) || de.Code != dsar.EINVALID {
				t.Fatalf("ParseDate(%q): %v, not an EINVALID *dsar.Error", s, err)
			}
			if d != (dsar.Date{}) {
				t.Errorf("ParseDate(%q) failed but returned %v", s, d)
			}
			return
		}
		// What parses is exactly the canonical form of a real day.
		if d.String() != s {
			t.Errorf("ParseDate(%q) = %v: not a round trip", s, d)
		}
		if d != dsar.NewDate(d.Year, d.Month, d.Day) {
			t.Errorf("ParseDate(%q) = %v, a day that does not exist", s, d)
		}
		text, err := d.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back dsar.Date
		if err := back.UnmarshalText(text); err != nil || (back != d && !d.IsZero()) {
			t.Errorf("text round trip of %v: %v, %v", d, back, err)
		}
		if next := d.AddDays(1); !next.After(d) || d.DaysUntil(next) != 1 {
			t.Errorf("the day after %v is %v", d, next)
		}
	})
}
