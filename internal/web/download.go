package web

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// downloadPage is the page a person reaches from the package mail.
type downloadPage struct {
	base
	Ref      string
	Action   string
	CodeSent bool
	Expires  string
	Error    string
}

// openPackage finds the package a download link opens, or answers the
// page that says why it cannot.
func (s *Server) openPackage(c *gin.Context) (dsar.Package, dsar.Request, bool) {
	plain := c.Param("token")
	if !dsar.WellFormedToken(plain) {
		s.linkProblem(c, dsar.ErrTokenUnknown)
		return dsar.Package{}, dsar.Request{}, false
	}
	p, r, err := s.opt.Packages.PackageByToken(c.Request.Context(), dsar.HashToken(plain), s.opt.Now())
	if err != nil {
		s.linkProblem(c, err)
		return p, r, false
	}
	useRequestLang(c, r.Lang)
	return p, r, true
}

func (s *Server) downloadView(c *gin.Context, p dsar.Package, r dsar.Request) downloadPage {
	b := s.tokenBase(c)
	return downloadPage{base: b, Ref: r.Ref, Action: strings.TrimSuffix(c.Request.URL.Path, "/code"),
		CodeSent: p.CodeHash != "", Expires: i18n.FormatDate(b.Lang, dsar.DateOf(p.ExpiresAt))}
}

func (s *Server) handleDownloadPage(c *gin.Context) {
	p, r, ok := s.openPackage(c)
	if !ok {
		return
	}
	if status, key := packageProblem(p, s); key != "" {
		s.renderMessage(c, status, "download.title", key)
		return
	}
	c.HTML(http.StatusOK, "download", s.downloadView(c, p, r))
}

// packageProblem says why a package cannot be downloaded any more.
func packageProblem(p dsar.Package, s *Server) (int, string) {
	switch {
	case p.DeletedAt != nil || !s.opt.Now().Before(p.ExpiresAt):
		return http.StatusGone, "download.gone"
	case p.Locked:
		return http.StatusForbidden, "download.locked"
	}
	return 0, ""
}

// packageUnusable answers a package that expired or is locked, or fails
// with err when it is neither.
func (s *Server) packageUnusable(c *gin.Context, p dsar.Package, err error, what string) {
	status, key := packageProblem(p, s)
	if key == "" {
		s.fail(c, err, what)
		return
	}
	s.renderMessage(c, status, "download.title", key)
}

// postPackage opens the package a form was posted for and checks the
// form's CSRF token, answering the request itself when it cannot go on.
func (s *Server) postPackage(c *gin.Context) (dsar.Package, dsar.Request, downloadPage, bool) {
	p, r, ok := s.openPackage(c)
	if !ok {
		return p, r, downloadPage{}, false
	}
	v := s.downloadView(c, p, r)
	if !s.csrfValid(c) {
		v.Error = i18n.T(v.Lang, "err.csrf")
		c.HTML(http.StatusForbidden, "download", v)
		return p, r, v, false
	}
	return p, r, v, true
}

// handleDownloadCode mails a one-time code to the request's address.
func (s *Server) handleDownloadCode(c *gin.Context) {
	p, r, v, ok := s.postPackage(c)
	if !ok {
		return
	}
	now := s.opt.Now()
	code, err := p.NewCode(now)
	switch {
	case errors.Is(err, dsar.ErrCodeTooSoon):
		v.Error, v.CodeSent = i18n.T(v.Lang, "download.too_soon"), true
		c.HTML(http.StatusTooManyRequests, "download", v)
		return
	case err != nil:
		s.packageUnusable(c, p, err, "new code")
		return
	}
	m, err := s.opt.PackageMails.Code(r, code)
	if err != nil {
		s.fail(c, err, "code mail")
		return
	}
	if p.Recipient != "" {
		m.To = p.Recipient // the code goes where the link went
	}
	if err := s.opt.Packages.SavePackage(c.Request.Context(), p, &m, "one-time code sent", "", now); err != nil {
		s.fail(c, err, "save code")
		return
	}
	s.opt.Notify()
	v.CodeSent = true
	c.HTML(http.StatusOK, "download", v)
}

// handleDownload checks the code and streams the package file.
func (s *Server) handleDownload(c *gin.Context) {
	p, r, v, ok := s.postPackage(c)
	if !ok {
		return
	}
	now := s.opt.Now()
	err := p.CheckCode(strings.TrimSpace(c.PostForm("code")), now)
	var event, action string
	switch {
	case err == nil:
		event, action = fmt.Sprintf("downloaded (%d)", p.Downloads), "package_download"
	case errors.Is(err, dsar.ErrPackageLocked):
		event, action = "locked after too many wrong codes", "package_locked"
	case errors.Is(err, dsar.ErrCodeWrong):
		event = "wrong code"
	}
	if event != "" {
		if serr := s.opt.Packages.SavePackage(c.Request.Context(), p, nil, event, action, now); serr != nil {
			s.fail(c, serr, "save download")
			return
		}
	}
	switch {
	case errors.Is(err, dsar.ErrCodeWrong), errors.Is(err, dsar.ErrNothingToCheck):
		v.Error = i18n.T(v.Lang, "download.wrong", dsar.MaxCodeAttempts-p.Attempts)
		c.HTML(http.StatusUnauthorized, "download", v)
		return
	case err != nil:
		s.packageUnusable(c, p, err, "check code")
		return
	}
	f, err := os.Open(p.Path)
	if err != nil {
		s.fail(c, err, "open package")
		return
	}
	defer f.Close()
	s.opt.Logger.Info("Access package downloaded", "ref", r.Ref, "package_id", p.ID)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="vracoop-%s.zip"`, r.Ref))
	c.Header("Cache-Control", "no-store")
	c.DataFromReader(http.StatusOK, p.Size, "application/zip", f, nil)
}
