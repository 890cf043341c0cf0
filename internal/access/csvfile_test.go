package access

import "testing"

func TestGuardFormula(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Camille Durand", "Camille Durand"},
		{"=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-12.5", "-12.5"},
		{"+33612345678", "+33612345678"},
		{"-", "'-"},
		{"+.", "'+."},
		{"-1.2.3", "'-1.2.3"},
		{"-1e5", "'-1e5"},
		{"149.9", "149.9"},
		{"a=1", "a=1"},
	}
	for _, tt := range tests {
		if got := guardFormula(tt.in); got != tt.want {
			t.Errorf("guardFormula(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSafeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"VRACOOP", "vracoop"},
		{"res.partner", "res.partner"},
		{"Épicerie du Port", "epicerie_du_port"},
		{"Cœur de Vrac", "coeur_de_vrac"},
		{"../../etc/passwd", "_.._.._etc_passwd"},
		{"..", "_.."},
		{".hidden", "_.hidden"},
		{"", "_"},
		{"a\\b:c*d", "a_b_c_d"},
		{"x_y-z.1", "x_y-z.1"},
	}
	for _, tt := range tests {
		if got := safeName(tt.in); got != tt.want {
			t.Errorf("safeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
