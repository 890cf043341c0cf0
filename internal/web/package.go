package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/access"
	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// Packages stores access packages and what staff confirmed for them.
type Packages interface {
	ReleasePackage(ctx context.Context, p *dsar.Package, tok dsar.Token, m dsar.Mail, now time.Time) error
	LatestPackage(ctx context.Context, requestID string) (dsar.Package, error)
	PackageByToken(ctx context.Context, hash string, now time.Time) (dsar.Package, dsar.Request, error)
	SavePackage(ctx context.Context, p dsar.Package, m *dsar.Mail, event, action string, now time.Time) error
	ConfirmFinding(ctx context.Context, requestID, finding, actor string, now time.Time) error
	ConfirmedFindings(ctx context.Context, requestID string) (map[string]bool, error)
}

// PackageMails renders the mails of the access package.
type PackageMails interface {
	PackageReady(r dsar.Request, tok dsar.Token) (dsar.Mail, error)
	Code(r dsar.Request, code string) (dsar.Mail, error)
}

// packageInput gathers what the package of a request is built from.
func (s *Server) packageInput(ctx context.Context, r dsar.Request) (access.Input, error) {
	l, err := s.opt.Requests.LatestLookup(ctx, r.ID)
	if dsar.ErrorCode(err) == dsar.ENOTFOUND {
		return access.Input{}, errNoLookup
	} else if err != nil {
		return access.Input{}, err
	}
	confirmed, err := s.opt.Packages.ConfirmedFindings(ctx, r.ID)
	if err != nil {
		return access.Input{}, err
	}
	var acts []string
	for _, route := range r.Routing {
		acts = append(acts, route.Activity)
	}
	lang, _ := i18n.Parse(r.Lang)
	in := access.Input{Request: r, Lookup: l, Notice: s.opt.Register.Article15(r.Lang, acts), Confirmed: confirmed,
		VerifiedEmails: []string{r.Email}, Now: s.opt.Now(), Portal: portalSections(lang, r)}
	if r.IdentityVerifiedAt != nil && r.Phone != "" {
		// Staff verified the identity by other means: the phone the
		// person gave is theirs.
		in.VerifiedPhones = []string{r.Phone}
	}
	return in, nil
}

// portalSections is what the portal itself holds about the person.
func portalSections(lang i18n.Lang, r dsar.Request) []access.Section {
	row := func(key, v string) access.Row { return access.Row{Label: i18n.T(lang, key), Value: v} }
	rows := []access.Row{row("status.ref", r.Ref), row("form.name", r.Name), row("form.email", r.Email)}
	for _, x := range []struct{ key, v string }{{"form.phone", r.Phone}, {"form.shop_name", r.ShopName}, {"form.shop_town", r.ShopTown},
		{"form.rectify_wrong", r.RectifyWrong}, {"form.rectify_correct", r.RectifyCorrect}, {"form.details", r.Details}} {
		if x.v != "" {
			rows = append(rows, row(x.key, x.v))
		}
	}
	rows = append(rows, row("status.received", i18n.FormatDate(lang, dsar.DateOf(r.ReceivedAt))))
	return []access.Section{{Title: i18n.T(lang, "package.portal"), Rows: rows}}
}

