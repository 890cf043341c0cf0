package dsar

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"time"
)

// TokenDownload opens the download page of an access package.
const TokenDownload TokenPurpose = "download"

// Delivery rules for access packages: a link that expires, and a one-time
// code sent in a second mail, of which a few wrong tries lock the link.
const (
	CodeDigits      = 6
	CodeTTL         = 15 * time.Minute
	MaxCodeAttempts = 5
	CodeResendAfter = time.Minute // at most one code a minute
)

// Package is an access package released to a person.
type Package struct {
	ID          int64
	RequestID   string
	Path        string // the ZIP file on disk, deleted at expiry
	Size        int64
	SHA256      string
	CreatedAt   time.Time
	CreatedBy   string
	ExpiresAt   time.Time
	Downloads   int
	CodeHash    string
	CodeExpires *time.Time
	CodeSentAt  *time.Time
	Attempts    int // wrong codes since the last code was sent
	Locked      bool
	DeletedAt   *time.Time
	Recipient   string // the address the link and codes go to when not the person's (a shop's)
}

// Errors of the download page.
var (
	ErrPackageLocked  = &Error{Code: EFORBIDDEN, Message: "too many wrong codes: the link is locked"}
	ErrPackageGone    = &Error{Code: ENOTFOUND, Message: "the package has expired and was deleted"}
	ErrCodeWrong      = &Error{Code: EUNAUTHORIZED, Message: "wrong or expired code"}
	ErrCodeTooSoon    = &Error{Code: ECONFLICT, Message: "a code was sent less than a minute ago"}
	ErrNothingToCheck = &Error{Code: ECONFLICT, Message: "ask for a code first"}
)

// NewCode draws a fresh one-time code and sets its hash and expiry on p.
func (p *Package) NewCode(now time.Time) (string, error) {
	if err := p.usable(now); err != nil {
		return "", err
	}
	if p.CodeSentAt != nil && now.Sub(*p.CodeSentAt) < CodeResendAfter {
		return "", ErrCodeTooSoon
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	exp := now.Add(CodeTTL)
	p.CodeHash, p.CodeExpires, p.CodeSentAt, p.Attempts = p.hash(code), &exp, &now, 0
	return code, nil
}

// CheckCode verifies a code typed by the person. A wrong code counts; too
// many lock the package. A right code is used up.
func (p *Package) CheckCode(code string, now time.Time) error {
	if err := p.usable(now); err != nil {
		return err
	}
	if p.CodeHash == "" || p.CodeExpires == nil {
		return ErrNothingToCheck
	}
	ok := subtle.ConstantTimeCompare([]byte(p.hash(code)), []byte(p.CodeHash)) == 1 && now.Before(*p.CodeExpires)
	if !ok {
		p.Attempts++
		if p.Attempts >= MaxCodeAttempts {
			p.Locked = true
			return ErrPackageLocked
		}
		return ErrCodeWrong
	}
	p.CodeHash, p.CodeExpires, p.Attempts = "", nil, 0
	p.Downloads++
	return nil
}

func (p *Package) usable(now time.Time) error {
	switch {
	case p.DeletedAt != nil || !now.Before(p.ExpiresAt):
		return ErrPackageGone
	case p.Locked:
		return ErrPackageLocked
	}
	return nil
}

// hash binds a code to its package, so that a code is worth nothing for
// another package.
func (p *Package) hash(code string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("dsar-package-%d:%s", p.ID, code)))
	return hex.EncodeToString(sum[:])
}
