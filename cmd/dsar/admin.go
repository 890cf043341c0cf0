package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vracoop/dsar/internal/config"
	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/password"
	"github.com/vracoop/dsar/internal/register"
	"github.com/vracoop/dsar/internal/sqlite"
)

// openDB opens the configured database for a one-off command.
func openDB(ctx context.Context, getenv func(string) string) (*sqlite.DB, error) {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	return sqlite.Open(ctx, cfg.DBPath)
}

// userAdd creates a staff account from the command line, reading the
// password from the first line of stdin so that it never appears in the
// process list or the shell history:
//
//	printf '%s\n' "$PASSWORD" | dsar user add --email claire@vracoop.fr --name "Claire Martin" --role admin
func userAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stdout)
	email := fs.String("email", "", "the staff member's email address (their login)")
	name := fs.String("name", "", "their full name")
	role := fs.String("role", "agent", "agent or admin")
	if err := fs.Parse(args); err != nil {
		return err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if problems := dsar.ValidateStaff(*email, *name, dsar.StaffRole(*role), pw); len(problems) > 0 {
		var msgs []string
		for field, p := range problems {
			msgs = append(msgs, fmt.Sprintf("%s: %s", field, p))
		}
		return fmt.Errorf("invalid account (password from stdin, at least %d characters): %s", dsar.MinPasswordLen, strings.Join(msgs, ", "))
	}
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	hash, err := password.Hash(pw, password.Default)
	if err != nil {
		return err
	}
	s := dsar.Staff{Email: strings.TrimSpace(*email), Name: strings.TrimSpace(*name), Role: dsar.StaffRole(*role), Active: true, CreatedAt: time.Now()}
	if err := db.CreateStaff(ctx, &s, hash, "cli"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created %s account #%d for %s.\n", s.Role, s.ID, s.Email)
	return nil
}

// loadRegister returns the register named by DSAR_REGISTER_FILE, or the
// embedded one.
func loadRegister(cfg config.Config) (*register.Register, error) {
	if cfg.RegisterFile == "" {
		return register.Default(), nil
	}
	return register.LoadFile(cfg.RegisterFile)
}

// registerCheck prints the register's problems and fails when any breaks
// routing, retention or the notices to people (warnings do not fail).
func registerCheck(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("register check", flag.ContinueOnError)
	fs.SetOutput(stdout)
	lang := fs.String("lang", "fr", "language of the report: fr or en")
	file := fs.String("file", "", "register file to check (default: DSAR_REGISTER_FILE, or the embedded register)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	if *file != "" {
		cfg.RegisterFile = *file
	}
	reg, err := loadRegister(cfg)
	if err != nil {
		return err
	}
	n, err := register.WriteCheck(stdout, reg, *lang)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the register has %d errors", n)
	}
	return nil
}

// auditVerify checks the audit log's hash chain and says where it breaks.
func auditVerify(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	n, brk, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if brk != nil {
		return fmt.Errorf("audit log broken at entry #%d: %s (%d entries before it verified)", brk.ID, brk.Reason, n)
	}
	fmt.Fprintf(stdout, "Audit log sound: %d entries verified.\n", n)
	return nil
}
