package dsar

import (
	"encoding/json"
	"testing"
	"time"
)

// ymd builds a Date literally, without going through the code under test.
func ymd(y int, m time.Month, d int) Date {
	return Date{Year: y, Month: m, Day: d}
}

// at parses an RFC 3339 instant written with its UTC offset, so that each
// test case says exactly which instant it means. CET is +01:00, CEST +02:00.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNewDate(t *testing.T) {
	// NewDate normalises out-of-range months and days as time.Date does.
	tests := []struct {
		name string
		y    int
		m    time.Month
		d    int
		want Date
	}{
		{"ordinary", 2026, time.March, 31, ymd(2026, time.March, 31)},
		{"29 February of a non-leap year", 2026, time.February, 29, ymd(2026, time.March, 1)},
		{"29 February of a leap year", 2028, time.February, 29, ymd(2028, time.February, 29)},
		{"month 13", 2026, 13, 1, ymd(2027, time.January, 1)},
		{"day 0", 2026, time.January, 0, ymd(2025, time.December, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := NewDate(tt.y, tt.m, tt.d), tt.want; got != want {
				t.Errorf("NewDate(%d, %d, %d) = %v, want %v", tt.y, tt.m, tt.d, got, want)
			}
		})
	}
}

func TestDateOf(t *testing.T) {
	// The date is the one on a wall calendar in Paris: UTC+1 in winter,
	// UTC+2 in summer (from the last Sunday of March to the last Sunday
	// of October).
	tests := []struct {
		name string
		at   time.Time
		want Date
	}{
		{"23:30 Paris summer time is still the same day", at("2026-03-31T21:30:00Z"), ymd(2026, time.March, 31)},
		{"00:30 Paris summer time is the next day", at("2026-03-31T22:30:00Z"), ymd(2026, time.April, 1)},
		{"23:30 Paris winter time is still the same day", at("2026-01-31T22:30:00Z"), ymd(2026, time.January, 31)},
		{"00:30 Paris winter time is the next day", at("2026-01-31T23:30:00Z"), ymd(2026, time.February, 1)},
		{"New Year in Paris before New Year in UTC", at("2026-12-31T23:00:00Z"), ymd(2027, time.January, 1)},
		{"night of the change to summer time", at("2026-03-29T00:30:00Z"), ymd(2026, time.March, 29)},
		{"night of the change to winter time", at("2026-10-24T22:30:00Z"), ymd(2026, time.October, 25)},
		{"instant given in another zone", at("2026-03-31T17:30:00-04:00"), ymd(2026, time.March, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := DateOf(tt.at), tt.want; got != want {
				t.Errorf("DateOf(%v) = %v, want %v", tt.at, got, want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	t.Run("valid", func(t *testing.T) {
		got, err := ParseDate("2028-02-29")
		if err != nil {
			t.Fatal(err)
		}
		if want := ymd(2028, time.February, 29); got != want {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	for _, s := range []string{"", "2026-02-29", "2026-13-01", "2026-2-3", "31/03/2026", "2026-03-31T00:00:00Z"} {
		t.Run("invalid "+s, func(t *testing.T) {
			_, err := ParseDate(s)
			if got, want := ErrorCode(err), EINVALID; got != want {
				t.Errorf("ParseDate(%q) error code = %q, want %q (err %v)", s, got, want, err)
			}
		})
	}
}

func TestDateString(t *testing.T) {
	tests := []struct {
		d    Date
		want string
	}{
		{ymd(2026, time.March, 1), "2026-03-01"},
		{ymd(2026, time.December, 31), "2026-12-31"},
		{ymd(999, time.January, 2), "0999-01-02"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.d.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDateIsZero(t *testing.T) {
	if got := (Date{}).IsZero(); !got {
		t.Errorf("Date{}.IsZero() = false, want true")
	}
	if got := ymd(2026, time.January, 1).IsZero(); got {
		t.Errorf("2026-01-01.IsZero() = true, want false")
	}
}

func TestDateAddDays(t *testing.T) {
	tests := []struct {
		name string
		d    Date
		n    int
		want Date
	}{
		{"zero", ymd(2026, time.March, 31), 0, ymd(2026, time.March, 31)},
		{"end of February, non-leap", ymd(2026, time.February, 28), 1, ymd(2026, time.March, 1)},
		{"end of February, leap", ymd(2028, time.February, 28), 1, ymd(2028, time.February, 29)},
		{"end of year", ymd(2026, time.December, 31), 1, ymd(2027, time.January, 1)},
		{"backwards over a month end", ymd(2026, time.March, 1), -1, ymd(2026, time.February, 28)},
		{"over the change to summer time", ymd(2026, time.March, 28), 2, ymd(2026, time.March, 30)},
		{"a year", ymd(2026, time.January, 1), 365, ymd(2027, time.January, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tt.d.AddDays(tt.n), tt.want; got != want {
				t.Errorf("%v.AddDays(%d) = %v, want %v", tt.d, tt.n, got, want)
			}
		})
	}
}

func TestDateWeekday(t *testing.T) {
	// Weekdays checked with date(1).
	tests := []struct {
		d    Date
		want time.Weekday
	}{
		{ymd(2026, time.January, 1), time.Thursday},
		{ymd(2026, time.February, 28), time.Saturday},
		{ymd(2028, time.February, 29), time.Tuesday},
		{ymd(2026, time.April, 5), time.Sunday},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			if got := tt.d.Weekday(); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDateCompare(t *testing.T) {
	tests := []struct {
		name                 string
		d, o                 Date
		before, after, equal bool
	}{
		{"same", ymd(2026, time.March, 31), ymd(2026, time.March, 31), false, false, true},
		{"day before", ymd(2026, time.March, 30), ymd(2026, time.March, 31), true, false, false},
		{"month after, smaller day", ymd(2026, time.April, 1), ymd(2026, time.March, 31), false, true, false},
		{"year before, larger month", ymd(2025, time.December, 31), ymd(2026, time.January, 1), true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Before(tt.o); got != tt.before {
				t.Errorf("%v.Before(%v) = %v, want %v", tt.d, tt.o, got, tt.before)
			}
			if got := tt.d.After(tt.o); got != tt.after {
				t.Errorf("%v.After(%v) = %v, want %v", tt.d, tt.o, got, tt.after)
			}
			if got := tt.d.Equal(tt.o); got != tt.equal {
				t.Errorf("%v.Equal(%v) = %v, want %v", tt.d, tt.o, got, tt.equal)
			}
		})
	}
}

func TestDateDaysUntil(t *testing.T) {
	tests := []struct {
		name string
		d, o Date
		want int
	}{
		{"same day", ymd(2026, time.March, 31), ymd(2026, time.March, 31), 0},
		{"over the change to summer time", ymd(2026, time.March, 28), ymd(2026, time.March, 30), 2},
		{"over the change to winter time", ymd(2026, time.October, 24), ymd(2026, time.October, 26), 2},
		{"non-leap year", ymd(2026, time.January, 1), ymd(2027, time.January, 1), 365},
		{"leap year", ymd(2028, time.January, 1), ymd(2029, time.January, 1), 366},
		{"backwards", ymd(2026, time.April, 10), ymd(2026, time.March, 10), -31},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.DaysUntil(tt.o); got != tt.want {
				t.Errorf("%v.DaysUntil(%v) = %d, want %d", tt.d, tt.o, got, tt.want)
			}
		})
	}
}

func TestDateTime(t *testing.T) {
	// Midnight in Paris is 23:00 UTC the day before in winter, 22:00 in summer.
	tests := []struct {
		d    Date
		want time.Time
	}{
		{ymd(2026, time.January, 15), at("2026-01-14T23:00:00Z")},
		{ymd(2026, time.March, 29), at("2026-03-28T23:00:00Z")}, // summer time starts at 02:00
		{ymd(2026, time.July, 1), at("2026-06-30T22:00:00Z")},
		{ymd(2026, time.October, 25), at("2026-10-24T22:00:00Z")}, // winter time starts at 03:00
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			got := tt.d.Time()
			if !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if got, want := got.Location().String(), "Europe/Paris"; got != want {
				t.Errorf("location = %q, want %q", got, want)
			}
		})
	}
}

func TestAddMonths(t *testing.T) {
	// Same day n months later; when that month has no such day, its last day.
	tests := []struct {
		name string
		d    Date
		n    int
		want Date
	}{
		{"zero months", ymd(2026, time.March, 31), 0, ymd(2026, time.March, 31)},
		{"31 January, non-leap year", ymd(2026, time.January, 31), 1, ymd(2026, time.February, 28)},
		{"31 January, leap year", ymd(2028, time.January, 31), 1, ymd(2028, time.February, 29)},
		{"31 January plus three months", ymd(2026, time.January, 31), 3, ymd(2026, time.April, 30)},
		{"31 March", ymd(2026, time.March, 31), 1, ymd(2026, time.April, 30)},
		{"into the next year", ymd(2026, time.November, 15), 2, ymd(2027, time.January, 15)},
		{"29 February plus a year", ymd(2028, time.February, 29), 12, ymd(2029, time.February, 28)},
		{"backwards to a short month", ymd(2026, time.March, 31), -1, ymd(2026, time.February, 28)},
		{"backwards a year", ymd(2026, time.December, 31), -12, ymd(2025, time.December, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := AddMonths(tt.d, tt.n), tt.want; got != want {
				t.Errorf("AddMonths(%v, %d) = %v, want %v", tt.d, tt.n, got, want)
			}
		})
	}
}

func TestDateText(t *testing.T) {
	type record struct {
		Due Date `json:"due"`
	}
	tests := []struct {
		name string
		d    Date
		json string
	}{
		{"date", ymd(2028, time.February, 29), `{"due":"2028-02-29"}`},
		{"zero date", Date{}, `{"due":""}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(record{Due: tt.d})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(b), tt.json; got != want {
				t.Errorf("marshal: got %s, want %s", got, want)
			}
			var r record
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatal(err)
			}
			if got, want := r.Due, tt.d; got != want {
				t.Errorf("unmarshal: got %v, want %v", got, want)
			}
		})
	}
	t.Run("invalid", func(t *testing.T) {
		var d Date
		err := d.UnmarshalText([]byte("2026-02-30"))
		if got, want := ErrorCode(err), EINVALID; got != want {
			t.Errorf("error code = %q, want %q (err %v)", got, want, err)
		}
	})
}

func TestEaster(t *testing.T) {
	// Easter Sundays from published calendars; 22 March and 25 April are the
	// earliest and latest possible dates.
	tests := []struct {
		year int
		want Date
	}{
		{1818, ymd(1818, time.March, 22)},
		{2000, ymd(2000, time.April, 23)},
		{2019, ymd(2019, time.April, 21)},
		{2024, ymd(2024, time.March, 31)},
		{2025, ymd(2025, time.April, 20)},
		{2026, ymd(2026, time.April, 5)},
		{2027, ymd(2027, time.March, 28)},
		{2028, ymd(2028, time.April, 16)},
		{2038, ymd(2038, time.April, 25)},
		{2285, ymd(2285, time.March, 22)},
	}
	for _, tt := range tests {
		t.Run(tt.want.String(), func(t *testing.T) {
			if got := Easter(tt.year); got != tt.want {
				t.Errorf("Easter(%d) = %v, want %v", tt.year, got, tt.want)
			}
		})
	}
}

func TestPublicHolidays2026(t *testing.T) {
	// The eleven public holidays of metropolitan France in 2026; Easter is
	// 5 April, so Ascension is 14 May and Whit Monday 25 May.
	want := []Date{
		ymd(2026, time.January, 1),
		ymd(2026, time.April, 6), // Easter Monday
		ymd(2026, time.May, 1),
		ymd(2026, time.May, 8),
		ymd(2026, time.May, 14), // Ascension Thursday
		ymd(2026, time.May, 25), // Whit Monday
		ymd(2026, time.July, 14),
		ymd(2026, time.August, 15),
		ymd(2026, time.November, 1),
		ymd(2026, time.November, 11),
		ymd(2026, time.December, 25),
	}
	var got []Date
	for d := ymd(2026, time.January, 1); d.Year == 2026; d = d.AddDays(1) {
		if IsPublicHoliday(d) {
			got = append(got, d)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d holidays %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("holiday %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		name string
		d    Date
		want bool
	}{
		{"Friday", ymd(2026, time.April, 3), true}, // Good Friday: only a holiday in Alsace-Moselle
		{"Saturday", ymd(2026, time.April, 4), false},
		{"Sunday", ymd(2026, time.April, 5), false},
		{"Easter Monday", ymd(2026, time.April, 6), false},
		{"Tuesday", ymd(2026, time.April, 7), true},
		{"Christmas on a Friday", ymd(2026, time.December, 25), false},
		{"26 December on a Friday", ymd(2025, time.December, 26), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsWorkingDay(tt.d); got != tt.want {
				t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestNextWorkingDay(t *testing.T) {
	tests := []struct {
		name string
		d    Date
		want Date
	}{
		{"working day itself", ymd(2026, time.April, 2), ymd(2026, time.April, 2)},
		{"Saturday before Easter Monday", ymd(2026, time.April, 4), ymd(2026, time.April, 7)},
		{"holiday on Friday", ymd(2026, time.May, 1), ymd(2026, time.May, 4)},
		{"1 January on Friday", ymd(2027, time.January, 1), ymd(2027, time.January, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextWorkingDay(tt.d); got != tt.want {
				t.Errorf("NextWorkingDay(%v) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}
