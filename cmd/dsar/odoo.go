package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/vracoop/dsar/internal/config"
	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/odoo/odootest"
	"github.com/vracoop/dsar/internal/seal"
	"github.com/vracoop/dsar/internal/sqlite"
)

// vracoopInstance is the name staff see for VRACOOP's own Odoo; plans act
// as controller on its findings only.
const vracoopInstance = "VRACOOP"

// demoShops are the client shops of the demo mode, each with its own Odoo
// test server.
var demoShops = []struct{ name, db, town, email, manager string }{
	{odootest.ShopVracEtCo, "vracetco", "Bayonne", "mathieu.larralde@example.fr", "Mathieu Larralde"},
	{odootest.ShopLaCagette, "lacagette", "Biarritz", "julien.etcheverry@example.fr", "Julien Etcheverry"},
}

// startDemoShops runs the demo shops' Odoo test servers and registers the
// shops (or points them at the new servers), their search allowed.
func startDemoShops(ctx context.Context, cfg config.Config, db *sqlite.DB, sealer *seal.Key, logger *slog.Logger) (stop func(), err error) {
	var servers []*http.Server
	stop = func() {
		for _, s := range servers {
			s.Close()
		}
	}
	// On the demo Odoo's host, on ports of their own: DSAR_ODOO_DEMO_ADDR
	// may name a fixed port, which the demo Odoo has taken.
	host, _, err := net.SplitHostPort(cfg.OdooDemoAddr)
	if err != nil {
		return nil, fmt.Errorf("demo shops: %w", err)
	}
	for _, d := range demoShops {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			stop()
			return nil, err
		}
		srv := &http.Server{Handler: odootest.New(odootest.Options{Version: 17, DB: d.db, Data: odootest.DemoShop(d.name)}).Handler(),
			ReadHeaderTimeout: 5 * time.Second}
		servers = append(servers, srv)
		go srv.Serve(ln)
		s := dsar.Shop{Name: d.name, LegalEntity: d.name + " SARL", Town: d.town, PrivacyEmail: d.email, Lang: "fr",
			ContractStart: dsar.NewDate(2023, 1, 1), OdooURL: "http://" + ln.Addr().String(), OdooDB: d.db,
			OdooLogin: odootest.DefaultLogin, OdooProtocol: odoo.ProtocolXMLRPC, SearchAllowed: true, CreatedAt: time.Now()}
		if err := db.EnsureShop(ctx, &s, odootest.DefaultAPIKey, sealer.Seal, "demo"); err != nil {
			stop()
			return nil, err
		}
	}
	logger.Warn("Demo mode: two client shops with their own Odoo test servers", "shops", []string{demoShops[0].name, demoShops[1].name})
	return stop, nil
}

// odooObserver is told of each Odoo call, for the metrics; nil: nobody.
type odooObserver = func(instance, method string, d time.Duration, err error)

// odooClients returns the clients of the Odoo instances to search. With no
// Odoo configured it starts the Odoo test server with demo data on
// loopback, so that a fresh machine has something to search; stop shuts it
// down.
func odooClients(cfg config.Config, logger *slog.Logger, observe odooObserver) (clients []*odoo.Client, stop func(), err error) {
	c := odoo.Config{Name: vracoopInstance, URL: cfg.OdooURL, DB: cfg.OdooDB, Login: cfg.OdooLogin,
		Password: cfg.OdooPassword, Protocol: cfg.OdooProtocol, Timeout: cfg.OdooTimeout, Observe: observe}
	stop = func() {}
	if cfg.OdooDemo() {
		ln, err := net.Listen("tcp", cfg.OdooDemoAddr)
		if err != nil {
			return nil, nil, fmt.Errorf("demo Odoo: listen on %s: %w", cfg.OdooDemoAddr, err)
		}
		srv := &http.Server{Handler: odootest.New(odootest.Options{Version: 17, Data: odootest.DemoVRACOOP()}).Handler(),
			ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		stop = func() { srv.Close() }
		c.URL, c.DB = "http://"+ln.Addr().String(), "vracoop"
		c.Login, c.Password, c.Protocol = odootest.DefaultLogin, odootest.DefaultAPIKey, odoo.ProtocolXMLRPC
		logger.Warn("No Odoo configured: the Odoo test server runs in demo mode with demo data", "url", c.URL)
	}
	client, err := odoo.New(c, &http.Client{})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return []*odoo.Client{client}, stop, nil
}

// odooCommand runs "dsar odoo check" and "dsar odoo lookup".
func odooCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: dsar odoo check | dsar odoo lookup --email E [--phone P] [--name N]")
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	clients, stop, err := odooClients(cfg, logger, nil)
	if err != nil {
		return err
	}
	defer stop()
	switch args[0] {
	case "check":
		return odooCheck(ctx, clients, stdout)
	case "lookup":
		return odooLookup(ctx, clients, args[1:], stdout)
	}
	return fmt.Errorf("unknown odoo command %q", args[0])
}

// odooCheck prints each instance's version, the integration user's uid,
// and which of the models dsar searches are installed.
func odooCheck(ctx context.Context, clients []*odoo.Client, w io.Writer) error {
	for _, c := range clients {
		v, err := c.ServerVersion(ctx)
		if err != nil {
			return fmt.Errorf("%s: cannot reach Odoo: %w", c.Name(), err)
		}
		uid, err := c.UID(ctx)
		if err != nil {
			return fmt.Errorf("%s: Odoo %s refused the login: %w", c.Name(), v.Server, err)
		}
		fmt.Fprintf(w, "%s: Odoo %s, uid %d\n", c.Name(), v.Server, uid)
		for _, m := range odoo.Models() {
			ok, err := c.Installed(ctx, m)
			switch {
			case err != nil:
				fmt.Fprintf(w, "  %-18s error: %v\n", m, err)
			case ok:
				fmt.Fprintf(w, "  %-18s installed\n", m)
			default:
				fmt.Fprintf(w, "  %-18s not installed\n", m)
			}
		}
	}
	return nil
}

// odooLookup runs the lookup and prints the snapshot as JSON.
func odooLookup(ctx context.Context, clients []*odoo.Client, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("odoo lookup", flag.ContinueOnError)
	fs.SetOutput(w)
	email := fs.String("email", "", "the person's email address")
	phone := fs.String("phone", "", "their phone number")
	name := fs.String("name", "", "their name (a weak hint)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" && strings.TrimSpace(*phone) == "" {
		return errors.New("give at least --email or --phone")
	}
	id := odoo.Identifiers{Name: *name}
	if *email != "" {
		id.Emails = []string{*email}
	}
	if *phone != "" {
		id.Phones = []string{*phone}
	}
	l := odoo.Lookup(ctx, clients, id, time.Now, odoo.DefaultParallel)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(l); err != nil {
		return err
	}
	if !l.Complete() {
		return fmt.Errorf("the lookup is incomplete: %s", l.Problems[0].Message)
	}
	return nil
}
