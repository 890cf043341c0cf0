package dsar

import (
	"testing"
	"time"
)

func TestDeadlineDue(t *testing.T) {
	// GDPR Art. 12(3) and Regulation 1182/71: the answer is due on the same
	// day one month after the start (three months when extended); when that
	// month has no such day, on its last day. Paused days are then added,
	// and a due date on a Saturday, Sunday or French public holiday moves to
	// the next working day. Weekdays were checked with date(1); Easter is
	// 5 April 2026 and 16 April 2028.
	tests := []struct {
		name     string
		deadline Deadline
		want     Date
	}{
		// Month ends.
		{"31 Jan, non-leap year: 28 Feb (Fri)", Deadline{Start: ymd(2025, time.January, 31)}, ymd(2025, time.February, 28)},
		{"31 Jan, leap year: 29 Feb (Thu)", Deadline{Start: ymd(2024, time.January, 31)}, ymd(2024, time.February, 29)},
		{"31 Jan 2028, leap year: 29 Feb (Tue)", Deadline{Start: ymd(2028, time.January, 31)}, ymd(2028, time.February, 29)},
		{"31 Jan 2026: 28 Feb is a Saturday, so Mon 2 Mar", Deadline{Start: ymd(2026, time.January, 31)}, ymd(2026, time.March, 2)},
		{"30 Mar: 30 Apr (Thu)", Deadline{Start: ymd(2026, time.March, 30)}, ymd(2026, time.April, 30)},
		{"31 Mar: 30 Apr (Thu)", Deadline{Start: ymd(2026, time.March, 31)}, ymd(2026, time.April, 30)},
		{"29 Feb 2028: 29 Mar (Wed)", Deadline{Start: ymd(2028, time.February, 29)}, ymd(2028, time.March, 29)},
		{"28 Feb 2025: 28 Mar (Fri)", Deadline{Start: ymd(2025, time.February, 28)}, ymd(2025, time.March, 28)},
		{"28 Feb 2026: 28 Mar is a Saturday, so Mon 30 Mar", Deadline{Start: ymd(2026, time.February, 28)}, ymd(2026, time.March, 30)},
		{"31 Aug: 30 Sep (Wed)", Deadline{Start: ymd(2026, time.August, 31)}, ymd(2026, time.September, 30)},
		{"31 Dec 2024: 31 Jan 2025 (Fri)", Deadline{Start: ymd(2024, time.December, 31)}, ymd(2025, time.January, 31)},
		{"31 Dec 2025: 31 Jan 2026 is a Saturday, so Mon 2 Feb", Deadline{Start: ymd(2025, time.December, 31)}, ymd(2026, time.February, 2)},
		{"1 Dec 2026: 1 Jan 2027 is a Friday holiday, so Mon 4 Jan", Deadline{Start: ymd(2026, time.December, 1)}, ymd(2027, time.January, 4)},

		// Public holidays on the due date.
		{"1 May 2025 (Thu): Fri 2 May", Deadline{Start: ymd(2025, time.April, 1)}, ymd(2025, time.May, 2)},
		{"1 May 2026 (Fri): Mon 4 May", Deadline{Start: ymd(2026, time.April, 1)}, ymd(2026, time.May, 4)},
		{"8 May 2025 (Thu): Fri 9 May", Deadline{Start: ymd(2025, time.April, 8)}, ymd(2025, time.May, 9)},
		{"14 Jul 2026 (Tue): Wed 15 Jul", Deadline{Start: ymd(2026, time.June, 14)}, ymd(2026, time.July, 15)},
		{"15 Aug 2025 (Fri): Mon 18 Aug", Deadline{Start: ymd(2025, time.July, 15)}, ymd(2025, time.August, 18)},
		{"1 Nov 2028 (Wed): Thu 2 Nov", Deadline{Start: ymd(2028, time.October, 1)}, ymd(2028, time.November, 2)},
		{"11 Nov 2025 (Tue): Wed 12 Nov", Deadline{Start: ymd(2025, time.October, 11)}, ymd(2025, time.November, 12)},
		{"25 Dec 2025 (Thu): Fri 26 Dec", Deadline{Start: ymd(2025, time.November, 25)}, ymd(2025, time.December, 26)},
		{"Easter Monday 6 Apr 2026: Tue 7 Apr", Deadline{Start: ymd(2026, time.March, 6)}, ymd(2026, time.April, 7)},
		{"Ascension Thursday 14 May 2026: Fri 15 May", Deadline{Start: ymd(2026, time.April, 14)}, ymd(2026, time.May, 15)},
		{"Ascension Thursday 25 May 2028: Fri 26 May", Deadline{Start: ymd(2028, time.April, 25)}, ymd(2028, time.May, 26)},
		{"Whit Monday 25 May 2026: Tue 26 May", Deadline{Start: ymd(2026, time.April, 25)}, ymd(2026, time.May, 26)},

		// Weekends.
		{"Saturday 11 Apr 2026: Mon 13 Apr", Deadline{Start: ymd(2026, time.March, 11)}, ymd(2026, time.April, 13)},
		{"Sunday 12 Apr 2026: Mon 13 Apr", Deadline{Start: ymd(2026, time.March, 12)}, ymd(2026, time.April, 13)},
		{"Saturday 4 Apr 2026 before Easter Monday: Tue 7 Apr", Deadline{Start: ymd(2026, time.March, 4)}, ymd(2026, time.April, 7)},
		{"Saturday 23 May 2026 before Whit Monday: Tue 26 May", Deadline{Start: ymd(2026, time.April, 23)}, ymd(2026, time.May, 26)},
		{"Sunday 30 Apr 2028 before 1 May on Monday: Tue 2 May", Deadline{Start: ymd(2028, time.March, 30)}, ymd(2028, time.May, 2)},

		// The extension: three months from Start, not two from the one-month date.
		{"extended from 31 Jan 2026: 30 Apr (Thu), not 28 Apr", Deadline{Start: ymd(2026, time.January, 31), Extended: true}, ymd(2026, time.April, 30)},
		{"extended from 31 Jan 2025: 30 Apr (Wed)", Deadline{Start: ymd(2025, time.January, 31), Extended: true}, ymd(2025, time.April, 30)},
		{"extended from 31 Jan 2028: 30 Apr is a Sunday, 1 May a holiday, so Tue 2 May", Deadline{Start: ymd(2028, time.January, 31), Extended: true}, ymd(2028, time.May, 2)},
		{"extended from 30 Nov 2025: 28 Feb 2026 is a Saturday, so Mon 2 Mar", Deadline{Start: ymd(2025, time.November, 30), Extended: true}, ymd(2026, time.March, 2)},
		{"extended from 10 Mar 2026: 10 Jun (Wed)", Deadline{Start: ymd(2026, time.March, 10), Extended: true}, ymd(2026, time.June, 10)},

		// Pauses: the paused days are added to the end date, then the result
		// moves to a working day.
		{"10 Mar 2026 paused 5 days: 10 Apr + 5 = Wed 15 Apr", Deadline{Start: ymd(2026, time.March, 10), PausedDays: 5}, ymd(2026, time.April, 15)},
		{"28 Feb 2026 paused 2 days: Sat 28 Mar + 2 = Mon 30 Mar, not Mon 30 Mar + 2", Deadline{Start: ymd(2026, time.February, 28), PausedDays: 2}, ymd(2026, time.March, 30)},
		{"2 Mar 2026 paused 2 days: Sat 4 Apr, then Easter Monday, so Tue 7 Apr", Deadline{Start: ymd(2026, time.March, 2), PausedDays: 2}, ymd(2026, time.April, 7)},
		{"29 Jan 2026 paused 3 days: 28 Feb + 3 = Tue 3 Mar, across the month end", Deadline{Start: ymd(2026, time.January, 29), PausedDays: 3}, ymd(2026, time.March, 3)},
		{"extended from 31 Jan 2026 and paused 10 days: 30 Apr + 10 = Sun 10 May, so Mon 11 May", Deadline{Start: ymd(2026, time.January, 31), Extended: true, PausedDays: 10}, ymd(2026, time.May, 11)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tt.deadline.Due(), tt.want; got != want {
				t.Errorf("Due() = %v (%v), want %v (%v)", got, got.Weekday(), want, want.Weekday())
			}
		})
	}
}

