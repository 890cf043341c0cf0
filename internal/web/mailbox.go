package web

import (
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
)

// The development mailbox shows the mails written to files when no SMTP
// server is configured. It exists only in that mode, in which the service
// is meant to run on a developer's machine.

type mailboxPage struct {
	base
	Dir   string
	Mails []mailboxLine
}

type mailboxLine struct {
	Name, Date, To, Subject string
}

type mailboxMessagePage struct {
	base
	Name, Date, To, Subject, Text string
}

func (s *Server) handleMailbox(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	mails, err := s.opt.Mailbox.List()
	if err != nil {
		s.fail(c, err, "list mailbox")
		return
	}
	sort.Slice(mails, func(i, j int) bool { return mails[i].Name > mails[j].Name })
	v := mailboxPage{base: s.base(c), Dir: s.opt.Mailbox.Dir()}
	for _, m := range mails {
		v.Mails = append(v.Mails, mailboxLine{Name: m.Name, Date: m.Date.In(dsar.Paris()).Format("2006-01-02 15:04:05"),
			To: m.To, Subject: m.Subject})
	}
	c.HTML(http.StatusOK, "mailbox", v)
}

func (s *Server) readMail(c *gin.Context) (StoredMail, bool) {
	c.Header("Cache-Control", "no-store")
	m, err := s.opt.Mailbox.Read(c.Param("name"))
	if err != nil {
		s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
		return StoredMail{}, false
	}
	return m, true
}

func (s *Server) handleMailboxMessage(c *gin.Context) {
	m, ok := s.readMail(c)
	if !ok {
		return
	}
	c.HTML(http.StatusOK, "mailbox_message", mailboxMessagePage{base: s.base(c), Name: m.Name,
		Date: m.Date.In(dsar.Paris()).Format("2006-01-02 15:04:05"), To: m.To, Subject: m.Subject, Text: m.Text})
}

// handleMailboxHTML serves a mail's HTML part on its own, framed by the
// message page in a sandbox. Mail HTML needs inline styles, so this one
// response allows them, and nothing else.
func (s *Server) handleMailboxHTML(c *gin.Context) {
	m, ok := s.readMail(c)
	if !ok {
		return
	}
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox")
	c.Header("X-Frame-Options", "SAMEORIGIN")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(m.HTML))
}
