package dsar

import "testing"

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"06 12 34 56 78", "+33612345678"},
		{"0612345678", "+33612345678"},
		{"+33 6 12 34 56 78", "+33612345678"},
		{"+33 (0)6 12 34 56 78", "+33612345678"},
		{"0033 6 12 34 56 78", "+33612345678"},
		{"06.12.34.56.78", "+33612345678"},
		{"05.59.43.84.46", "+33559438446"},
		{"+34 612 345 678", "+34612345678"},
		{"", ""},
		{"12", ""},
		{"n/a", ""},
	}
	for _, tt := range tests {
		if got := NormalizePhone(tt.in); got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPhoneSearchPattern(t *testing.T) {
	for _, in := range []string{"06 12 34 56 78", "+33612345678", "0033 (0)6-12-34-56-78"} {
		if got, want := PhoneSearchPattern(in), "6%1%2%3%4%5%6%7%8"; got != want {
			t.Errorf("PhoneSearchPattern(%q) = %q, want %q", in, got, want)
		}
	}
	if got := PhoneSearchPattern("abc"); got != "" {
		t.Errorf("pattern of garbage = %q", got)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for _, in := range []string{"camille.durand@exemple.fr", " Camille.Durand@Exemple.fr ", "CAMILLE.DURAND@EXEMPLE.FR"} {
		if got := NormalizeEmail(in); got != "camille.durand@exemple.fr" {
			t.Errorf("NormalizeEmail(%q) = %q", in, got)
		}
	}
}
