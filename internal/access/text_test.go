package access

import "testing"

func TestCountRecords(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0\u00a0enregistrement"},
		{"fr", 1, "1\u00a0enregistrement"},
		{"fr", 6, "6\u00a0enregistrements"},
		{"fr", 200000, "200\u202f000\u00a0enregistrements"},
		{"en", 0, "0\u00a0records"},
		{"en", 1, "1\u00a0record"},
		{"en", 1234567, "1,234,567\u00a0records"},
	}
	for _, tt := range tests {
		if got := countRecords(tt.lang, tt.n); got != tt.want {
			t.Errorf("countRecords(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four five six", 12, "  ")
	if want := "  one two\n  three four\n  five six"; got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got, want := wrap("averyveryverylongword x", 8, ""), "averyveryverylongword\nx"; got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}