func TestDeadlineInitialDue(t *testing.T) {
	// InitialDue ignores the extension: it is the end of the first month.
	d := Deadline{Start: ymd(2026, time.January, 31), Extended: true, PausedDays: 2}
	// 28 Feb 2026 + 2 days = Mon 2 Mar.
	if got, want := d.InitialDue(), ymd(2026, time.March, 2); got != want {
		t.Errorf("InitialDue() = %v, want %v", got, want)
	}
}

func TestStartClock(t *testing.T) {
	// The clock starts on the Paris date of the instant, whatever its zone:
	// Paris is UTC+2 in summer time (from 29 March 2026) and UTC+1 in winter.
	tests := []struct {
		name      string
		at        time.Time
		wantStart Date
		wantDue   Date
	}{
		{"23:30 Paris on 31 Mar 2026, summer time", at("2026-03-31T21:30:00Z"), ymd(2026, time.March, 31), ymd(2026, time.April, 30)},
		{"00:30 Paris on 1 Apr 2026, summer time", at("2026-03-31T22:30:00Z"), ymd(2026, time.April, 1), ymd(2026, time.May, 4)},
		{"23:30 Paris on 27 Feb 2025, winter time", at("2025-02-27T22:30:00Z"), ymd(2025, time.February, 27), ymd(2025, time.March, 27)},
		{"00:30 Paris on 28 Feb 2025, winter time", at("2025-02-27T23:30:00Z"), ymd(2025, time.February, 28), ymd(2025, time.March, 28)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := StartClock(tt.at)
			if got, want := d, (Deadline{Start: tt.wantStart}); got != want {
				t.Errorf("StartClock(%v) = %+v, want %+v", tt.at, got, want)
			}
			if got, want := d.Due(), tt.wantDue; got != want {
				t.Errorf("Due() = %v, want %v", got, want)
			}
		})
	}
}

