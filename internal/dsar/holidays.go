package dsar

import "time"

// Easter returns Easter Sunday of the given year in the Gregorian calendar,
// computed with the anonymous Gregorian (Meeus/Jones/Butcher) algorithm.
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{Year: year, Month: time.Month(month), Day: day}
}

// fixedHolidays are the French public holidays that fall on the same date
// every year.
var fixedHolidays = []struct {
	month time.Month
	day   int
}{
	{time.January, 1},   // New Year's Day
	{time.May, 1},       // Labour Day
	{time.May, 8},       // Victory in Europe Day
	{time.July, 14},     // Bastille Day
	{time.August, 15},   // Assumption
	{time.November, 1},  // All Saints' Day
	{time.November, 11}, // Armistice Day
	{time.December, 25}, // Christmas Day
}

// easterOffsets are the French public holidays that move with Easter, as
// days after Easter Sunday.
var easterOffsets = []int{
	1,  // Easter Monday
	39, // Ascension Thursday
	50, // Whit Monday
}

// IsPublicHoliday reports whether d is a public holiday in metropolitan
// France (Code du travail, art. L3133-1). The two extra days of
// Alsace-Moselle, Good Friday and 26 December, are not counted.
func IsPublicHoliday(d Date) bool {
	for _, h := range fixedHolidays {
		if d.Month == h.month && d.Day == h.day {
			return true
		}
	}
	easter := Easter(d.Year)
	for _, offset := range easterOffsets {
		if d.Equal(easter.AddDays(offset)) {
			return true
		}
	}
	return false
}

// IsWorkingDay reports whether d is neither a Saturday, a Sunday nor a
// public holiday.
func IsWorkingDay(d Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !IsPublicHoliday(d)
}

// NextWorkingDay returns d if it is a working day, otherwise the first
// working day after it. A period that would end on a Saturday, a Sunday or a
// public holiday ends on the next working day (Regulation 1182/71, art. 3(4)).
func NextWorkingDay(d Date) Date {
	for !IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}
