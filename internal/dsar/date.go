package dsar

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Paris must load on machines without a zoneinfo database.
)

// paris is the zone in which the law's days are counted: a request belongs
// to the day it was made in France, whatever the server's own zone.
var paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("load location %s: %v", name, err))
	}
	return loc
}

// Date is a civil date (no time, no zone), as the law counts days.
//
// Dates built with NewDate, DateOf or ParseDate are normalised; comparisons
// assume it. The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalised as time.Date does: 30 February
// becomes 1 or 2 March, month 13 becomes January of the next year.
func NewDate(y int, m time.Month, d int) Date {
	return dateOfUTC(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the date of t in Europe/Paris. A request confirmed at 23:30
// Paris time on 31 March is dated 31 March although it is then 21:30 UTC.
func DateOf(t time.Time) Date {
	y, m, d := t.In(paris).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses a date written "2006-01-02". It returns an *Error with
// code EINVALID for anything else, including days that do not exist.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "%q is not a date of the form YYYY-MM-DD", s)
	}
	return dateOfUTC(t), nil
}

// dateOfUTC returns the date of t read in t's own location.
func dateOfUTC(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// utc returns midnight UTC at the start of d. UTC has no daylight saving
// time, so every day in it lasts exactly 24 hours, which keeps day
// arithmetic exact.
func (d Date) utc() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// String returns d written "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool {
	return d == Date{}
}

// AddDays returns the date n days after d (before d if n is negative).
func (d Date) AddDays(n int) Date {
	return NewDate(d.Year, d.Month, d.Day+n)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return d.utc().Weekday()
}

// Compare returns -1 if d is before o, +1 if d is after o, and 0 if they
// are the same date.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	default:
		return 0
	}
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Equal reports whether d and o are the same date.
func (d Date) Equal(o Date) bool { return d.Compare(o) == 0 }

// DaysUntil returns the number of days from d to o: 0 for the same date,
// negative if o is before d.
func (d Date) DaysUntil(o Date) int {
	const secondsPerDay = 24 * 60 * 60
	return int((o.utc().Unix() - d.utc().Unix()) / secondsPerDay)
}

// Time returns midnight at the start of d in Europe/Paris.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, paris)
}

// AddMonths returns the same day n months after d (before d if n is
// negative). When that month is too short, it returns the month's last day:
// 31 January plus one month is 28 or 29 February, plus three months 30 April.
// This is how Regulation 1182/71 counts a period expressed in months.
func AddMonths(d Date, n int) Date {
	first := time.Date(d.Year, d.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	y, m, _ := first.Date()
	return Date{Year: y, Month: m, Day: min(d.Day, daysIn(y, m))}
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	// Day 0 of the next month is the last day of this one.
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MarshalText writes d as "2006-01-02", and the zero Date as empty text so
// that "no date" survives a round trip.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads a date written "2006-01-02"; empty text gives the
// zero Date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// Paris returns the Europe/Paris zone, in which the law's days are counted
// and in which times are shown to people.
func Paris() *time.Location { return paris }