func TestDeadlineExtend(t *testing.T) {
	// The extension may be taken once, up to and including the initial due
	// day, judged on the Paris date of now.
	tests := []struct {
		name     string
		deadline Deadline
		now      time.Time
		wantCode string // "" when the extension is allowed
	}{
		{"during the first month", Deadline{Start: ymd(2026, time.March, 10)}, at("2026-03-20T10:00:00+01:00"), ""},
		{"on the initial due day, Fri 10 Apr 2026, late evening", Deadline{Start: ymd(2026, time.March, 10)}, at("2026-04-10T23:30:00+02:00"), ""},
		{"the day after the initial due day, just after midnight in Paris", Deadline{Start: ymd(2026, time.March, 10)}, at("2026-04-10T22:30:00Z"), EINVALID},
		{"on Sun 29 Mar 2026, before the initial due day moved from Sat 28 to Mon 30 Mar", Deadline{Start: ymd(2026, time.February, 28)}, at("2026-03-29T12:00:00+02:00"), ""},
		{"on Tue 31 Mar 2026, after the moved initial due day", Deadline{Start: ymd(2026, time.February, 28)}, at("2026-03-31T09:00:00+02:00"), EINVALID},
		{"within the first month lengthened by a pause (due 15 Apr 2026)", Deadline{Start: ymd(2026, time.March, 10), PausedDays: 5}, at("2026-04-14T09:00:00+02:00"), ""},
		{"a second time", Deadline{Start: ymd(2026, time.March, 10), Extended: true}, at("2026-03-20T10:00:00+01:00"), ECONFLICT},
		{"a second time after the first month", Deadline{Start: ymd(2026, time.March, 10), Extended: true}, at("2026-05-01T10:00:00+02:00"), ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.deadline.Extend(tt.now)
			if gotCode := ErrorCode(err); gotCode != tt.wantCode {
				t.Fatalf("error code = %q, want %q (err %v)", gotCode, tt.wantCode, err)
			}
			want := tt.deadline
			if tt.wantCode == "" {
				want.Extended = true
			}
			if got != want {
				t.Errorf("Extend() = %+v, want %+v", got, want)
			}
		})
	}
}