// handlePackagePreview streams the package staff are about to release,
// built on the fly and stored nowhere.
func (s *Server) handlePackagePreview(c *gin.Context) {
	ctx := c.Request.Context()
	r, ok := s.requestForStaff(c)
	if !ok {
		return
	}
	in, err := s.packageInput(ctx, r)
	if err != nil {
		s.renderRequest(c, http.StatusUnprocessableEntity, "", "", planError(langOf(c), err))
		return
	}
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="apercu-%s.zip"`, r.Ref))
	c.Header("Cache-Control", "no-store")
	if _, err := access.Write(c.Writer, in); err != nil {
		s.opt.Logger.Error("Package preview failed", "ref", r.Ref, "error", err)
	}
}

// handlePackageConfirm records that a record matched only by phone or name
// is the person's, so that it goes into the package.
func (s *Server) handlePackageConfirm(c *gin.Context) {
	r, ok := s.postedRequest(c)
	if !ok {
		return
	}
	key := c.PostForm("finding")
	l, err := s.opt.Requests.LatestLookup(c.Request.Context(), r.ID)
	found := false
	for _, f := range l.Findings {
		found = found || access.Key(f) == key
	}
	if err != nil || !found {
		s.renderRequest(c, http.StatusUnprocessableEntity, "", "", i18n.T(langOf(c), "plan.err.step"))
		return
	}
	if err := s.opt.Packages.ConfirmFinding(c.Request.Context(), r.ID, key, currentStaff(c).Actor(), s.opt.Now()); err != nil {
		s.fail(c, err, "confirm finding")
		return
	}
	c.Redirect(http.StatusSeeOther, "/staff/requests/"+r.Ref+"?done=package_confirm")
}

// handlePackageRelease writes the package to disk and mails the person a
// link to it; the code that opens the link comes in a second mail, on
// demand.
func (s *Server) handlePackageRelease(c *gin.Context) {
	lang := langOf(c)
	r, ok := s.postedRequest(c)
	if !ok {
		return
	}
	ctx, me, now := c.Request.Context(), currentStaff(c), s.opt.Now()
	if r.Status.Closed() || r.Status == dsar.StatusAwaitingConfirmation || r.Email == "" {
		s.renderRequest(c, http.StatusUnprocessableEntity, "", "", i18n.T(lang, "action.err.closed"))
		return
	}
	in, err := s.packageInput(ctx, r)
	if err != nil {
		s.renderRequest(c, http.StatusUnprocessableEntity, "", "", planError(lang, err))
		return
	}
	p, err := s.writePackage(in, r)
	if err != nil {
		s.fail(c, err, "write package")
		return
	}
	p.CreatedAt, p.CreatedBy, p.ExpiresAt = now, me.Actor(), now.Add(s.opt.PackageTTL)
	if shop, cs, ok := s.instructedShop(ctx, r); ok && cs.Instruction == dsar.InstructAccess && cs.DeliverTo == "shop" {
		p.Recipient = shop.PrivacyEmail // the shop asked for the package itself
	}
	tok, err := dsar.NewToken(r.ID, dsar.TokenDownload, p.ExpiresAt)
	if err != nil {
		s.fail(c, err, "download token")
		return
	}
	m, err := s.opt.PackageMails.PackageReady(r, tok)
	if err != nil {
		s.fail(c, err, "package mail")
		return
	}
	if p.Recipient != "" {
		m.To = p.Recipient
	}
	if err := s.opt.Packages.ReleasePackage(ctx, &p, tok, m, now); err != nil {
		os.Remove(p.Path)
		s.fail(c, err, "release package")
		return
	}
	s.opt.Notify()
	s.opt.Logger.Info("Access package released", "ref", r.Ref, "package_id", p.ID, "bytes", p.Size)
	c.Redirect(http.StatusSeeOther, "/staff/requests/"+r.Ref+"?done=package_release")
}

// writePackage streams the package to a new file in the package folder,
// hashing it on the way, and makes it durable before it is announced.
func (s *Server) writePackage(in access.Input, r dsar.Request) (dsar.Package, error) {
	if err := os.MkdirAll(s.opt.PackageDir, 0o700); err != nil {
		return dsar.Package{}, err
	}
	final := filepath.Join(s.opt.PackageDir, uuid.NewString()+".zip")
	f, err := os.CreateTemp(s.opt.PackageDir, ".package-*")
	if err != nil {
		return dsar.Package{}, err
	}
	defer os.Remove(f.Name())
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	if _, err := access.Write(cw, in); err != nil {
		f.Close()
		return dsar.Package{}, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return dsar.Package{}, err
	}
	if err := f.Close(); err != nil {
		return dsar.Package{}, err
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return dsar.Package{}, err
	}
	return dsar.Package{RequestID: r.ID, Path: final, Size: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// requestForStaff finds the request of the URL, or answers 404.
func (s *Server) requestForStaff(c *gin.Context) (dsar.Request, bool) {
	r, err := s.opt.Requests.FindRequestByRef(c.Request.Context(), c.Param("ref"))
	if dsar.ErrorCode(err) == dsar.ENOTFOUND {
		s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
		return r, false
	} else if err != nil {
		s.fail(c, err, "find request")
		return r, false
	}
	return r, true
}

// postedRequest checks a staff form's CSRF token and finds the request it
// was posted on, answering the request itself when it cannot go on.
func (s *Server) postedRequest(c *gin.Context) (dsar.Request, bool) {
	if !s.csrfValid(c) {
		s.renderRequest(c, http.StatusForbidden, "", "", i18n.T(langOf(c), "err.csrf"))
		return dsar.Request{}, false
	}
	return s.requestForStaff(c)
}
