package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	netmail "net/mail"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/config"
	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/lookups"
	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/register"
	"github.com/vracoop/dsar/internal/sqlite"
	"github.com/vracoop/dsar/internal/web"
)

// serve runs the web server, the outbox worker and the periodic jobs until
// ctx ends.
func serve(ctx context.Context, getenv func(string) string, stdout io.Writer, ready func(string)) error {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	logger := newLogger(cfg.LogLevel, stdout)
	db, err := sqlite.Open(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer db.Close()
	logger.Info("Database ready", "path", cfg.DBPath)

	reg, err := loadRegister(cfg)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if errs := logRegisterFindings(reg, logger); errs > 0 {
		return fmt.Errorf("the register has %d errors that break routing or retention: run dsar register check", errs)
	}

	csrfKey, err := db.Secret(ctx, "csrf", randomKey)
	if err != nil {
		return err
	}
	composer, err := mail.NewComposer(cfg.BaseURL)
	if err != nil {
		return err
	}
	sender, mailbox, err := newSender(cfg, logger)
	if err != nil {
		return err
	}
	sealer, err := loadSealer(ctx, cfg, db, logger)
	if err != nil {
		return err
	}
	ops := web.NewOps(web.OpsOptions{Store: db, Logger: logger, MaxMailAge: cfg.ReadyMaxMailAge})
	db.ObserveIntake(ops.ObserveIntakeBatch)
	clients, stopOdoo, err := odooClients(cfg, logger, ops.ObserveOdooCall)
	if err != nil {
		return err
	}
	defer stopOdoo()
	if cfg.OdooDemo() {
		stopShops, err := startDemoShops(ctx, cfg, db, sealer, logger)
		if err != nil {
			return fmt.Errorf("demo shops: %w", err)
		}
		defer stopShops()
	}
	runner := &lookups.Runner{Store: db, Now: time.Now, Logger: logger,
		Search: func(ctx context.Context, r dsar.Request, emails, phones []string, name string) dsar.Lookup {
			instances := append(append([]*odoo.Client(nil), clients...), shopClients(ctx, db, sealer, r, logger, ops.ObserveOdooCall)...)
			return odoo.Lookup(ctx, instances, odoo.Identifiers{Emails: emails, Phones: phones, Name: name}, time.Now, odoo.DefaultParallel)
		},
		Route: func(rel dsar.Relationship, found []string) dsar.Routing {
			return reg.Route(register.RouteInput{Relationship: rel, Found: found})
		},
	}

	worker := mail.NewWorker(db, mail.Dispatch{Mail: sender}, logger)
	journal, accepted, err := mail.OpenSentJournal(filepath.Join(cfg.DataDir, "outbox-sent.journal"))
	if err != nil {
		return err
	}
	defer journal.Close()
	worker.Journal = journal
	if err := worker.Replay(ctx, accepted); err != nil {
		return err
	}
	worker.Backoff = mail.Backoff(cfg.MailRetryMin, cfg.MailRetryMax)

	gin.SetMode(gin.ReleaseMode)
	srv, err := web.New(web.Options{
		Store: db, Mails: composer, Mailbox: mailbox, Notify: worker.Notify, Logger: logger, Staff: db, Reports: db, Queue: db, Requests: db, Changer: db, Enterer: db, Plans: db, Executor: &odooExecutor{base: clients, db: db, sealer: sealer, logger: logger, observe: ops.ObserveOdooCall}, Instance: vracoopInstance, StaffMails: composer, Previewer: composer, Packages: db, PackageMails: composer, Shops: db, ShopMails: composer, API: db, ForwardDays: cfg.ForwardDays, Sealer: sealer,
		PackageDir: filepath.Join(cfg.DataDir, "packages"), PackageTTL: cfg.PackageTTL, Register: reg, HideNames: cfg.HideNames,
		BaseURL: cfg.BaseURL, ConfirmTTL: cfg.ConfirmTTL, StatusTTL: cfg.StatusTTL, CSRFKey: csrfKey,
		RateLimit: cfg.RateLimit, RateBurst: cfg.RateBurst, TrustedProxies: cfg.TrustedProxies,
		Ops: ops, OpsRoutes: cfg.OpsAddr == "",
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	// Both listeners are opened before anything starts, so that a port in
	// use stops the start with nothing left running.
	var opsLn net.Listener
	if cfg.OpsAddr != "" {
		if opsLn, err = net.Listen("tcp", cfg.OpsAddr); err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.OpsAddr, err)
		}
		defer opsLn.Close()
	}
	httpSrv := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       20 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := worker.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("Outbox worker stopped", "error", err)
		}
	})
	jobs := []struct {
		every time.Duration
		run   func(now time.Time)
	}{
		{time.Minute, func(now time.Time) { expireUnconfirmed(ctx, db, logger, now) }},
		{time.Hour, func(now time.Time) { remind(ctx, db, composer, worker.Notify, logger, now) }},
		{time.Hour, func(now time.Time) { remindShops(ctx, db, composer, worker.Notify, logger, now) }},
		{10 * time.Second, func(now time.Time) { sendCallbacks(ctx, db, sealer, worker.Notify, logger, now) }},
		{24 * time.Hour, func(now time.Time) { purgeClosed(ctx, db, cfg.KeepClosed, logger, now) }},
		{time.Hour, func(now time.Time) { expirePackages(ctx, db, logger, now) }},
	}
	for _, j := range jobs {
		wg.Go(func() { periodically(ctx, j.every, j.run) })
	}
	wg.Go(func() { runner.Run(ctx, 5*time.Second) })

	if opsLn != nil {
		opsSrv := &http.Server{Handler: ops.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 90 * time.Second, ErrorLog: httpSrv.ErrorLog}
		wg.Go(func() {
			if err := opsSrv.Serve(opsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("Ops listener stopped", "error", err)
			}
		})
		wg.Go(func() {
			<-ctx.Done()
			opsSrv.Close()
		})
		logger.Info("Serving /readyz and /metrics", "addr", opsLn.Addr().String())
	}

	logger.Info("Listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL)
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		shutdownCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		err = httpSrv.Shutdown(shutdownCtx)
	}
	cancel()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	logger.Info("Stopped")
	return err
}

