package register

import (
	"errors"
	"strings"
	"testing"
)

func TestWriteCheck(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			var b strings.Builder
			problems, err := WriteCheck(&b, Default(), lang)
			if err != nil {
				t.Fatal(err)
			}
			if problems != 0 {
				t.Errorf("problems: got %d, want 0: the source's inconsistencies are warnings", problems)
			}
			golden(t, "check."+lang+".golden", b.String())
		})
	}
}

func TestWriteCheckErrors(t *testing.T) {
	r, err := LoadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r.Activities[0].Role = ""
	r.Activities[1].Retention.From = ""
	r.Activities[1].Transfers.OutsideEU = nil // a warning, not counted
	var b strings.Builder
	problems, err := WriteCheck(&b, r, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if problems != 2 {
		t.Errorf("problems: got %d, want 2", problems)
	}
	out := b.String()
	for _, want := range []string{
		"2 activités, 2 erreurs, 1 avertissement.",
		"ERREUR  activité 1 (buyers)  role",
		"ERREUR  activité 2 (loyalty)  retention.from",
		"avertissement  activité 2 (loyalty)  transfers",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report does not say %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "ERREUR") > strings.Index(out, "avertissement  ") {
		t.Errorf("warnings before errors:\n%s", out)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCheckWriteError(t *testing.T) {
	if _, err := WriteCheck(failingWriter{}, Default(), "en"); err == nil || err.Error() != "disk full" {
		t.Errorf("got %v, want the writer's error", err)
	}
}
