package dsar

import "time"

// Deadline is the legal clock of one request. Under GDPR Art. 12(3) the
// controller answers within one month of receipt, a period it may extend
// once by two further months. Days are counted in Europe/Paris.
type Deadline struct {
	Start      Date // the day the clock started (Paris date of confirmation or receipt)
	Extended   bool // the one extension of two further months was taken
	PausedDays int  // calendar days the clock was paused waiting for the person's information (sum of completed pauses)
}

// StartClock returns the deadline of a request confirmed or received at at.
func StartClock(at time.Time) Deadline {
	return Deadline{Start: DateOf(at)}
}

// InitialDue returns the day the answer is due without the extension: one
// month after Start, plus the paused days, moved to the next working day.
func (d Deadline) InitialDue() Date {
	return d.dueAfter(1)
}

// Due returns the day the answer is due: InitialDue, or three months after
// Start when the deadline was extended. The three months are counted from
// Start, not from the one-month date, so 31 January gives 30 April, not
// 28 April.
func (d Deadline) Due() Date {
	if d.Extended {
		return d.dueAfter(3)
	}
	return d.dueAfter(1)
}

// dueAfter returns the due day of a period of months after Start. The paused
// days are added before the move to a working day, so that a pause never
// ends the period on a weekend or holiday.
func (d Deadline) dueAfter(months int) Date {
	return NextWorkingDay(AddMonths(d.Start, months).AddDays(d.PausedDays))
}

// Extend returns d with the extension taken at now. The extension may be
// taken once, and only while the first month runs: up to and including
// InitialDue. Otherwise it returns an *Error with code ECONFLICT (already
// extended) or EINVALID (first month over).
func (d Deadline) Extend(now time.Time) (Deadline, error) {
	if d.Extended {
		return d, ErrAlreadyExtended
	}
	if DateOf(now).After(d.InitialDue()) {
		return d, ErrExtensionTooLate
	}
	d.Extended = true
	return d, nil
}

// Pause returns d with the clock paused from from to to, as when the
// controller waits for information from the person.
func (d Deadline) Pause(from, to time.Time) Deadline {
	d.PausedDays += PausedDaysBetween(from, to)
	return d
}

// PausedDaysBetween returns the number of Paris calendar days from the date
// of from to the date of to, or 0 if to is before from.
func PausedDaysBetween(from, to time.Time) int {
	return max(0, DateOf(from).DaysUntil(DateOf(to)))
}

// DaysLeft returns the number of days from the Paris date of now to Due:
// 0 on the due day itself, negative once the deadline has passed.
func (d Deadline) DaysLeft(now time.Time) int {
	return DateOf(now).DaysUntil(d.Due())
}

// Overdue reports whether the due day is over at now.
func (d Deadline) Overdue(now time.Time) bool {
	return d.DaysLeft(now) < 0
}
