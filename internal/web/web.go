// Package web is dsar's HTTP face, built on Gin: the public request form,
// the confirmation and status pages reached through token links, and, when
// mail goes to files, the development mailbox. It owns routing, form
// parsing and validation messages, CSRF, rate limiting, security headers
// and page rendering; it speaks to storage and mail only through the small
// interfaces declared here.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/password"
	"github.com/vracoop/dsar/internal/register"
)

// Store is what the public pages need from storage.
type Store interface {
	CreateRequest(ctx context.Context, r *dsar.Request, confirm dsar.Token, render dsar.RenderMail) error
	ConfirmRequest(ctx context.Context, confirmHash string, status dsar.Token, now time.Time, render dsar.RenderMail) (dsar.Request, error)
	RequestByToken(ctx context.Context, hash string, purpose dsar.TokenPurpose, now time.Time) (dsar.Request, error)
}

// Mails renders the mails that the public pages cause.
type Mails interface {
	Confirmation(r dsar.Request, tok dsar.Token) (dsar.Mail, error)
	Acknowledgment(r dsar.Request, tok dsar.Token) (dsar.Mail, error)
}

// Mailbox lists the mails written to files when no SMTP server is set.
type Mailbox interface {
	Dir() string
	List() ([]StoredMail, error)
	Read(name string) (StoredMail, error)
}

// StoredMail is one mail of the development mailbox.
type StoredMail struct {
	Name    string
	Date    time.Time
	To      string
	Subject string
	Text    string
	HTML    string
}

// Options configure a Server. Zero values get safe defaults.
type Options struct {
	Store        Store
	Mails        Mails
	Mailbox      Mailbox // nil: no development mailbox
	Ops          *Ops    // HTTP metrics; nil: none
	OpsRoutes    bool    // serve Ops' /readyz and /metrics on this handler too
	Notify       func()  // wakes the outbox worker after a mail was stored
	Staff        StaffStore
	Reports      Reports
	Queue        Queue
	Requests     Requests
	Changer      Changer
	StaffMails   StaffMails
	Enterer      Enterer
	Plans        Plans
	Executor     Executor
	Previewer    Previewer
	Packages     Packages
	PackageMails PackageMails
	PackageDir   string        // where released packages are written
	PackageTTL   time.Duration // how long a download link lives (default 30 days)
	Shops        Shops
	ShopMails    ShopMails
	Sealer       Sealer
	API          API
	ForwardDays  int                // VRACOOP's contractual delay to forward a request to its shop, in working days (default 2)
	ShopLinkTTL  time.Duration      // how long a shop's link to its case lives (default 60 days)
	Instance     string             // the name of VRACOOP's own Odoo instance in lookups (default "VRACOOP")
	Register     *register.Register // routing and the notices to people (register.Default() when nil)
	Now          func() time.Time
	Logger       *slog.Logger

	BaseURL        string
	ConfirmTTL     time.Duration
	StatusTTL      time.Duration
	CSRFKey        []byte
	RateLimit      int // form posts per IP per hour; 0 disables
	RateBurst      int
	TrustedProxies []string
	SessionTTL     time.Duration   // absolute lifetime of a staff session (default 12h)
	SessionIdle    time.Duration   // a session unused this long ends (default 2h)
	PasswordParams password.Params // argon2id cost (default password.Default)
	HideNames      bool            // hide people's names in the queue
}

// Server serves dsar's pages.
type Server struct {
	opt          Options
	pages        *pages
	limiter      *ipLimiter // form posts
	loginLimiter *ipLimiter // staff login attempts
	secure       bool
	engine       *gin.Engine
}

// maxBodyBytes bounds a form post: the longest valid form is well under it.
const maxBodyBytes = 64 << 10