func TestDeadlineExtendMessages(t *testing.T) {
	d := Deadline{Start: ymd(2026, time.March, 10)}
	tests := []struct {
		name     string
		deadline Deadline
		want     string
	}{
		{"already extended", Deadline{Start: d.Start, Extended: true}, "the deadline was already extended"},
		{"first month over", d, "the deadline can only be extended during the first month"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.deadline.Extend(at("2026-06-01T10:00:00+02:00"))
			if got := ErrorMessage(err); got != tt.want {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPausedDaysBetween(t *testing.T) {
	// Paris calendar days from the date of from to the date of to; never
	// negative.
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"same day", at("2026-03-10T09:00:00+01:00"), at("2026-03-10T18:00:00+01:00"), 0},
		{"across a month end, 26 Feb to 2 Mar 2026", at("2026-02-26T10:00:00+01:00"), at("2026-03-02T09:00:00+01:00"), 4},
		{"across a leap month end, 27 Feb to 1 Mar 2028", at("2028-02-27T10:00:00+01:00"), at("2028-03-01T10:00:00+01:00"), 3},
		{"across the change to summer time", at("2026-03-28T12:00:00+01:00"), at("2026-03-30T12:00:00+02:00"), 2},
		{"across the change to winter time", at("2026-10-24T12:00:00+02:00"), at("2026-10-26T12:00:00+01:00"), 2},
		{"one hour across midnight in Paris", at("2026-03-31T23:30:00+02:00"), at("2026-04-01T00:30:00+02:00"), 1},
		{"same UTC date, different Paris dates", at("2026-03-31T21:00:00Z"), at("2026-03-31T22:30:00Z"), 1},
		{"end before start", at("2026-04-01T10:00:00+02:00"), at("2026-03-30T10:00:00+02:00"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PausedDaysBetween(tt.from, tt.to); got != tt.want {
				t.Errorf("PausedDaysBetween(%v, %v) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestDeadlinePause(t *testing.T) {
	d := Deadline{Start: ymd(2026, time.February, 20)}

	t.Run("one pause across a month end", func(t *testing.T) {
		got := d.Pause(at("2026-02-26T10:00:00+01:00"), at("2026-03-02T09:00:00+01:00"))
		if want := (Deadline{Start: d.Start, PausedDays: 4}); got != want {
			t.Errorf("Pause() = %+v, want %+v", got, want)
		}
		// 20 Mar 2026 + 4 days = Tue 24 Mar.
		if got, want := got.Due(), ymd(2026, time.March, 24); got != want {
			t.Errorf("Due() = %v, want %v", got, want)
		}
	})
	t.Run("two pauses add up", func(t *testing.T) {
		got := d.
			Pause(at("2026-02-26T10:00:00+01:00"), at("2026-03-02T09:00:00+01:00")).
			Pause(at("2026-03-05T10:00:00+01:00"), at("2026-03-07T10:00:00+01:00"))
		if want := (Deadline{Start: d.Start, PausedDays: 6}); got != want {
			t.Errorf("Pause() = %+v, want %+v", got, want)
		}
		// 20 Mar 2026 + 6 days = Thu 26 Mar.
		if got, want := got.Due(), ymd(2026, time.March, 26); got != want {
			t.Errorf("Due() = %v, want %v", got, want)
		}
	})
	t.Run("does not change the receiver", func(t *testing.T) {
		d.Pause(at("2026-02-26T10:00:00+01:00"), at("2026-03-02T09:00:00+01:00"))
		if got, want := d.PausedDays, 0; got != want {
			t.Errorf("PausedDays = %d, want %d", got, want)
		}
	})
}

func TestDeadlineDaysLeft(t *testing.T) {
	// The clock started on 10 Mar 2026 is due on Fri 10 Apr 2026: 0 days
	// left on that day, overdue from the first minute of 11 Apr in Paris.
	d := Deadline{Start: ymd(2026, time.March, 10)}
	tests := []struct {
		name        string
		now         time.Time
		wantLeft    int
		wantOverdue bool
	}{
		{"on the start day", at("2026-03-10T08:00:00+01:00"), 31, false},
		{"nine days before", at("2026-04-01T09:00:00+02:00"), 9, false},
		{"on the due day", at("2026-04-10T09:00:00+02:00"), 0, false},
		{"last minute of the due day", at("2026-04-10T23:59:00+02:00"), 0, false},
		{"just after midnight in Paris", at("2026-04-10T22:30:00Z"), -1, true},
		{"a month late", at("2026-05-10T12:00:00+02:00"), -30, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.DaysLeft(tt.now); got != tt.wantLeft {
				t.Errorf("DaysLeft(%v) = %d, want %d", tt.now, got, tt.wantLeft)
			}
			if got := d.Overdue(tt.now); got != tt.wantOverdue {
				t.Errorf("Overdue(%v) = %v, want %v", tt.now, got, tt.wantOverdue)
			}
		})
	}
}
