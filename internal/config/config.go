// Package config reads dsar's configuration from environment variables and
// validates it. Only cmd/dsar calls it: every other package receives plain
// values.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything the service can be told from outside.
type Config struct {
	Addr     string // DSAR_ADDR: listen address
	BaseURL  string // DSAR_BASE_URL: public URL used in links sent by mail
	DataDir  string // DSAR_DATA_DIR
	DBPath   string // DSAR_DB_PATH (default <DataDir>/dsar.db)
	MailDir  string // DSAR_MAIL_DIR (default <DataDir>/mail): used when no SMTP host is set
	LogLevel string // DSAR_LOG_LEVEL: debug, info, warn, error

	SMTPHost     string // DSAR_SMTP_HOST: empty means mail is written to MailDir
	SMTPPort     int    // DSAR_SMTP_PORT
	SMTPTLS      string // DSAR_SMTP_TLS: mandatory, opportunistic, tls, none
	SMTPUser     string // DSAR_SMTP_USER
	SMTPPassword string // DSAR_SMTP_PASSWORD
	MailFrom     string // DSAR_MAIL_FROM

	MailRetryMin time.Duration // DSAR_MAIL_RETRY_MIN: first delay after a temporary mail failure
	MailRetryMax time.Duration // DSAR_MAIL_RETRY_MAX: longest delay between attempts

	ConfirmTTL time.Duration // DSAR_CONFIRM_TTL: lifetime of the email confirmation link
	StatusTTL  time.Duration // DSAR_STATUS_TTL: lifetime of the status page link

	RateLimit int // DSAR_RATE_LIMIT: form submissions per IP per hour; 0 disables
	RateBurst int // DSAR_RATE_BURST

	TrustedProxies []string // DSAR_TRUSTED_PROXIES: comma-separated CIDRs whose X-Forwarded-For is believed

	HideNames bool // DSAR_QUEUE_HIDE_NAMES: hide people's names in the staff queue

	PackageTTL  time.Duration // DSAR_PACKAGE_TTL: how long the download link of an access package lives
	ForwardDays int           // DSAR_FORWARD_DAYS: working days VRACOOP has to forward a processor request to its shop
	SealKey     string        // DSAR_SEAL_KEY: 32 bytes in hex or base64, seals the shops' Odoo API keys
	KeepClosed  time.Duration // DSAR_KEEP_CLOSED: how long a closed request and its proof are kept before being reduced to a minimal record

	RegisterFile string // DSAR_REGISTER_FILE: a register of processing activities replacing the embedded one

	OdooURL      string        // DSAR_ODOO_URL: VRACOOP's Odoo; empty runs the Odoo test server in demo mode
	OdooDB       string        // DSAR_ODOO_DB
	OdooLogin    string        // DSAR_ODOO_LOGIN
	OdooPassword string        // DSAR_ODOO_PASSWORD: password or API key (JSON-2: the API key)
	OdooProtocol string        // DSAR_ODOO_PROTOCOL: xmlrpc or json2
	OdooTimeout  time.Duration // DSAR_ODOO_TIMEOUT: deadline of one call
	OdooDemoAddr string        // DSAR_ODOO_DEMO_ADDR: where the demo Odoo listens

	OpsAddr         string        // DSAR_OPS_ADDR: a separate listener for /readyz and /metrics; empty serves them on DSAR_ADDR
	ReadyMaxMailAge time.Duration // DSAR_READY_MAX_MAIL_AGE: /readyz fails when the oldest unsent mail is older
}

// Defaults returns the configuration of a fresh machine: everything under
// ./data, mail to files, listening on loopback.
func Defaults() Config {
	return Config{
		Addr:         "127.0.0.1:8080",
		BaseURL:      "http://127.0.0.1:8080",
		DataDir:      "data",
		LogLevel:     "info",
		SMTPPort:     587,
		SMTPTLS:      "mandatory",
		MailFrom:     "VRACOOP - Protection des données <dpo@vracoop.fr>",
		MailRetryMin: 30 * time.Second,
		MailRetryMax: time.Hour,
		ConfirmTTL:   7 * 24 * time.Hour,
		StatusTTL:    180 * 24 * time.Hour,
		RateLimit:    20,
		RateBurst:    5,
		OdooProtocol: "xmlrpc",
		OdooTimeout:  30 * time.Second,
		OdooDemoAddr: "127.0.0.1:0",
		KeepClosed:   5 * 365 * 24 * time.Hour,
		PackageTTL:   30 * 24 * time.Hour,
		ForwardDays:  2,

		ReadyMaxMailAge: 30 * time.Minute,
	}
}

