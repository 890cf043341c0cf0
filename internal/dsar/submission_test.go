package dsar

import (
	"strings"
	"testing"
	"time"
)

func TestValidEmail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"jeanne@example.fr", true},
		{"jeanne.dupont+dsar@mail.example.co.uk", true},
		{"jeanne@", false},
		{"@example.fr", false},
		{"jeanne", false},
		{"jeanne@localhost", false},
		{"jeanne@example.", false},
		{"jeanne@.example.fr", false},
		{"Jeanne <jeanne@example.fr>", false},
		{"jeanne@example.fr\r\nBcc: x@y.fr", false},
		{"jeanne dupont@example.fr", false},
	}
	for _, tt := range tests {
		if got := ValidEmail(tt.in); got != tt.want {
			t.Errorf("ValidEmail(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestValidPhone(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"06 12 34 56 78", true},
		{"0612345678", true},
		{"+33 6 12 34 56 78", true},
		{"+33 (0)5.59.43.84.46", true},
		{"12345", false},
		{"06 12 34 56 78 ext", false},
		{"6+12345678", false},
		{"1234567890123456", false},
	}
	for _, tt := range tests {
		if got := ValidPhone(tt.in); got != tt.want {
			t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSubmissionNormalize(t *testing.T) {
	s := Submission{Name: "  Jeanne  ", Email: " Jeanne.Dupont@EXAMPLE.FR ", Relationship: RelCustomer,
		ShopName: "ignored", Kinds: []Kind{KindAccess}, RectifyWrong: "ignored"}
	s.Normalize()
	if s.Name != "Jeanne" || s.Email != "Jeanne.Dupont@example.fr" {
		t.Errorf("normalized = %q %q", s.Name, s.Email)
	}
	if s.ShopName != "" || s.RectifyWrong != "" {
		t.Errorf("fields that do not apply were kept: %+v", s)
	}
}

func TestSubmissionValidate(t *testing.T) {
	valid := Submission{Name: "Jeanne", Email: "jeanne@example.fr", Relationship: RelOther, Kinds: []Kind{KindAccess}}
	if p := valid.Validate(); len(p) != 0 {
		t.Fatalf("valid submission refused: %v", p)
	}
	tests := []struct {
		name   string
		change func(*Submission)
		field  string
		want   Problem
	}{
		{"no name", func(s *Submission) { s.Name = "" }, "name", ProblemRequired},
		{"name at the limit", func(s *Submission) { s.Name = strings.Repeat("é", MaxNameLen) }, "", ""},
		{"name over the limit", func(s *Submission) { s.Name = strings.Repeat("é", MaxNameLen+1) }, "name", ProblemTooLong},
		{"control character", func(s *Submission) { s.Details = "a\x00b" }, "details", ProblemControl},
		{"line breaks in details are fine", func(s *Submission) { s.Details = "a\r\nb\tc" }, "", ""},
		{"invalid UTF-8", func(s *Submission) { s.Details = "a\xffb" }, "details", ProblemControl},
		{"bidi override in a name", func(s *Submission) { s.Name = "Jean \u202eenaD" }, "name", ProblemControl},
		{"bidi isolate in details", func(s *Submission) { s.Details = "a\u2067b\u2069" }, "details", ProblemControl},
		{"a right-to-left name with its marks is fine", func(s *Submission) { s.Name = "\u200fيوسف بن علي" }, "", ""},
		{"bad email", func(s *Submission) { s.Email = "x" }, "email", ProblemEmail},
		{"bad phone", func(s *Submission) { s.Phone = "abc" }, "phone", ProblemPhone},
		{"unknown relationship", func(s *Submission) { s.Relationship = "boss" }, "relationship", ProblemChoice},
		{"loyalty needs a shop", func(s *Submission) { s.Relationship = RelLoyalty }, "shop_name", ProblemRequired},
		{"app user need not name a shop", func(s *Submission) { s.Relationship = RelAppUser }, "", ""},
		{"no kind", func(s *Submission) { s.Kinds = nil }, "kinds", ProblemRequired},
		{"unknown kind", func(s *Submission) { s.Kinds = []Kind{"x"} }, "kinds", ProblemChoice},
		{"rectification needs both texts", func(s *Submission) { s.Kinds = []Kind{KindRectification}; s.RectifyWrong = "x" }, "rectify_correct", ProblemRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid
			tt.change(&s)
			p := s.Validate()
			if tt.field == "" {
				if len(p) != 0 {
					t.Errorf("refused: %v", p)
				}
				return
			}
			if got := p[tt.field]; got != tt.want {
				t.Errorf("problem with %s = %q, want %q (all: %v)", tt.field, got, tt.want, p)
			}
		})
	}
}

func TestRequestLifecycle(t *testing.T) {
	now := time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC)
	r := NewRequest("id", Submission{Name: "J", Email: "j@example.fr", Kinds: []Kind{KindAccess}, Lang: "de"}, ChannelWeb, now)
	if r.Status != StatusAwaitingConfirmation || r.Lang != "fr" {
		t.Fatalf("new request: %s %s", r.Status, r.Lang)
	}
	ev, err := r.Confirm(now)
	if err != nil || ev.From != StatusAwaitingConfirmation || ev.To != StatusReceived || ev.Actor != ActorPerson {
		t.Fatalf("confirm: %+v %v", ev, err)
	}
	if got, want := r.Clock.Due(), NewDate(2026, 3, 2); got != want { // 28 Feb 2026 is a Saturday
		t.Errorf("due = %s, want %s", got, want)
	}
	if _, err := r.Confirm(now); ErrorCode(err) != ECONFLICT {
		t.Errorf("second confirm: %v", err)
	}
	if _, err := r.ExpireUnconfirmed(now); ErrorCode(err) != ECONFLICT {
		t.Errorf("a received request expired: %v", err)
	}
}

func TestStatusTransitions(t *testing.T) {
	for _, closed := range []Status{StatusNotConfirmed, StatusCompleted, StatusDenied} {
		if !closed.Closed() {
			t.Errorf("%s should be closed", closed)
		}
		for _, next := range []Status{StatusReceived, StatusInProgress, StatusCompleted} {
			if closed.CanMoveTo(next) {
				t.Errorf("closed %s may move to %s", closed, next)
			}
		}
	}
	if StatusAwaitingInfo.ClockRuns() || !StatusInProgress.ClockRuns() {
		t.Error("the clock must stop while waiting for the person, and run otherwise")
	}
}

func TestTokens(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, err := NewToken("r", TokenConfirm, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewToken("r", TokenConfirm, now.Add(time.Hour))
	if a.Plain == b.Plain || !WellFormedToken(a.Plain) || len(a.Plain) < 43 {
		t.Errorf("tokens %q %q", a.Plain, b.Plain)
	}
	if a.Hash == a.Plain || HashToken(a.Plain) != a.Hash {
		t.Error("hash")
	}
	for _, bad := range []string{"", "abc", strings.Repeat("*", 43), a.Plain + "A"} {
		if WellFormedToken(bad) {
			t.Errorf("WellFormedToken(%q)", bad)
		}
	}
	if err := a.Check(TokenConfirm, now, false); err != nil {
		t.Errorf("fresh token: %v", err)
	}
	if err := a.Check(TokenStatus, now, false); err != ErrTokenUnknown {
		t.Errorf("wrong purpose: %v", err)
	}
	if err := a.Check(TokenConfirm, now.Add(time.Hour), false); err != ErrTokenExpired {
		t.Errorf("expired: %v", err)
	}
	if err := a.Check(TokenConfirm, now, true); err != ErrTokenUsed {
		t.Errorf("used: %v", err)
	}
}
