package register

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
)

// TestEmbedded guards Default's panic: the embedded register must load and
// have no structural error.
func TestEmbedded(t *testing.T) {
	r, err := Load(bytes.NewReader(embedded))
	if err != nil {
		t.Fatalf("embedded register.yaml: %v", err)
	}
	for _, f := range r.Check() {
		if f.Severity == SeverityError {
			t.Errorf("embedded register: %s", f)
		}
	}
	if first, again := Default(), Default(); first != again {
		t.Error("Default() parsed the register twice")
	}
}

func TestLoadFile(t *testing.T) {
	r, err := LoadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(r.Activities), 2; got != want {
		t.Fatalf("activities: got %d, want %d", got, want)
	}
	a, ok := r.Activity("loyalty")
	if !ok {
		t.Fatal(`Activity("loyalty") not found`)
	}
	if got, want := a.Retention.Duration.InMonths(), 18; got != want {
		t.Errorf("loyalty retention: got %d months, want %d", got, want)
	}
	if got, want := a.Created, dsar.NewDate(2020, 1, 1); got != want {
		t.Errorf("loyalty created: got %v, want %v", got, want)
	}
	if findings := r.Check(); len(findings) != 0 {
		t.Errorf("minimal register: got findings %v, want none", findings)
	}
	if _, ok := r.Activity("nope"); ok {
		t.Error(`Activity("nope") found`)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		file string
		want string // in the error
	}{
		{"syntax.yaml", "[5:"},
		{"unknown_role.yaml", `activity "buyers": unknown role "owner"`},
		{"unknown_event.yaml", `activity "buyers": unknown retention event "birthday"`},
		{"duplicate_id.yaml", `activity "buyers": duplicate id`},
		{"no_id.yaml", "activity #1 has no id"},
		{"unknown_key.yaml", `unknown field "rôle"`},
		{"duplicate_key.yaml", `"role" already defined`},
		{"unknown_relationship.yaml", `unknown relationship "employee"`},
		{"bad_date.yaml", "YYYY-MM-DD"},
		{"empty.yaml", "the register is empty"},
		{"missing.yaml", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := LoadFile("testdata/load/" + tt.file)
			if err == nil {
				t.Fatal("got no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %q, want it to contain %q", err, tt.want)
			}
			if tt.file != "missing.yaml" && !strings.Contains(err.Error(), tt.file) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}
