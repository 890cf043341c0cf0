package dsar

import (
	"errors"
	"testing"
	"time"
)

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Camille Durand", "C****** D*****"},
		{"camille.durand@exemple.fr", "c***@e***.fr"},
		{"06 12 34 56 78", "06 ** ** ** 78"},
		{"+33 6 12 34 56 78", "+3* * ** ** ** 78"},
		{"12 rue Port-Neuf", "1* r** P********"},
		{"", ""},
		{"Élodie", "É*****"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlanLifecycle(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	p := Plan{State: PlanDraft, Steps: []Step{
		{N: 1, Kind: StepRectify, State: StepPending},
		{N: 2, Kind: StepManual, System: "paper_archive", State: StepPending},
		{N: 3, Kind: StepKeep, State: StepDone},
	}}
	if err := p.Approve("staff:a", now); !errors.Is(err, ErrRectifyEmpty) {
		t.Errorf("approved with an empty rectification: %v", err)
	}
	if err := p.SetRectification(1, "vat", "FR00"); ErrorCode(err) != EINVALID {
		t.Errorf("rectified a field not offered: %v", err)
	}
	if err := p.SetRectification(1, "city", "Biarritz"); err != nil {
		t.Fatal(err)
	}
	if err := p.TickManual(2, "fait", "staff:a", now); !errors.Is(err, ErrPlanState) {
		t.Errorf("ticked a draft: %v", err)
	}
	if err := p.Approve("staff:a", now); err != nil || p.State != PlanApproved {
		t.Fatalf("approve: %v", err)
	}
	if err := p.Approve("staff:a", now); !errors.Is(err, ErrPlanState) {
		t.Errorf("approved twice: %v", err)
	}
	if err := p.Blocking(); !errors.Is(err, ErrManualOpen) {
		t.Errorf("blocking with a manual task open: %v", err)
	}
	if err := p.TickManual(2, "  ", "staff:a", now); !errors.Is(err, ErrTextRequired) {
		t.Errorf("ticked without a note: %v", err)
	}
	if err := p.TickManual(2, "Classeur prospects 2024 vérifié : fiche détruite.", "staff:a", now); err != nil {
		t.Fatal(err)
	}
	if err := p.Blocking(); !errors.Is(err, ErrPlanPending) {
		t.Errorf("approved but not executed: %v", err)
	}
	p.State = PlanExecuted
	p.Steps[0].State = StepFailed
	if err := p.Blocking(); !errors.Is(err, ErrPlanPending) {
		t.Errorf("a failed step does not block: %v", err)
	}
	p.Steps[0].State = StepDone
	if err := p.Blocking(); err != nil {
		t.Errorf("done plan blocks: %v", err)
	}
}
