package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/register"
)

// noticePage shows a notice generated from the register.
type noticePage struct {
	base
	Notice register.Notice
}

// handlePrivacy is the public privacy notice (GDPR Articles 13 and 14),
// written from the register in the person's language.
func (s *Server) handlePrivacy(c *gin.Context) {
	b := s.base(c)
	c.HTML(http.StatusOK, "privacy", noticePage{base: b, Notice: s.opt.Register.PrivacyNotice(string(b.Lang))})
}

// registerPage shows staff the register as loaded, and its problems.
type registerPage struct {
	staffBase
	Register *register.Register
	Findings []register.Finding
	Errors   int
}

func (s *Server) handleRegisterPage(c *gin.Context) {
	v := registerPage{staffBase: s.staffBase(c), Register: s.opt.Register, Findings: s.opt.Register.Check()}
	for _, f := range v.Findings {
		if f.Severity == register.SeverityError {
			v.Errors++
		}
	}
	c.HTML(http.StatusOK, "staff_register", v)
}
