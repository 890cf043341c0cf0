package dsar

import (
	"errors"
	"testing"
	"time"
)

func TestPackageCodes(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	p := Package{ID: 7, ExpiresAt: now.Add(30 * 24 * time.Hour)}
	if err := p.CheckCode("123456", now); !errors.Is(err, ErrNothingToCheck) {
		t.Errorf("check before any code: %v", err)
	}
	code, err := p.NewCode(now)
	if err != nil || len(code) != CodeDigits {
		t.Fatalf("code %q %v", code, err)
	}
	if _, err := p.NewCode(now.Add(30 * time.Second)); !errors.Is(err, ErrCodeTooSoon) {
		t.Errorf("second code at once: %v", err)
	}
	if err := p.CheckCode(code, now.Add(CodeTTL+time.Second)); !errors.Is(err, ErrCodeWrong) {
		t.Errorf("expired code accepted: %v", err)
	}
	code, _ = p.NewCode(now.Add(2 * time.Minute))
	if err := p.CheckCode(code, now.Add(3*time.Minute)); err != nil || p.Downloads != 1 {
		t.Fatalf("right code: %v", err)
	}
	if err := p.CheckCode(code, now.Add(3*time.Minute)); !errors.Is(err, ErrNothingToCheck) {
		t.Errorf("a code was used twice: %v", err)
	}
	other := Package{ID: 8, ExpiresAt: p.ExpiresAt}
	if other.hash("000000") == (&Package{ID: 7}).hash("000000") {
		t.Errorf("a code hash is the same for two packages")
	}

	code, _ = p.NewCode(now.Add(5 * time.Minute))
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := 1; i < MaxCodeAttempts; i++ {
		if err := p.CheckCode(wrong, now.Add(6*time.Minute)); !errors.Is(err, ErrCodeWrong) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	if err := p.CheckCode(wrong, now.Add(6*time.Minute)); !errors.Is(err, ErrPackageLocked) || !p.Locked {
		t.Fatalf("fifth wrong code: %v", err)
	}
	if err := p.CheckCode(code, now.Add(6*time.Minute)); !errors.Is(err, ErrPackageLocked) {
		t.Errorf("the right code opened a locked package: %v", err)
	}
	if _, err := (&Package{ExpiresAt: now}).NewCode(now); !errors.Is(err, ErrPackageGone) {
		t.Errorf("code for an expired package: %v", err)
	}
}
