package dsar

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// TokenPurpose says what a token opens.
type TokenPurpose string

// The purposes of the tokens sent to people.
const (
	TokenConfirm TokenPurpose = "confirm" // single use: confirms the email address
	TokenStatus  TokenPurpose = "status"  // opens the status page of one request
)

// tokenBytes is the entropy of a token: 256 bits, well above the 128 the
// portal promises.
const tokenBytes = 32

// Token is a secret sent to a person. Only its Hash is stored.
type Token struct {
	Plain     string // sent in the link, never stored
	Hash      string
	RequestID string
	Purpose   TokenPurpose
	ExpiresAt time.Time
}

// NewToken returns a fresh random token for a request.
func NewToken(requestID string, purpose TokenPurpose, expires time.Time) (Token, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return Token{}, err
	}
	plain := base64.RawURLEncoding.EncodeToString(b)
	return Token{Plain: plain, Hash: HashToken(plain), RequestID: requestID, Purpose: purpose, ExpiresAt: expires}, nil
}

// HashToken returns the stored form of a token. A token has enough entropy
// that a plain SHA-256 is safe: there is nothing to brute-force.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// WellFormedToken reports whether s could be a token, so that garbage is
// rejected before it reaches the database.
func WellFormedToken(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	// The decoder skips CR and LF: check the alphabet first.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// Errors about a token a person followed. The web layer tells them apart to
// say the right thing, and says nothing else.
var (
	ErrTokenUnknown = &Error{Code: ENOTFOUND, Message: "This link is not valid."}
	ErrTokenExpired = &Error{Code: EUNAUTHORIZED, Message: "This link has expired."}
	ErrTokenUsed    = &Error{Code: ECONFLICT, Message: "This link was already used."}
)

// Check returns why a stored token cannot be used at now, or nil.
func (t Token) Check(purpose TokenPurpose, now time.Time, used bool) error {
	switch {
	case t.Purpose != purpose:
		return ErrTokenUnknown
	case !now.Before(t.ExpiresAt):
		return ErrTokenExpired
	case used:
		return ErrTokenUsed
	}
	return nil
}
