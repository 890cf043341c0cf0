package dsar

// Kind is a right a person exercises (GDPR Articles 15 to 21). A request
// may exercise several.
type Kind string

// The rights a request can exercise.
const (
	KindAccess        Kind = "access"        // Art. 15: a copy of my data
	KindErasure       Kind = "erasure"       // Art. 17
	KindRectification Kind = "rectification" // Art. 16
	KindRestriction   Kind = "restriction"   // Art. 18
	KindObjection     Kind = "objection"     // Art. 21
	KindPortability   Kind = "portability"   // Art. 20
)

// Kinds lists every right in the order forms show them.
var Kinds = []Kind{KindAccess, KindErasure, KindRectification, KindRestriction, KindObjection, KindPortability}

// Valid reports whether k is a known right.
func (k Kind) Valid() bool {
	for _, known := range Kinds {
		if k == known {
			return true
		}
	}
	return false
}

// HasKind reports whether kinds contains k.
func HasKind(kinds []Kind, k Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// KindsOfMask unpacks a KindMask, in the form's order.
func KindsOfMask(m int) []Kind {
	var out []Kind
	for i, k := range Kinds {
		if m&(1<<i) != 0 {
			out = append(out, k)
		}
	}
	return out
}

// KindMask packs kinds into a bit set (bit i for Kinds[i]), so that
// storage can filter on rights without a join.
func KindMask(kinds []Kind) int {
	m := 0
	for i, k := range Kinds {
		if HasKind(kinds, k) {
			m |= 1 << i
		}
	}
	return m
}
