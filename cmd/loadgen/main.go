// Command loadgen measures dsar under load: the intake of requests through
// the public form, compared with two yardsticks measured in the same run (a
// trivial Gin handler, and a minimal form stored with group commit:
// minimal.go), and the staff queue page on a large database. With -self it
// starts and measures its own servers on loopback; with -url it measures
// the servers it is given. It runs for a bounded time and stops by itself.
//
// Against a running service (nothing started):
//
//	loadgen -url http://127.0.0.1:8080 [-trivial-url URL] [-minimal-url URL] [-staff-email E -staff-password P] [-db PATH]
//
// Self-contained (-self): it seeds a database with -queue requests (through
// internal/sqlite, see seed.go), creates a staff account with "dsar user
// add", starts the dsar binary given by -bin on that database with
// DSAR_RATE_LIMIT=0, and starts itself again as the trivial handler and as
// the minimal form; all three are separate processes, so that their peak memory (VmHWM) can be read
// and neither shares the load generator's heap:
//
//	go build -o /tmp/dsar ./cmd/dsar && go build -o /tmp/loadgen ./cmd/loadgen
//	/tmp/loadgen -self -bin /tmp/dsar
//
// Every virtual client first GETs / for its CSRF cookie and token, then
// POSTs valid forms, each with an address no other request has. At the
// end of a -self run the service is killed with SIGKILL while clients
// post, and every request it acknowledged (answered 303) is looked for in
// the database.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type config struct {
	url, trivialURL           string
	self                      bool
	bin                       string
	clients, queueClients     int
	duration, warmup          time.Duration
	rate                      float64
	rounds                    int
	queue                     int
	seedCache                 string
	queuePaths                string
	staffEmail, staffPassword string
	db                        string
	kill                      bool
	keep                      bool
	trivialAddr               string
	minimalAddr, minimalDB    string
	minimalURL                string
}

