package dsar_test

import (
	"slices"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
)

// TestKindsOfMask: every set of rights survives packing into a mask and
// back, in the form's order, whatever order it was given in.
func TestKindsOfMask(t *testing.T) {
	for m := 0; m < 1<<len(dsar.Kinds); m++ {
		kinds := dsar.KindsOfMask(m)
		if got := dsar.KindMask(kinds); got != m {
			t.Errorf("mask %b: kinds %v pack to %b", m, kinds, got)
		}
		reversed := slices.Clone(kinds)
		slices.Reverse(reversed)
		if got := dsar.KindsOfMask(dsar.KindMask(reversed)); !slices.Equal(got, kinds) {
			t.Errorf("%v: back as %v, want %v", reversed, got, kinds)
		}
	}
	if got := dsar.KindsOfMask(dsar.KindMask([]dsar.Kind{dsar.KindPortability, dsar.KindAccess})); !slices.Equal(got, []dsar.Kind{dsar.KindAccess, dsar.KindPortability}) {
		t.Errorf("got %v", got)
	}
}