// FromEnv reads the configuration from getenv (os.Getenv in production, a
// map in tests) over the defaults, and validates it.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Defaults()
	p := parser{getenv: getenv}
	p.str("DSAR_ADDR", &c.Addr)
	p.str("DSAR_BASE_URL", &c.BaseURL)
	p.str("DSAR_DATA_DIR", &c.DataDir)
	p.str("DSAR_DB_PATH", &c.DBPath)
	p.str("DSAR_MAIL_DIR", &c.MailDir)
	p.str("DSAR_LOG_LEVEL", &c.LogLevel)
	p.str("DSAR_SMTP_HOST", &c.SMTPHost)
	p.int("DSAR_SMTP_PORT", &c.SMTPPort)
	p.str("DSAR_SMTP_TLS", &c.SMTPTLS)
	p.str("DSAR_SMTP_USER", &c.SMTPUser)
	p.str("DSAR_SMTP_PASSWORD", &c.SMTPPassword)
	p.str("DSAR_MAIL_FROM", &c.MailFrom)
	p.duration("DSAR_MAIL_RETRY_MIN", &c.MailRetryMin)
	p.duration("DSAR_MAIL_RETRY_MAX", &c.MailRetryMax)
	p.duration("DSAR_CONFIRM_TTL", &c.ConfirmTTL)
	p.duration("DSAR_STATUS_TTL", &c.StatusTTL)
	p.int("DSAR_RATE_LIMIT", &c.RateLimit)
	p.int("DSAR_RATE_BURST", &c.RateBurst)
	p.list("DSAR_TRUSTED_PROXIES", &c.TrustedProxies)
	p.bool("DSAR_QUEUE_HIDE_NAMES", &c.HideNames)
	p.str("DSAR_REGISTER_FILE", &c.RegisterFile)
	p.duration("DSAR_KEEP_CLOSED", &c.KeepClosed)
	p.str("DSAR_SEAL_KEY", &c.SealKey)
	p.int("DSAR_FORWARD_DAYS", &c.ForwardDays)
	p.duration("DSAR_PACKAGE_TTL", &c.PackageTTL)
	p.str("DSAR_ODOO_URL", &c.OdooURL)
	p.str("DSAR_ODOO_DB", &c.OdooDB)
	p.str("DSAR_ODOO_LOGIN", &c.OdooLogin)
	p.str("DSAR_ODOO_PASSWORD", &c.OdooPassword)
	p.str("DSAR_ODOO_PROTOCOL", &c.OdooProtocol)
	p.duration("DSAR_ODOO_TIMEOUT", &c.OdooTimeout)
	p.str("DSAR_ODOO_DEMO_ADDR", &c.OdooDemoAddr)
	p.str("DSAR_OPS_ADDR", &c.OpsAddr)
	p.duration("DSAR_READY_MAX_MAIL_AGE", &c.ReadyMaxMailAge)
	if c.DBPath == "" {
		c.DBPath = filepath.Join(c.DataDir, "dsar.db")
	}
	if c.MailDir == "" {
		c.MailDir = filepath.Join(c.DataDir, "mail")
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if err := errors.Join(append(p.errs, c.Validate())...); err != nil {
		return Config{}, err
	}
	return c, nil
}

// OdooDemo reports whether no Odoo is configured, so that the service
// runs the Odoo test server with demo data.
func (c Config) OdooDemo() bool { return c.OdooURL == "" }

// MailToFiles reports whether mail is written to MailDir instead of sent.
func (c Config) MailToFiles() bool { return c.SMTPHost == "" }

