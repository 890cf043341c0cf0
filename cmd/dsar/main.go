// Command dsar runs VRACOOP's data-subject rights portal. It is the only
// place that reads configuration and wires concrete types together.
//
//	dsar            run the service (same as "dsar serve")
//	dsar serve      run the service
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "dsar:", err)
		os.Exit(1)
	}
}

// run dispatches the command line. ready, when not nil, receives the
// address the service listens on (tests listen on port 0).
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer, ready func(addr string)) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, getenv, stdout, ready)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: dsar [serve]\n\nConfiguration is read from DSAR_* environment variables: see README.md.")
		return nil
	}
	return fmt.Errorf("unknown command %q (try: dsar help)", cmd)
}
