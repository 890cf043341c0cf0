package seal

import (
	"bytes"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	k, err := ParseKey(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := k.Seal("5f1c6e0b9d2a4c8e7f3b1a9d6c4e2f0a8b7d5c3e", "shop:1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(s, []byte("5f1c6e0b")) {
		t.Fatal("the secret is readable in the sealed value")
	}
	if got, err := k.Open(s, "shop:1"); err != nil || got != "5f1c6e0b9d2a4c8e7f3b1a9d6c4e2f0a8b7d5c3e" {
		t.Errorf("open: %q %v", got, err)
	}
	if _, err := k.Open(s, "shop:2"); err == nil {
		t.Error("opened under another label")
	}
	other, _ := ParseKey(strings.Repeat("cd", 32))
	if _, err := other.Open(s, "shop:1"); err == nil {
		t.Error("opened with another key")
	}
	s[len(s)-1] ^= 1
	if _, err := k.Open(s, "shop:1"); err == nil {
		t.Error("opened a tampered value")
	}
	for _, bad := range []string{"", "short", strings.Repeat("z", 64)} {
		if _, err := ParseKey(bad); err == nil {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
}
