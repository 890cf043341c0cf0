package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vracoop/dsar/internal/sqlite"
)

// process is a server loadgen started: dsar, or the trivial handler.
type process struct {
	name string
	cmd  *exec.Cmd
	url  string
	done chan error
}

// freeAddr returns a loopback address with a port free at the time.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// start runs bin with args and env, its output in logPath, and waits until
// it answers /healthz.
func start(ctx context.Context, name, bin string, args, env []string, addr, logPath string) (*process, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, url: "http://" + addr, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); logf.Close() }()
	deadline := time.Now().Add(60 * time.Second)
	probe := &http.Client{Timeout: time.Second} // a server that accepts but never answers must not stall the wait
	for {
		resp, err := probe.Get(p.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		select {
		case err := <-p.done:
			return nil, fmt.Errorf("%s exited at start (%v): see %s", name, err, logPath)
		case <-ctx.Done():
			p.kill()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.kill()
			return nil, fmt.Errorf("%s did not answer /healthz within a minute: see %s", name, logPath)
		}
	}
}

// server is p as a target of measure.
func (p *process) server() server {
	return server{url: p.url, pid: p.cmd.Process.Pid, peak: p.peakRSS}
}

// peakRSS returns the process's peak resident memory (VmHWM) in kB.
func (p *process) peakRSS() int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

// stop asks the process to end, and kills it after 15 seconds.
func (p *process) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

// kill ends the process at once, as a crash would.
func (p *process) kill() {
	p.cmd.Process.Kill()
	<-p.done
}

// serviceEnv is the environment of dsar under test: a data directory of
// its own, no rate limit (it would cap the measurement), mail to files,
// the demo Odoo, and nothing inherited from the caller's DSAR_ variables.
func serviceEnv(dataDir, addr string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DSAR_") {
			env = append(env, kv)
		}
	}
	return append(env, "DSAR_DATA_DIR="+dataDir, "DSAR_ADDR="+addr, "DSAR_BASE_URL=http://"+addr,
		"DSAR_RATE_LIMIT=0", "DSAR_LOG_LEVEL=info")
}

// addStaff creates the staff account the queue phase logs in with, with
// the service's own command.
func addStaff(ctx context.Context, bin, dataDir, email, password string) error {
	cmd := exec.CommandContext(ctx, bin, "user", "add", "--email", email, "--name", "Load Generator", "--role", "agent")
	cmd.Env = serviceEnv(dataDir, "127.0.0.1:0")
	cmd.Stdin = strings.NewReader(password + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("dsar user add: %w: %s", err, out)
	}
	return nil
}

// prepareDB puts in dataDir a database with n seeded requests, copied from
// cache when it holds one, else seeded (and kept in cache when set).
func prepareDB(ctx context.Context, dataDir, cache string, n int) error {
	dbPath := filepath.Join(dataDir, "dsar.db")
	if n == 0 {
		return nil
	}
	if cache == "" {
		return seed(ctx, dbPath, n, os.Stderr)
	}
	if _, err := os.Stat(cache); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "seeding %d requests into %s\n", n, cache)
		tmp := cache + ".partial"
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
		if err := seed(ctx, tmp, n, os.Stderr); err != nil {
			return err
		}
		if err := os.Rename(tmp, cache); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	return copyFile(cache, dbPath)
}

// checkDurable opens the database after the service ended and counts the
// acknowledged requests it holds.
func checkDurable(ctx context.Context, dbPath string, acked []string) (found int, missing []string, err error) {
	sqldb, err := sql.Open("sqlite3", sqlite.DSN(dbPath))
	if err != nil {
		return 0, nil, err
	}
	defer sqldb.Close()
	rows, err := sqldb.QueryContext(ctx, `SELECT email FROM requests WHERE email LIKE 'lg-%'`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	stored := map[string]bool{}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return 0, nil, err
		}
		stored[e] = true
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	for _, e := range acked {
		if stored[e] {
			found++
		} else {
			missing = append(missing, e)
		}
	}
	return found, missing, nil
}

// cpuSample is what /proc says about CPU use at one instant.
type cpuSample struct {
	at          time.Time
	busy, total int64 // jiffies of the whole machine
	target      int64 // jiffies of the measured server, user and system
	self        int64 // jiffies of loadgen
}

func sampleCPU(pid int) cpuSample {
	s := cpuSample{at: time.Now(), self: procJiffies("self")}
	if pid > 0 {
		s.target = procJiffies(strconv.Itoa(pid))
	}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	for i, f := range fields[1:] {
		v, _ := strconv.ParseInt(f, 10, 64)
		s.total += v
		if i != 3 && i != 4 { // idle and iowait
			s.busy += v
		}
	}
	return s
}

// procJiffies returns the user and system CPU time of a process.
func procJiffies(pid string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	_, rest, ok := strings.Cut(string(b), ") ")
	if !ok {
		return 0
	}
	f := strings.Fields(rest) // state is f[0]; utime and stime are fields 14 and 15 of the line
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}

// cpuUse is the CPU used between two samples, in cores.
type cpuUse struct{ machine, target, self, cores float64 }

func cpuBetween(a, b cpuSample) cpuUse {
	const hz = 100 // USER_HZ on Linux
	secs := b.at.Sub(a.at).Seconds()
	if secs <= 0 || b.total == a.total {
		return cpuUse{}
	}
	cores := float64(b.total-a.total) / hz / secs
	return cpuUse{
		machine: float64(b.busy-a.busy) / hz / secs,
		target:  float64(b.target-a.target) / hz / secs,
		self:    float64(b.self-a.self) / hz / secs,
		cores:   cores,
	}
}

// settle waits, for at most a minute, until the process pid uses less than
// a twentieth of a core.
func settle(ctx context.Context, pid int) {
	if pid == 0 {
		return
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		a := sampleCPU(pid)
		time.Sleep(time.Second)
		if cpuBetween(a, sampleCPU(pid)).target < 0.05 {
			return
		}
	}
}
