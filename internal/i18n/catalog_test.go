package i18n

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/templates"
)

// TestCatalogIsComplete: every message has both languages.
func TestCatalogIsComplete(t *testing.T) {
	for key, m := range catalog {
		if strings.TrimSpace(m.fr) == "" || strings.TrimSpace(m.en) == "" {
			t.Errorf("%s lacks a language: %+v", key, m)
		}
		if strings.Count(m.fr, "%") != strings.Count(m.en, "%") {
			t.Errorf("%s: French and English take different arguments", key)
		}
	}
}

var templateKey = regexp.MustCompile(`\bt \$?\.(?:Lang|OtherLang) "([^"]+)"`)

// TestTemplatesUseKnownKeys: every key a template names exists, and so do
// the keys built from the domain's enumerations.
func TestTemplatesUseKnownKeys(t *testing.T) {
	err := fs.WalkDir(templates.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path, "static/") {
			return err
		}
		b, err := fs.ReadFile(templates.FS, path)
		if err != nil {
			return err
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			if !Has(m[1]) {
				t.Errorf("%s uses unknown key %q", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, k := range dsar.Kinds {
		keys = append(keys, "kind."+string(k), "kind.short."+string(k))
	}
	for _, r := range dsar.Relationships {
		keys = append(keys, "rel."+string(r))
	}
	for _, s := range []dsar.Status{dsar.StatusAwaitingConfirmation, dsar.StatusNotConfirmed, dsar.StatusReceived,
		dsar.StatusInProgress, dsar.StatusAwaitingInfo, dsar.StatusForwarded, dsar.StatusCompleted, dsar.StatusDenied} {
		keys = append(keys, "state."+string(s))
	}
	for _, r := range []dsar.StaffRole{dsar.StaffAgent, dsar.StaffAdmin} {
		keys = append(keys, "staff.role."+string(r))
	}
	for _, k := range keys {
		if !Has(k) {
			t.Errorf("missing key %q", k)
		}
	}
}

func TestFrenchTypography(t *testing.T) {
	if got := T(FR, "err.too_long", 200); !strings.Contains(got, "long\u00a0: 200") {
		t.Errorf("no non-breaking space before the colon: %q", got)
	}
	if got := T(EN, "err.too_long", 200); got != "This text is too long: at most 200 characters." {
		t.Errorf("English changed: %q", got)
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	tests := map[string]Lang{"": FR, "en-US,en;q=0.8": EN, "fr-FR": FR, "de": FR, "garbage;;": FR}
	for header, want := range tests {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	if got := FormatDate(FR, dsar.NewDate(2026, 5, 1)); got != "vendredi 1er mai 2026" {
		t.Errorf("FR: %q", got)
	}
	if got := FormatDate(EN, dsar.NewDate(2026, 5, 4)); got != "Monday 4 May 2026" {
		t.Errorf("EN: %q", got)
	}
}
