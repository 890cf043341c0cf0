// Command dsar runs VRACOOP's data-subject rights portal. It is the only
// place that reads configuration and wires concrete types together.
//
//	dsar            run the service (same as "dsar serve")
//	dsar serve      run the service
//	dsar healthcheck
//	                exit 0 when the running service answers /healthz
//	dsar user add --email E --name N [--role agent|admin]
//	                create a staff account; the password is read from stdin
//	dsar audit verify
//	                check the audit log's hash chain
//	dsar register check [--lang en] [--file F]
//	                list the register's problems; fail on errors
//	dsar shop add|list|disable|enable|apikey
//	                manage the client shops (add reads the Odoo API key from stdin;
//	                apikey makes a shop's OpenDSR API key and callback secret)
//	dsar odoo check
//	                connect to Odoo, print its version, the uid and the models installed
//	dsar odoo lookup --email E [--phone P] [--name N]
//	                search Odoo for a person and print the findings as JSON
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/vracoop/dsar/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "dsar:", err)
		os.Exit(1)
	}
}

// run dispatches the command line. ready, when not nil, receives the
// address the service listens on (tests listen on port 0).
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer, ready func(addr string)) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, getenv, stdout, ready)
	case "healthcheck":
		return healthcheck(ctx, getenv)
	case "user":
		if len(args) > 0 && args[0] == "add" {
			return userAdd(ctx, args[1:], getenv, stdin, stdout)
		}
		return fmt.Errorf("usage: dsar user add --email E --name N [--role agent|admin] (password on stdin)")
	case "shop":
		return shopCommand(ctx, args, getenv, stdin, stdout)
	case "odoo":
		return odooCommand(ctx, args, getenv, stdout)
	case "register":
		if len(args) > 0 && args[0] == "check" {
			return registerCheck(args[1:], getenv, stdout)
		}
		return fmt.Errorf("usage: dsar register check [--lang en] [--file F]")
	case "audit":
		if len(args) > 0 && args[0] == "verify" {
			return auditVerify(ctx, getenv, stdout)
		}
		return fmt.Errorf("usage: dsar audit verify")
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: dsar [serve | healthcheck | user add | audit verify | register check | shop add|list|disable | odoo check | odoo lookup]\n\nConfiguration is read from DSAR_* environment variables: see README.md.")
		return nil
	}
	return fmt.Errorf("unknown command %q (try: dsar help)", cmd)
}

// healthcheck asks the service listening on DSAR_ADDR whether it is up; the
// Docker image uses it.
func healthcheck(ctx context.Context, getenv func(string) string) error {
	cfg, err := config.FromEnv(getenv)
	if err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %s", resp.Status)
	}
	return nil
}
