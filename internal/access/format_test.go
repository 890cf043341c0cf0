package access

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDocumentJSON checks that the documentation names every key the
// JSON file has, so that it cannot fall behind the code.
func TestDocumentJSON(t *testing.T) {
	doc := DocumentJSON()
	if !strings.Contains(doc, FormatVersion) {
		t.Errorf("the documentation does not name the format %s", FormatVersion)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "en", "data.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var keys []string
	collectKeys(v, &keys)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, k := range keys {
		if !strings.Contains(doc, "`"+k+"`") {
			t.Errorf("the documentation does not describe the key %q", k)
		}
	}
}

// collectKeys gathers the keys of every object in v, but not those under
// "fields", which are Odoo's field names.
func collectKeys(v any, keys *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			*keys = append(*keys, k)
			if k != "fields" {
				collectKeys(e, keys)
			}
		}
	case []any:
		for _, e := range x {
			collectKeys(e, keys)
		}
	}
}