// New builds the server and parses every page template.
func New(opt Options) (*Server, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Notify == nil {
		opt.Notify = func() {}
	}
	if opt.Register == nil {
		opt.Register = register.Default()
	}
	if opt.ForwardDays == 0 {
		opt.ForwardDays = 2
	}
	if opt.ShopLinkTTL == 0 {
		opt.ShopLinkTTL = 60 * 24 * time.Hour
	}
	if opt.PackageTTL == 0 {
		opt.PackageTTL = 30 * 24 * time.Hour
	}
	if opt.Instance == "" {
		opt.Instance = "VRACOOP"
	}
	if opt.SessionTTL == 0 {
		opt.SessionTTL = 12 * time.Hour
	}
	if opt.SessionIdle == 0 {
		opt.SessionIdle = 2 * time.Hour
	}
	if opt.PasswordParams == (password.Params{}) {
		opt.PasswordParams = password.Default
	}
	if len(opt.CSRFKey) < 32 {
		return nil, fmt.Errorf("web: CSRF key must be at least 32 bytes")
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{opt: opt, pages: p, secure: strings.HasPrefix(opt.BaseURL, "https://")}
	if opt.RateLimit > 0 {
		s.limiter = newIPLimiter(opt.RateLimit, opt.RateBurst, opt.Now)
	}
	s.loginLimiter = newIPLimiter(loginPerIPPerHour, loginBurst, opt.Now)
	if s.engine, err = s.routes(); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

func (s *Server) routes() (*gin.Engine, error) {
	e := gin.New()
	e.HTMLRender = s.pages
	e.HandleMethodNotAllowed = true
	if err := e.SetTrustedProxies(s.opt.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: trusted proxies: %w", err)
	}
	// The metrics come first so that they see the 500 of a panic, and
	// the ops routes before any other, as gin applies middleware only to
	// the routes added after it.
	e.Use(s.opt.Ops.Middleware(), s.recoverer, s.logRequests, s.securityHeaders, s.language)
	if s.opt.OpsRoutes {
		s.opt.Ops.Register(e)
	}
	e.NoRoute(func(c *gin.Context) { s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found") })
	e.NoMethod(func(c *gin.Context) {
		s.renderMessage(c, http.StatusMethodNotAllowed, "site.error.title", "err.not_found")
	})

	e.GET("/static/*file", s.handleStatic)
	e.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	e.HEAD("/healthz", func(c *gin.Context) { c.Status(http.StatusOK) })

	e.GET("/", s.handleForm)
	e.HEAD("/", s.handleForm)
	e.POST("/", s.boundBody, s.handleSubmit)
	e.GET("/submitted", s.handleSubmitted)
	e.GET("/privacy", s.handlePrivacy)

	tokens := e.Group("/", s.tokenPage)
	tokens.GET("/c/:token", s.handleConfirmPage)
	tokens.POST("/c/:token", s.limitBody, s.handleConfirm)
	tokens.GET("/s/:token", s.handleStatus)
	if s.opt.Shops != nil {
		tokens.GET("/shop/:token", s.handleShopPage)
		tokens.POST("/shop/:token/:op", s.limitBody, s.handleShopAnswer)
	}
	tokens.GET("/d/:token", s.handleDownloadPage)
	tokens.POST("/d/:token/code", s.limitBody, s.handleDownloadCode)
	tokens.POST("/d/:token", s.limitBody, s.handleDownload)

	if s.opt.Staff != nil {
		e.GET("/staff/login", s.handleLoginPage)
		e.POST("/staff/login", s.limitBody, s.handleLogin)
		staff := e.Group("/staff", s.requireStaff)
		staff.GET("", s.handleStaffHome)
		staff.GET("/export.csv", s.handleExport)
		staff.GET("/requests", s.handleQueue)
		staff.GET("/requests/new", s.handleNewRequestPage)
		staff.POST("/requests/new", s.limitBody, s.handleEnterRequest)
		staff.GET("/requests/:ref", s.handleRequestPage)
		staff.POST("/requests/:ref/lookup", s.limitBody, s.handleLookup)
		staff.POST("/requests/:ref/forward", s.limitBody, s.handleForward)
		staff.POST("/plans/:ref/:op", s.limitBody, s.handlePlan)
		staff.GET("/package/:ref/preview.zip", s.handlePackagePreview)
		staff.POST("/package/:ref/confirm", s.limitBody, s.handlePackageConfirm)
		staff.POST("/package/:ref/release", s.limitBody, s.handlePackageRelease)
		staff.GET("/mails", s.handleMailPreviews)
		staff.GET("/mails/:name/html", s.handleMailPreviewHTML)
		staff.POST("/requests/:ref/:action", s.limitBody, s.handleRequestAction)
		staff.GET("/register", s.handleRegisterPage)
		staff.POST("/logout", s.limitBody, s.handleLogout)
		admin := staff.Group("/users", s.requireAdmin)
		admin.GET("", s.handleUsers)
		admin.POST("", s.limitBody, s.handleUserAdd)
		admin.POST("/:id/:action", s.limitBody, s.handleUserAction)
		shops := staff.Group("/shops", s.requireAdmin)
		shops.GET("", s.handleShops)
		shops.POST("", s.limitBody, s.handleShopAdd)
		shops.POST("/:id/:op", s.limitBody, s.handleShopActive)
	}

	if s.opt.API != nil {
		s.apiRoutes(e)
	}

	if s.opt.Mailbox != nil {
		e.GET("/dev/mail", s.handleMailbox)
		e.GET("/dev/mail/:name", s.handleMailboxMessage)
		e.GET("/dev/mail/:name/html", s.handleMailboxHTML)
	}
	return e, nil
}
