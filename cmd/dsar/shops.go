package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/vracoop/dsar/internal/config"
	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/opendsr"
	"github.com/vracoop/dsar/internal/seal"
	"github.com/vracoop/dsar/internal/sqlite"
)

// loadSealer returns the key that seals the shops' Odoo API keys: from
// DSAR_SEAL_KEY, or, on a machine without it (development), one the
// service generates and keeps in its own database, which a copy of the
// database would then give away: the log says so.
func loadSealer(ctx context.Context, cfg config.Config, db *sqlite.DB, logger *slog.Logger) (*seal.Key, error) {
	if cfg.SealKey != "" {
		return seal.ParseKey(cfg.SealKey)
	}
	raw, err := db.Secret(ctx, "seal", func() ([]byte, error) {
		b := make([]byte, 32)
		_, err := rand.Read(b)
		return b, err
	})
	if err != nil {
		return nil, err
	}
	logger.Warn("DSAR_SEAL_KEY is not set: the shops' Odoo keys are sealed with a key kept in the database; set it in production")
	return seal.NewKey(raw)
}

// shopClient returns a client for a shop's Odoo instance.
func shopClient(s dsar.Shop, sealer *seal.Key, observe odooObserver) (*odoo.Client, error) {
	if s.OdooURL == "" || len(s.OdooKeySealed) == 0 {
		return nil, errors.New("no Odoo instance configured")
	}
	key, err := sealer.Open(s.OdooKeySealed, sqlite.ShopKeyLabel(s.ID))
	if err != nil {
		return nil, err
	}
	return odoo.New(odoo.Config{Name: s.Name, URL: s.OdooURL, DB: s.OdooDB, Login: s.OdooLogin, Password: key,
		Protocol: s.OdooProtocol, Observe: observe}, &http.Client{})
}

// shopClients returns the instances of the shops a request names that
// allow the lookup to search them.
func shopClients(ctx context.Context, db *sqlite.DB, sealer *seal.Key, r dsar.Request, logger *slog.Logger, observe odooObserver) []*odoo.Client {
	ids := map[int64]bool{}
	if r.ShopID != 0 {
		ids[r.ShopID] = true
	}
	if cases, err := db.Cases(ctx, r.ID); err == nil {
		for _, c := range cases {
			ids[c.ShopID] = true
		}
	}
	var out []*odoo.Client
	for id := range ids {
		s, err := db.Shop(ctx, id)
		if err != nil || !s.Active || !s.SearchAllowed {
			continue
		}
		c, err := shopClient(s, sealer, observe)
		if err != nil {
			logger.Warn("A shop's Odoo cannot be searched", "shop_id", id, "error", err)
			continue
		}
		out = append(out, c)
	}
	return out
}

// odooExecutor carries out plan steps on the instance each names:
// VRACOOP's own, or a shop's, on its instruction.
type odooExecutor struct {
	base    []*odoo.Client
	db      *sqlite.DB
	sealer  *seal.Key
	logger  *slog.Logger
	observe odooObserver
}