// newSender returns the SMTP sender, or, with no SMTP host configured, the
// file sender and the development mailbox that shows its files.
func newSender(cfg config.Config, logger *slog.Logger) (mail.Sender, web.Mailbox, error) {
	if cfg.MailToFiles() {
		logger.Warn("No SMTP server configured: mail is written to files, not sent",
			"dir", cfg.MailDir, "mailbox", cfg.BaseURL+"/dev/mail")
		return mail.FileSender{Dir: cfg.MailDir, From: cfg.MailFrom}, fileMailbox{dir: cfg.MailDir}, nil
	}
	s, err := mail.NewSMTPSender(mail.SMTPConfig{
		Host: cfg.SMTPHost, Port: cfg.SMTPPort, TLS: cfg.SMTPTLS,
		User: cfg.SMTPUser, Password: cfg.SMTPPassword, From: cfg.MailFrom,
	})
	if err != nil {
		return nil, nil, err
	}
	logger.Info("Mail goes through SMTP", "host", cfg.SMTPHost, "port", cfg.SMTPPort, "tls", cfg.SMTPTLS)
	return s, nil, nil
}

// periodically runs job at once, then every interval, until ctx ends.
func periodically(ctx context.Context, every time.Duration, job func(now time.Time)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		job(time.Now())
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// expireUnconfirmed closes the requests whose
// confirmation link expired, and purges their personal fields; it also
// deletes expired staff sessions.
func expireUnconfirmed(ctx context.Context, db *sqlite.DB, logger *slog.Logger, now time.Time) {
	refs, err := db.ExpireUnconfirmed(ctx, now)
	if err != nil && ctx.Err() == nil {
		logger.Error("Expiring unconfirmed requests failed", "error", err)
	}
	for _, ref := range refs {
		logger.Info("Request not confirmed in time: closed and purged", "ref", ref)
	}
	if n, err := db.DeleteExpiredSessions(ctx, now); err != nil && ctx.Err() == nil {
		logger.Error("Deleting expired staff sessions failed", "error", err)
	} else if n > 0 {
		logger.Info("Expired staff sessions deleted", "count", n)
	}
}

// logRegisterFindings logs what the register check finds and returns the
// number of errors.
func logRegisterFindings(reg *register.Register, logger *slog.Logger) int {
	errs := 0
	for _, f := range reg.Check() {
		if f.Severity == register.SeverityError {
			errs++
			logger.Error("Register problem", "activity", f.Activity, "field", f.Field, "problem", f.Message.EN)
		} else {
			logger.Warn("Register inconsistency", "activity", f.Activity, "field", f.Field, "problem", f.Message.EN)
		}
	}
	return errs
}

// remind sends the reminders of requests due within a week or overdue.
func remind(ctx context.Context, db *sqlite.DB, composer *mail.Composer, notify func(), logger *slog.Logger, now time.Time) {
	n, err := db.SendReminders(ctx, dsar.DateOf(now), now, composer.Reminders)
	if err != nil && ctx.Err() == nil {
		logger.Error("Sending reminders failed", "error", err)
	} else if n > 0 {
		logger.Info("Reminders sent to staff", "requests", n)
		notify()
	}
}

// expirePackages deletes the access packages whose link expired, file and
// all.
func expirePackages(ctx context.Context, db *sqlite.DB, logger *slog.Logger, now time.Time) {
	pkgs, err := db.ExpirePackages(ctx, now)
	if err != nil && ctx.Err() == nil {
		logger.Error("Expiring access packages failed", "error", err)
	}
	for _, p := range pkgs {
		if err := os.Remove(p.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			logger.Error("Deleting an expired access package failed", "package_id", p.ID, "error", err)
			continue
		}
		logger.Info("Expired access package deleted", "package_id", p.ID)
	}
}

// purgeClosed reduces the requests closed longer than keep ago to minimal
// records without personal data, and logs what it purged.
func purgeClosed(ctx context.Context, db *sqlite.DB, keep time.Duration, logger *slog.Logger, now time.Time) {
	refs, err := db.PurgeClosed(ctx, now.Add(-keep), now)
	if err != nil && ctx.Err() == nil {
		logger.Error("Purging closed requests failed", "error", err)
	}
	if len(refs) > 0 {
		logger.Info("Closed requests past their retention reduced to minimal records", "count", len(refs), "refs", refs)
	}
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func randomKey() ([]byte, error) {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	return b, err
}

// fileMailbox shows the development mailbox from the file sender's folder.
type fileMailbox struct{ dir string }

func (m fileMailbox) Dir() string { return m.dir }

func (m fileMailbox) List() ([]web.StoredMail, error) {
	files, err := mail.ListFiles(m.dir)
	if err != nil {
		return nil, err
	}
	out := make([]web.StoredMail, len(files))
	for i, f := range files {
		out[i] = storedMail(f)
	}
	return out, nil
}

func (m fileMailbox) Read(name string) (web.StoredMail, error) {
	f, err := mail.ReadFile(m.dir, name)
	return storedMail(f), err
}

func storedMail(f mail.FileMail) web.StoredMail {
	to := f.To
	if a, err := netmail.ParseAddress(to); err == nil {
		to = a.Address
	}
	return web.StoredMail{Name: f.Name, Date: f.ModTime, To: to, Subject: f.Subject, Text: f.Text, HTML: f.HTML}
}
