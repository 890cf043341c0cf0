package dsar

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// AuditEntry is one line of the append-only audit log: every staff action
// and system event. Each entry holds the hash of the previous one, so that
// changing or removing an entry breaks the chain from there on.
type AuditEntry struct {
	ID        int64
	At        time.Time
	Actor     string // "staff:<email>", ActorSystem, ActorPerson
	Action    string // e.g. "login", "login_failed", "user_add", "request_expired"
	RequestID string // empty when the action concerns no request
	Details   string // never a person's data: references, counts, reasons
	PrevHash  string
	Hash      string
}

// ComputeHash returns the hash of e chained after prev. Fields are joined
// with their lengths so that no two different entries hash alike.
func (e AuditEntry) ComputeHash(prev string) string {
	var b strings.Builder
	for _, f := range []string{prev, strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339Nano),
		e.Actor, e.Action, e.RequestID, e.Details} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// ChainBreak says where an audit chain stops being sound.
type ChainBreak struct {
	ID     int64  // the first entry that does not verify
	Reason string // what is wrong with it
}

// VerifyChain checks entries, in order, against each other, the first
// chained after the hash prev ("" at the start of the log); it returns nil
// when the chain is sound.
func VerifyChain(prev string, entries []AuditEntry) *ChainBreak {
	for i, e := range entries {
		switch {
		case e.PrevHash != prev:
			return &ChainBreak{e.ID, "previous hash does not match the entry before (an entry was removed or changed)"}
		case e.ComputeHash(prev) != e.Hash:
			return &ChainBreak{e.ID, "hash does not match the entry's content (the entry was changed)"}
		case i > 0 && e.ID <= entries[i-1].ID:
			return &ChainBreak{e.ID, "entries out of order"}
		}
		prev = e.Hash
	}
	return nil
}
