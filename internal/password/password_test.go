package password

import (
	"strings"
	"testing"
)

var fast = Params{Memory: 64, Time: 1, Threads: 1}

func TestHashAndVerify(t *testing.T) {
	h, err := Hash("correct horse battery staple", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q", h)
	}
	if ok, err := Verify(h, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if ok, _ := Verify(h, "correct horse battery stapl"); ok {
		t.Error("wrong password accepted")
	}
	h2, _ := Hash("correct horse battery staple", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5"} {
		if _, err := Verify(h, "x"); err != ErrMalformed {
			t.Errorf("Verify(%q) err = %v", h, err)
		}
	}
}