// Validate reports every setting that cannot work.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("DSAR_BASE_URL must be an http(s) URL, got %q", c.BaseURL)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("DSAR_LOG_LEVEL must be debug, info, warn or error, got %q", c.LogLevel)
	}
	switch c.SMTPTLS {
	case "mandatory", "opportunistic", "tls", "none":
	default:
		bad("DSAR_SMTP_TLS must be mandatory, opportunistic, tls or none, got %q", c.SMTPTLS)
	}
	if c.SMTPPort < 1 || c.SMTPPort > 65535 {
		bad("DSAR_SMTP_PORT must be a port number, got %d", c.SMTPPort)
	}
	if c.SMTPPassword != "" && c.SMTPUser == "" {
		bad("DSAR_SMTP_PASSWORD is set but DSAR_SMTP_USER is not")
	}
	if c.MailFrom == "" {
		bad("DSAR_MAIL_FROM must not be empty")
	}
	if c.MailRetryMin <= 0 || c.MailRetryMax < c.MailRetryMin {
		bad("DSAR_MAIL_RETRY_MIN must be positive and no more than DSAR_MAIL_RETRY_MAX")
	}
	if c.ConfirmTTL < time.Hour {
		bad("DSAR_CONFIRM_TTL must be at least 1h, got %s", c.ConfirmTTL)
	}
	if c.StatusTTL < 24*time.Hour {
		bad("DSAR_STATUS_TTL must be at least 24h, got %s", c.StatusTTL)
	}
	if c.OdooProtocol != "xmlrpc" && c.OdooProtocol != "json2" {
		bad("DSAR_ODOO_PROTOCOL must be xmlrpc or json2, got %q", c.OdooProtocol)
	}
	if c.OdooURL != "" {
		if u, err := url.Parse(c.OdooURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("DSAR_ODOO_URL must be an http(s) URL, got %q", c.OdooURL)
		}
		if c.OdooPassword == "" || (c.OdooProtocol == "xmlrpc" && (c.OdooDB == "" || c.OdooLogin == "")) {
			bad("DSAR_ODOO_URL is set: DSAR_ODOO_PASSWORD, and for xmlrpc DSAR_ODOO_DB and DSAR_ODOO_LOGIN, are required")
		}
	}
	if c.ReadyMaxMailAge <= 0 {
		bad("DSAR_READY_MAX_MAIL_AGE must be positive, got %s", c.ReadyMaxMailAge)
	}
	if c.ForwardDays < 1 || c.ForwardDays > 30 {
		bad("DSAR_FORWARD_DAYS must be between 1 and 30, got %d", c.ForwardDays)
	}
	if c.PackageTTL < time.Hour {
		bad("DSAR_PACKAGE_TTL must be at least 1h, got %s", c.PackageTTL)
	}
	if c.KeepClosed < 24*time.Hour {
		bad("DSAR_KEEP_CLOSED must be at least 24h, got %s", c.KeepClosed)
	}
	if c.OdooTimeout < time.Second {
		bad("DSAR_ODOO_TIMEOUT must be at least 1s, got %s", c.OdooTimeout)
	}
	if c.RateLimit < 0 || c.RateBurst < 1 {
		bad("DSAR_RATE_LIMIT must be >= 0 and DSAR_RATE_BURST >= 1")
	}
	return errors.Join(errs...)
}

// parser reads typed values and collects every error instead of stopping at
// the first, so that one start tells the operator everything.
type parser struct {
	getenv func(string) string
	errs   []error
}

func (p *parser) str(name string, dst *string) {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		*dst = v
	}
}

func (p *parser) int(name string, dst *int) {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			p.errs = append(p.errs, fmt.Errorf("%s must be an integer, got %q", name, v))
			return
		}
		*dst = n
	}
}

func (p *parser) bool(name string, dst *bool) {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			p.errs = append(p.errs, fmt.Errorf("%s must be true or false, got %q", name, v))
			return
		}
		*dst = b
	}
}

func (p *parser) duration(name string, dst *time.Duration) {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			p.errs = append(p.errs, fmt.Errorf("%s must be a duration such as 168h, got %q", name, v))
			return
		}
		*dst = d
	}
}

func (p *parser) list(name string, dst *[]string) {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		var out []string
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		*dst = out
	}
}
