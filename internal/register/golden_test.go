package register

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (run go test -update and review the diff):\n%s", path, got)
	}
}

// renderText writes a notice as plain text, the way a mail would.
func renderText(n Notice) string {
	var b strings.Builder
	b.WriteString(n.Title + "\n\n")
	for _, p := range n.Intro {
		b.WriteString(p + "\n\n")
	}
	for _, s := range n.Sections {
		b.WriteString("## " + s.Heading + "\n\n")
		for _, p := range s.Paragraphs {
			b.WriteString(p + "\n\n")
		}
		for _, it := range s.Items {
			b.WriteString("- " + it + "\n")
		}
		if len(s.Items) > 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}
