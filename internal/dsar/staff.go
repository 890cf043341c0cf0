package dsar

import (
	"strings"
	"time"
	"unicode/utf8"
)

// StaffRole is what a staff member may do in the back office.
type StaffRole string

// Agents work requests; admins also manage staff accounts and settings.
const (
	StaffAgent StaffRole = "agent"
	StaffAdmin StaffRole = "admin"
)

// Valid reports whether r is a known staff role.
func (r StaffRole) Valid() bool { return r == StaffAgent || r == StaffAdmin }

// Staff is a VRACOOP employee who works requests in the back office.
type Staff struct {
	ID           int64
	Email        string
	Name         string
	Role         StaffRole
	Active       bool
	CreatedAt    time.Time
	FailedLogins int        // consecutive failures since the last success
	LockedUntil  *time.Time // set after too many failures
	LastLoginAt  *time.Time
}

// IsAdmin reports whether s may manage accounts.
func (s Staff) IsAdmin() bool { return s.Role == StaffAdmin }

// Actor is how s appears in histories and the audit log.
func (s Staff) Actor() string { return "staff:" + s.Email }

// Login throttling: after MaxFailedLogins consecutive failures an account is
// locked for LockoutDuration.
const (
	MaxFailedLogins = 5
	LockoutDuration = 15 * time.Minute
	MinPasswordLen  = 12
	MaxPasswordLen  = 256
)

// Locked reports whether s may not log in at now.
func (s Staff) Locked(now time.Time) bool {
	return s.LockedUntil != nil && now.Before(*s.LockedUntil)
}

// LoginFailed records a failed attempt and locks the account when there
// were too many.
func (s *Staff) LoginFailed(now time.Time) {
	s.FailedLogins++
	if s.FailedLogins >= MaxFailedLogins {
		until := now.Add(LockoutDuration)
		s.LockedUntil = &until
		s.FailedLogins = 0
	}
}

// LoginSucceeded clears the failures.
func (s *Staff) LoginSucceeded(now time.Time) {
	s.FailedLogins = 0
	s.LockedUntil = nil
	s.LastLoginAt = &now
}

// ValidateStaff checks a new account's fields and returns what is wrong.
func ValidateStaff(email, name string, role StaffRole, password string) Problems {
	p := Problems{}
	if p.line("email", strings.TrimSpace(email), true, MaxEmailLen) && !ValidEmail(strings.TrimSpace(email)) {
		p["email"] = ProblemEmail
	}
	p.line("name", strings.TrimSpace(name), true, MaxNameLen)
	if !role.Valid() {
		p["role"] = ProblemChoice
	}
	if problem := PasswordProblem(password); problem != "" {
		p["password"] = problem
	}
	return p
}

// ProblemTooShort says a password is shorter than MinPasswordLen.
const ProblemTooShort Problem = "too_short"

// PasswordProblem says what is wrong with a new password, or "".
func PasswordProblem(pw string) Problem {
	switch n := utf8.RuneCountInString(pw); {
	case n == 0:
		return ProblemRequired
	case n < MinPasswordLen:
		return ProblemTooShort
	case len(pw) > MaxPasswordLen:
		return ProblemTooLong
	}
	return ""
}
