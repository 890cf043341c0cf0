package dsar

import (
	"reflect"
	"testing"
	"time"
)

func TestMedianDaysToClose(t *testing.T) {
	tests := []struct {
		days []int
		want float64
		ok   bool
	}{
		{nil, 0, false},
		{[]int{30}, 30, true},
		{[]int{40, 10, 20}, 20, true},
		{[]int{40, 10, 20, 30}, 25, true},
	}
	for _, tt := range tests {
		got, ok := Dashboard{DaysToClose: tt.days}.MedianDaysToClose()
		if got != tt.want || ok != tt.ok {
			t.Errorf("median(%v) = %v %v, want %v %v", tt.days, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLastMonths(t *testing.T) {
	got := LastMonths(NewDate(2026, 2, 28), 4)
	if want := []string{"2025-11", "2025-12", "2026-01", "2026-02"}; !reflect.DeepEqual(got, want) {
		t.Errorf("LastMonths = %v, want %v", got, want)
	}
}

func TestDaysTaken(t *testing.T) {
	closed := time.Date(2026, 4, 30, 22, 30, 0, 0, time.UTC) // 1 May in Paris
	r := RequestRecord{ClockStart: NewDate(2026, 4, 1), ClosedAt: &closed}
	if d, ok := r.DaysTaken(); !ok || d != 30 {
		t.Errorf("DaysTaken = %d %v", d, ok)
	}
	if _, ok := (RequestRecord{ClockStart: NewDate(2026, 4, 1)}).DaysTaken(); ok {
		t.Error("an open request has no days taken")
	}
}
