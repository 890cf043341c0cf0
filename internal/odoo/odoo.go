// Package odoo is dsar's connector to Odoo's external API, on VRACOOP's
// own instance and on the client shops' instances: a client over XML-RPC
// (github.com/kolo/xmlrpc, with deadlines and retries of our own) or the
// JSON-2 API of Odoo 19 and later, behind one interface; typed errors that
// keep Odoo's message; and the knowledge of which models and fields an
// instance has, so that one version's missing field is skipped rather than
// fatal. Package odootest serves the same API for tests and demo mode.
package odoo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Protocols the client speaks.
const (
	ProtocolXMLRPC = "xmlrpc"
	ProtocolJSON2  = "json2"
)

// Config says how to reach one Odoo instance.
type Config struct {
	Name      string        // shown to staff: "VRACOOP", a shop's name
	URL       string        // e.g. https://odoo.vracoop.fr
	DB        string        // database name
	Login     string        // the integration user's login (XML-RPC)
	Password  string        // its password or API key (JSON-2: the API key)
	Protocol  string        // ProtocolXMLRPC (default) or ProtocolJSON2
	Timeout   time.Duration // deadline of one call (default 30s)
	Retries   int           // further attempts after a transient failure (default 3)
	RetryWait time.Duration // first backoff, doubled each time (default 500ms)

	// Observe, if set, is told of every attempt: how long it took and
	// how it failed (nil on success). It feeds the operators' metrics.
	Observe func(instance, method string, d time.Duration, err error)
}

// Client talks to one Odoo instance. It is safe for concurrent use.
type Client struct {
	cfg Config
	t   transport

	mu     sync.Mutex
	fields map[string]map[string]Field // model -> fields, from fields_get
	absent map[string]bool             // models known not to be installed
}

// transport is one wire protocol.
type transport interface {
	// version returns common.version's answer.
	version(ctx context.Context) (map[string]any, error)
	// login authenticates (XML-RPC) and returns the uid; JSON-2 has none.
	login(ctx context.Context) (int, error)
	// execute calls method on model, on the records ids (nil for a
	// model-level method), with the arguments pos and the named kwargs.
	execute(ctx context.Context, model, method string, ids []int, pos []Arg, kwargs map[string]any) (any, error)
}

// New returns a client for cfg. hc may be nil for a default client; its
// own timeout is not relied upon: every call carries a context deadline.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if cfg.URL == "" || cfg.DB == "" && cfg.Protocol != ProtocolJSON2 {
		return nil, fmt.Errorf("odoo %s: URL and database are required", cfg.Name)
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Retries == 0 {
		cfg.Retries = 3
	}
	if cfg.RetryWait == 0 {
		cfg.RetryWait = 500 * time.Millisecond
	}
	if hc == nil {
		hc = &http.Client{}
	}
	c := &Client{cfg: cfg, fields: map[string]map[string]Field{}, absent: map[string]bool{}}
	switch cfg.Protocol {
	case "", ProtocolXMLRPC:
		c.t = &xmlrpcTransport{cfg: cfg, hc: hc}
	case ProtocolJSON2:
		c.t = &json2Transport{cfg: cfg, hc: hc}
	default:
		return nil, fmt.Errorf("odoo %s: unknown protocol %q (xmlrpc or json2)", cfg.Name, cfg.Protocol)
	}
	return c, nil
}

// Name is the instance's name.
func (c *Client) Name() string { return c.cfg.Name }

// Version is what common.version says of the server.
type Version struct {
	Server   string // "17.0", "saas~17.2", "19.0"
	Major    int    // 17
	Protocol int
}

// ServerVersion asks the server its version.
func (c *Client) ServerVersion(ctx context.Context) (Version, error) {
	var v Version
	err := c.retry(ctx, "", "version", func(ctx context.Context) error {
		m, err := c.t.version(ctx)
		if err != nil {
			return err
		}
		v.Server, _ = m["server_version"].(string)
		if info, ok := m["server_version_info"].([]any); ok && len(info) > 0 {
			v.Major = asInt(info[0])
		}
		v.Protocol = asInt(m["protocol_version"])
		return nil
	})
	return v, err
}

// Arg is an argument that XML-RPC must pass by position and JSON-2 by
// name. Some methods need it: Odoo's call_kw reads create's values as
// args[0], and Odoo 16 names search_count's domain "args", not "domain".
type Arg struct {
	Name  string
	Value any
}

// UID authenticates and returns the integration user's id (0 over JSON-2,
// which authenticates each call with the API key).
func (c *Client) UID(ctx context.Context) (int, error) {
	var uid int
	err := c.retry(ctx, "", "authenticate", func(ctx context.Context) error {
		var err error
		uid, err = c.t.login(ctx)
		return err
	})
	return uid, err
}

// Models lists the models dsar searches, for operators' checks.
func Models() []string {
	var out []string
	for _, s := range directSpecs {
		out = append(out, s.Model)
	}
	for _, s := range linkedSpecs {
		out = append(out, s.Model)
	}
	return append(out, "mail.message")
}

// Execute calls a method with named arguments, with retries of transient
// failures. ids are the records a record-level method applies to (nil for
// model-level methods such as search_read or create).
func (c *Client) Execute(ctx context.Context, model, method string, ids []int, kwargs map[string]any) (any, error) {
	return c.ExecuteArgs(ctx, model, method, ids, nil, kwargs)
}

// ExecuteArgs is Execute with arguments that go by position over XML-RPC.
func (c *Client) ExecuteArgs(ctx context.Context, model, method string, ids []int, pos []Arg, kwargs map[string]any) (any, error) {
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	var out any
	err := c.retry(ctx, model, method, func(ctx context.Context) error {
		var err error
		out, err = c.t.execute(ctx, model, method, ids, pos, kwargs)
		return err
	})
	return out, err
}

// retry runs one call with its deadline, and again after a backoff while it
// fails transiently and ctx allows.
func (c *Client) retry(ctx context.Context, model, method string, call func(context.Context) error) error {
	wait := c.cfg.RetryWait
	for attempt := 0; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		start := time.Now()
		err := call(cctx)
		cancel()
		if c.cfg.Observe != nil {
			c.cfg.Observe(c.cfg.Name, method, time.Since(start), err)
		}
		if err == nil {
			return nil
		}
		var oe *Error
		if errors.As(err, &oe) {
			oe.Instance, oe.Model, oe.Method = c.cfg.Name, model, method
		} else {
			err = &Error{Kind: ErrUnavailable, Instance: c.cfg.Name, Model: model, Method: method, Err: err}
		}
		if !Retryable(err) || attempt >= c.cfg.Retries || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait *= 2
	}
}
