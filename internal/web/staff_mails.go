package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
)

// Previewer renders every mail with made-up data.
type Previewer interface {
	Samples(lang string) ([]dsar.MailSample, error)
}

// mailsPage lets staff read every mail the portal sends, in either
// language.
type mailsPage struct {
	staffBase
	MailLang string
	Samples  []dsar.MailSample
	Current  *dsar.MailSample
}

func (s *Server) handleMailPreviews(c *gin.Context) {
	lang := c.DefaultQuery("mail_lang", "fr")
	if lang != "en" {
		lang = "fr"
	}
	samples, err := s.opt.Previewer.Samples(lang)
	if err != nil {
		s.fail(c, err, "mail samples")
		return
	}
	v := mailsPage{staffBase: s.staffBase(c), MailLang: lang, Samples: samples}
	for i := range samples {
		if samples[i].Name == c.Query("mail") {
			v.Current = &samples[i]
		}
	}
	if v.Current == nil && len(samples) > 0 {
		v.Current = &samples[0]
	}
	c.HTML(http.StatusOK, "staff_mails", v)
}

// handleMailPreviewHTML serves one sample's HTML part, framed by the
// preview page in a sandbox; mail HTML needs inline styles.
func (s *Server) handleMailPreviewHTML(c *gin.Context) {
	samples, err := s.opt.Previewer.Samples(c.DefaultQuery("mail_lang", "fr"))
	if err != nil {
		s.fail(c, err, "mail samples")
		return
	}
	for _, sm := range samples {
		if sm.Name == c.Param("name") {
			c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox")
			c.Header("X-Frame-Options", "SAMEORIGIN")
			c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(sm.Mail.HTML))
			return
		}
	}
	s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
}
