// Package seal encrypts the secrets dsar keeps for others (the API keys of
// the client shops' Odoo instances) with AES-256-GCM, so that a copy of the
// database alone does not give them away.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Key seals and opens secrets.
type Key struct{ aead cipher.AEAD }

// ParseKey reads a 32-byte key written in hex (64 characters) or base64.
func ParseKey(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	var raw []byte
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		raw = b
	} else if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		raw = b
	} else {
		return nil, errors.New("seal: the key must be 32 bytes, written in hex (64 characters) or base64")
	}
	return NewKey(raw)
}

// NewKey makes a Key from 32 raw bytes.
func NewKey(raw []byte) (*Key, error) {
	if len(raw) != 32 {
		return nil, errors.New("seal: the key must be 32 bytes")
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Key{aead: aead}, nil
}

// Seal encrypts plain, bound to label (e.g. "shop:7") so that a sealed value
// moved to another row does not open.
func (k *Key) Seal(plain, label string) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return k.aead.Seal(nonce, nonce, []byte(plain), []byte(label)), nil
}

// Open decrypts what Seal made with the same label.
func (k *Key) Open(sealed []byte, label string) (string, error) {
	n := k.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("seal: value too short")
	}
	plain, err := k.aead.Open(nil, sealed[:n], sealed[n:], []byte(label))
	if err != nil {
		return "", fmt.Errorf("seal: cannot open (wrong key, or tampered): %w", err)
	}
	return string(plain), nil
}