// Apply implements web.Executor.
func (e *odooExecutor) Apply(ctx context.Context, instance string, s dsar.Step) (before, after map[string]string, err error) {
	for _, c := range e.base {
		if c.Name() == instance {
			return c.Apply(ctx, s)
		}
	}
	shops, err := e.db.Shops(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, sh := range shops {
		if sh.Name == instance && sh.Active {
			c, err := shopClient(sh, e.sealer, e.observe)
			if err != nil {
				return nil, nil, fmt.Errorf("shop %s: %w", sh.Name, err)
			}
			return c.Apply(ctx, s)
		}
	}
	return nil, nil, fmt.Errorf("no Odoo instance named %q is configured", instance)
}

// remindShops reminds the shops that have not answered a
// forwarded request within a week, once per case.
func remindShops(ctx context.Context, db *sqlite.DB, composer *mail.Composer, notify func(), logger *slog.Logger, now time.Time) {
	n, err := db.RemindShops(ctx, now.Add(-7*24*time.Hour), now, composer.ShopMail)
	if err != nil && ctx.Err() == nil {
		logger.Error("Reminding shops failed", "error", err)
	} else if n > 0 {
		logger.Info("Shops reminded of forwarded requests", "cases", n)
		notify()
	}
}

// shopCommand runs "dsar shop add|list|disable".
func shopCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: dsar shop add|list|disable")
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	db, err := sqlite.Open(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "list":
		shops, err := db.Shops(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tTOWN\tPRIVACY EMAIL\tCONTRACT\tODOO\tSEARCH\tACTIVE")
		for _, s := range shops {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%v\t%v\n", s.ID, s.Name, s.Town, s.PrivacyEmail, s.ContractStart, s.OdooURL, s.SearchAllowed, s.Active)
		}
		return w.Flush()
	case "disable", "enable":
		if len(args) < 2 {
			return fmt.Errorf("usage: dsar shop %s ID", args[0])
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return fmt.Errorf("shop ID %q: %w", args[1], err)
		}
		return db.SetShopActive(ctx, id, args[0] == "enable", "cli", time.Now())
	case "add":
		return shopAdd(ctx, cfg, db, args[1:], stdin, stdout)
	case "apikey":
		if len(args) < 2 {
			return errors.New("usage: dsar shop apikey ID")
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return fmt.Errorf("shop ID %q: %w", args[1], err)
		}
		return shopAPIKey(ctx, cfg, db, id, stdout)
	}
	return fmt.Errorf("unknown shop command %q", args[0])
}

// shopAdd registers a client shop; its Odoo API key, if any, is read from
// the first line of stdin and sealed at once.
func shopAdd(ctx context.Context, cfg config.Config, db *sqlite.DB, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("shop add", flag.ContinueOnError)
	fs.SetOutput(stdout)
	s := dsar.Shop{CreatedAt: time.Now()}
	var start, end string
	fs.StringVar(&s.Name, "name", "", "the shop's name, as its customers know it")
	fs.StringVar(&s.LegalEntity, "legal-entity", "", "its legal entity")
	fs.StringVar(&s.Town, "town", "", "its town")
	fs.StringVar(&s.PrivacyEmail, "email", "", "the address for privacy requests")
	fs.StringVar(&s.Lang, "lang", "fr", "fr or en")
	fs.StringVar(&start, "contract-start", "", "YYYY-MM-DD")
	fs.StringVar(&end, "contract-end", "", "YYYY-MM-DD, if known")
	fs.StringVar(&s.OdooURL, "odoo-url", "", "its Odoo instance")
	fs.StringVar(&s.OdooDB, "odoo-db", "", "its database")
	fs.StringVar(&s.OdooLogin, "odoo-login", "", "the integration user")
	fs.StringVar(&s.OdooProtocol, "odoo-protocol", "xmlrpc", "xmlrpc or json2")
	fs.BoolVar(&s.SearchAllowed, "search", false, "allow the lookup to search the shop's Odoo")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if s.ContractStart, err = dsar.ParseDate(start); err != nil {
		return fmt.Errorf("--contract-start: %w", err)
	}
	if end != "" {
		if s.ContractEnd, err = dsar.ParseDate(end); err != nil {
			return fmt.Errorf("--contract-end: %w", err)
		}
	}
	if p := dsar.ValidateShop(s); len(p) > 0 {
		return fmt.Errorf("invalid shop: %v", p)
	}
	key := ""
	if s.OdooURL != "" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		key = strings.TrimSpace(line)
	}
	sealer, err := loadSealer(ctx, cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	if err := db.CreateShop(ctx, &s, key, sealer.Seal, "cli"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added shop #%d %s.\n", s.ID, s.Name)
	return nil
}

// shopAPIKey makes a new OpenDSR API key and callback secret for a shop,
// prints both once, and keeps only the key's hash and the sealed secret.
func shopAPIKey(ctx context.Context, cfg config.Config, db *sqlite.DB, id int64, stdout io.Writer) error {
	sealer, err := loadSealer(ctx, cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	key, err := dsar.NewToken("", "api", time.Time{})
	if err != nil {
		return err
	}
	secret, err := dsar.NewToken("", "callback", time.Time{})
	if err != nil {
		return err
	}
	sealed, err := sealer.Seal(secret.Plain, sqlite.ShopCallbackLabel(id))
	if err != nil {
		return err
	}
	if err := db.SetShopAPI(ctx, id, key.Hash, sealed, "cli", time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "API key (bearer):     %s\nCallback secret:      %s\nBoth are shown once; give them to the shop through a safe channel.\n", key.Plain, secret.Plain)
	return nil
}

// sendCallbacks queues the signed status callbacks of the
// API requests whose status changed.
func sendCallbacks(ctx context.Context, db *sqlite.DB, sealer *seal.Key, notify func(), logger *slog.Logger, now time.Time) {
	render := func(a dsar.APIRequest, r dsar.Request, shop dsar.Shop, status string) ([]dsar.Mail, error) {
		if len(shop.CallbackSealed) == 0 {
			return nil, nil
		}
		secret, err := sealer.Open(shop.CallbackSealed, sqlite.ShopCallbackLabel(shop.ID))
		if err != nil {
			return nil, err
		}
		return opendsr.Callbacks(a, r, status, []byte(secret))
	}
	n, err := db.QueueCallbacks(ctx, now, render)
	if err != nil && ctx.Err() == nil {
		logger.Error("Queueing OpenDSR callbacks failed", "error", err)
	}
	if n > 0 {
		notify()
	}
}