func main() {
	var cfg config
	fs := flag.NewFlagSet("loadgen", flag.ExitOnError)
	fs.StringVar(&cfg.url, "url", "", "the running dsar to measure (without -self)")
	fs.StringVar(&cfg.trivialURL, "trivial-url", "", "a running trivial handler to compare intake with (without -self)")
	fs.BoolVar(&cfg.self, "self", false, "start dsar (-bin) and the trivial handler, seed, measure, kill, check")
	fs.StringVar(&cfg.bin, "bin", "/tmp/dsar", "the dsar binary started by -self (go build -o /tmp/dsar ./cmd/dsar)")
	fs.IntVar(&cfg.clients, "c", 32, "virtual clients posting the form")
	fs.IntVar(&cfg.queueClients, "queue-c", 8, "virtual staff members reading the queue")
	fs.DurationVar(&cfg.duration, "d", 20*time.Second, "measured duration of each phase")
	fs.DurationVar(&cfg.warmup, "warmup", 3*time.Second, "unmeasured load before each phase")
	fs.Float64Var(&cfg.rate, "rate", 0, "form posts per second in all (open loop); 0: each client posts again as soon as answered")
	fs.IntVar(&cfg.rounds, "rounds", 1, "times the trivial and the dsar intake phases are run, alternately")
	fs.IntVar(&cfg.queue, "queue", 100_000, "requests stored before the queue phase (-self); 0: no queue phase")
	fs.StringVar(&cfg.seedCache, "seed-cache", filepath.Join(os.TempDir(), "dsar-loadgen-seed.db"), "seeded database kept between runs (-self); empty: seed each time")
	fs.StringVar(&cfg.queuePaths, "queue-paths", "/staff/requests", "comma-separated queue pages the staff clients read in turn")
	fs.StringVar(&cfg.staffEmail, "staff-email", "", "staff login for the queue phase (without -self)")
	fs.StringVar(&cfg.staffPassword, "staff-password", "", "its password (without -self)")
	fs.StringVar(&cfg.db, "db", "", "the service's database file, to check that acknowledged requests are stored (without -self)")
	fs.BoolVar(&cfg.kill, "kill", true, "with -self: end with SIGKILL to the service while clients post, then check every acknowledged request")
	fs.BoolVar(&cfg.keep, "keep", false, "with -self: keep the data directory")
	fs.StringVar(&cfg.trivialAddr, "trivial-addr", "", "serve the trivial handler on this address and do nothing else")
	fs.StringVar(&cfg.minimalAddr, "minimal-addr", "", "serve the minimal form with group commit on this address (its database: -minimal-db) and do nothing else")
	fs.StringVar(&cfg.minimalDB, "minimal-db", "", "the minimal form's database file")
	fs.StringVar(&cfg.minimalURL, "minimal-url", "", "a running minimal form to measure too (without -self)")
	fs.Parse(os.Args[1:])

	if cfg.trivialAddr != "" {
		if err := serveTrivial(cfg.trivialAddr); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	if cfg.minimalAddr != "" {
		if err := serveMinimal(cfg.minimalAddr, cfg.minimalDB); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch {
	case cfg.self:
		err = runSelf(ctx, cfg, os.Stdout)
	case cfg.url != "":
		err = runURL(ctx, cfg, os.Stdout)
	default:
		err = fmt.Errorf("give -url of a running service, or -self")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// runID tells this run's requests from those of other runs.
func runID() string {
	b := make([]byte, 3)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// targets are the servers one run measures.
type targets struct {
	service, trivial, minimal server // trivial, minimal: url "" when not measured
	staffEmail                string
	staffPassword             string
}

// server is one server under load.
type server struct {
	url  string
	pid  int          // 0 when unknown
	peak func() int64 // its peak memory in kB; nil when unknown
}

// measure runs the intake rounds and the queue phase and prints them; it
// returns the acknowledged addresses.
func measure(ctx context.Context, cfg config, t targets, out io.Writer) (*ackLog, error) {
	run := runID()
	acked := &ackLog{}
	fmt.Fprintf(out, "loadgen: %d form clients, %s per phase after %s of warm-up, %s\n\n",
		cfg.clients, cfg.duration, cfg.warmup, loopName(cfg.rate))
	printHeader(out)
	for round := 1; round <= cfg.rounds; round++ {
		if round > 1 {
			// The service works off the previous round (its outbox) for a
			// while: let it finish, or the trivial handler shares the CPU
			// with it.
			settle(ctx, t.service.pid)
		}
		var trivial, minimal result
		var err error
		if t.trivial.url != "" {
			if trivial, err = intakePhase(ctx, cfg, "trivial POST /", t.trivial, run+"t", nil, out); err != nil {
				return acked, fmt.Errorf("trivial handler: %w", err)
			}
		}
		if t.minimal.url != "" {
			if minimal, err = intakePhase(ctx, cfg, "minimal form POST /", t.minimal, run+"m", nil, out); err != nil {
				return acked, fmt.Errorf("minimal form: %w", err)
			}
		}
		intake, err := intakePhase(ctx, cfg, "dsar POST /", t.service, fmt.Sprintf("%s%d", run, round), acked, out)
		if err != nil {
			return acked, fmt.Errorf("dsar: %w", err)
		}
		if trivial.PerSecond > 0 {
			fmt.Fprintf(out, "  round %d: dsar intake / trivial = %.2f", round, intake.PerSecond/trivial.PerSecond)
			if minimal.PerSecond > 0 {
				fmt.Fprintf(out, "; minimal form / trivial = %.2f", minimal.PerSecond/trivial.PerSecond)
			}
			fmt.Fprintln(out)
		}
		if ctx.Err() != nil {
			return acked, ctx.Err()
		}
	}
	if t.staffEmail != "" {
		staff := &client{http: newHTTPClient(cfg.queueClients), base: t.service.url}
		if err := staff.login(ctx, t.staffEmail, t.staffPassword); err != nil {
			return acked, err
		}
		// One session shared by the virtual staff members: logins are
		// rate-limited and hashed with argon2id, which is not what is
		// measured here.
		cs := make([]*client, cfg.queueClients)
		for i := range cs {
			cs[i] = &client{http: staff.http, base: staff.base, cookies: staff.cookies}
		}
		paths := strings.Split(cfg.queuePaths, ",")
		q := phase{name: "dsar GET " + strings.Join(paths, ","), clients: cs, duration: cfg.duration, warmup: cfg.warmup,
			pid: t.service.pid, send: getSend(paths)}.run(ctx)
		if t.service.peak != nil {
			q.PeakRSS = t.service.peak()
		}
		printResult(out, q)
	}
	return acked, ctx.Err()
}

// intakePhase posts forms to s for the configured time and prints the
// result; the addresses s acknowledged go in acked, when given, and each
// post's address starts with tag.
func intakePhase(ctx context.Context, cfg config, name string, s server, tag string, acked *ackLog, out io.Writer) (result, error) {
	cs, err := openClients(ctx, s.url, cfg.clients, "/")
	if err != nil {
		return result{}, err
	}
	r := phase{name: name, clients: cs, duration: cfg.duration, warmup: cfg.warmup,
		rate: cfg.rate, pid: s.pid, send: intakeSend(tag, acked)}.run(ctx)
	if s.peak != nil {
		r.PeakRSS = s.peak()
	}
	printResult(out, r)
	return r, nil
}

func loopName(rate float64) string {
	if rate > 0 {
		return fmt.Sprintf("open loop at %.0f posts/s", rate)
	}
	return "closed loop"
}

// openClients makes n clients that each opened path (for their CSRF
// cookie and token), sharing one connection pool.
func openClients(ctx context.Context, base string, n int, path string) ([]*client, error) {
	hc := newHTTPClient(n)
	cs := make([]*client, n)
	for i := range cs {
		cs[i] = &client{http: hc, base: strings.TrimRight(base, "/")}
		if err := cs[i].open(ctx, path); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

func printHeader(out io.Writer) {
	fmt.Fprintf(out, "%-28s %7s %9s %9s %9s %9s %9s %7s %9s\n",
		"phase", "clients", "req/s", "p50", "p90", "p99", "max", "errors", "peak RSS")
}

func printResult(out io.Writer, r result) {
	peak := "-"
	if r.PeakRSS > 0 {
		peak = fmt.Sprintf("%.0f MiB", float64(r.PeakRSS)/1024)
	}
	fmt.Fprintf(out, "%-28s %7d %9.0f %9s %9s %9s %9s %7d %9s\n", r.Name, r.Clients, r.PerSecond,
		ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max), r.Errors, peak)
	switch c := r.CPU; {
	case c.cores > 0 && c.target > 0:
		// What else ran on the machine meanwhile: on a shared machine, a
		// run where others took CPU is not comparable.
		others := max(c.machine-c.target-c.self, 0)
		fmt.Fprintf(out, "  cpu (cores of %.0f): server %.2f, loadgen %.2f, others %.2f\n", c.cores, c.target, c.self, others)
	case c.cores > 0: // the server is not ours: its CPU is in the machine's
		fmt.Fprintf(out, "  cpu (cores of %.0f): machine %.2f, loadgen %.2f\n", c.cores, c.machine, c.self)
	}
	if r.FirstErr != "" {
		fmt.Fprintf(out, "  first error: %s\n", r.FirstErr)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// runURL measures servers that are already running.
func runURL(ctx context.Context, cfg config, out io.Writer) error {
	acked, err := measure(ctx, cfg, targets{service: server{url: cfg.url}, trivial: server{url: cfg.trivialURL}, minimal: server{url: cfg.minimalURL},
		staffEmail: cfg.staffEmail, staffPassword: cfg.staffPassword}, out)
	if err != nil {
		return err
	}
	if cfg.db != "" {
		return reportDurable(ctx, cfg.db, acked.all(), out)
	}
	return nil
}

// runSelf starts the trivial handler and dsar, measures them, then crashes
// dsar under load and checks what it acknowledged.
func runSelf(ctx context.Context, cfg config, out io.Writer) error {
	dir, err := os.MkdirTemp("", "dsar-loadgen-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintf(out, "data directory: %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	if err := prepareDB(ctx, dir, cfg.seedCache, cfg.queue); err != nil {
		return err
	}
	pw := runID() + runID() + runID()
	const staffEmail = "loadgen@vracoop.example"
	if err := addStaff(ctx, cfg.bin, dir, staffEmail, pw); err != nil {
		return err
	}

	self, err := os.Executable()
	if err != nil {
		return err
	}
	taddr, err := freeAddr()
	if err != nil {
		return err
	}
	trivial, err := start(ctx, "trivial handler", self, []string{"-trivial-addr", taddr}, os.Environ(), taddr, filepath.Join(dir, "trivial.log"))
	if err != nil {
		return err
	}
	defer trivial.stop()
	maddr, err := freeAddr()
	if err != nil {
		return err
	}
	minimal, err := start(ctx, "minimal form", self, []string{"-minimal-addr", maddr, "-minimal-db", filepath.Join(dir, "minimal.db")},
		os.Environ(), maddr, filepath.Join(dir, "minimal.log"))
	if err != nil {
		return err
	}
	defer minimal.stop()
	saddr, err := freeAddr()
	if err != nil {
		return err
	}
	svc, err := start(ctx, "dsar", cfg.bin, nil, serviceEnv(dir, saddr), saddr, filepath.Join(dir, "dsar.log"))
	if err != nil {
		return err
	}
	stopped := false
	defer func() {
		if !stopped {
			svc.stop()
		}
	}()

	t := targets{service: svc.server(), trivial: trivial.server(), minimal: minimal.server()}
	if cfg.queue > 0 {
		t.staffEmail, t.staffPassword = staffEmail, pw
	}
	acked, err := measure(ctx, cfg, t, out)
	if err != nil {
		return err
	}

	if cfg.kill {
		// Crash the service while clients post; what it acknowledged
		// until then must all be stored.
		cs, err := openClients(ctx, svc.url, cfg.clients, "/")
		if err != nil {
			return err
		}
		crashCtx, endCrash := context.WithCancel(ctx)
		defer endCrash()
		crashed := make(chan struct{})
		go func() {
			phase{name: "crash", clients: cs, duration: time.Hour, send: intakeSend(runID()+"k", acked)}.run(crashCtx)
			close(crashed)
		}()
		time.Sleep(3 * time.Second)
		svc.kill()
		time.Sleep(100 * time.Millisecond) // let the answers in flight at the kill be read
		endCrash()
		<-crashed // every client has counted what it was answered
		fmt.Fprintf(out, "\ndsar killed with SIGKILL while %d clients posted\n", cfg.clients)
	} else {
		svc.stop()
	}
	stopped = true
	return reportDurable(ctx, filepath.Join(dir, "dsar.db"), acked.all(), out)
}

func reportDurable(ctx context.Context, dbPath string, acked []string, out io.Writer) error {
	found, missing, err := checkDurable(ctx, dbPath, acked)
	if err != nil {
		return fmt.Errorf("check stored requests: %w", err)
	}
	fmt.Fprintf(out, "durability: %d requests acknowledged, %d found in the database, %d missing\n",
		len(acked), found, len(missing))
	if len(missing) > 0 {
		return fmt.Errorf("%d acknowledged requests are not in the database, e.g. %s", len(missing), missing[0])
	}
	return nil
}
