package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail/smtptest"
	"github.com/vracoop/dsar/internal/sqlite"
)

// The crash test builds the real binary, kills it with SIGKILL while
// people submit requests, starts it again on the same data, and checks
// that nothing a person was told was accepted is lost, that the database
// is sound, and that every stored request gets exactly one confirmation
// mail.

// buildBinary builds cmd/dsar, with the race detector when this test
// binary has it (so that go build reuses the packages go test compiled).
func buildBinary(t *testing.T) string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command to build the binary: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "dsar")
	args := []string{"build", "-o", bin}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" && s.Value == "true" {
				args = append(args, "-race")
			}
		}
	}
	cmd := exec.Command(gotool, append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is the binary running as a child process.
type process struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string
	logs *syncBuffer
	done chan error
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startProcess starts the binary with env on a free port and waits until
// it answers /healthz.
func startProcess(t *testing.T, bin string, env map[string]string) *process {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DSAR_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "DSAR_ADDR="+addr)
	p := &process{t: t, cmd: cmd, url: "http://" + addr, logs: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(60 * time.Second)
	probe := &http.Client{Timeout: time.Second} // a server that accepts but never answers must not stall the wait
	for {
		resp, err := probe.Get(p.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("dsar exited at start: %v\n%s", err, p.logs)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("dsar did not answer /healthz within a minute\n%s", p.logs)
		}
	}
}

// kill ends the process at once, as a power cut or the OOM killer would.
func (p *process) kill() {
	select {
	case err := <-p.done: // already exited
		p.done <- err
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.wait()
}

// stop asks the process to shut down cleanly.
func (p *process) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err
		if err != nil {
			p.t.Errorf("dsar stopped with %v\n%s", err, p.logs)
		}
	case <-time.After(20 * time.Second):
		p.t.Errorf("dsar did not stop on SIGTERM\n%s", p.logs)
		p.kill()
	}
}

func (p *process) wait() {
	err := <-p.done
	p.done <- err
}

// intake is the record of what people were told.
type intake struct {
	mu        sync.Mutex
	accepted  map[string]bool // emails whose post got a 303
	attempted map[string]bool // emails posted, whatever the answer
	errors    []string        // unexpected answers while the service was up
}

// submitOnce files one request as a browser would and reports whether it
// was accepted, or the transport error once the service is gone.
func submitOnce(c *http.Client, base, email string) (int, error) {
	resp, err := c.Get(base + "/")
	if err != nil {
		return 0, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindSubmatch(page)
	if m == nil {
		return resp.StatusCode, fmt.Errorf("no CSRF token on the form (status %d)", resp.StatusCode)
	}
	resp, err = c.PostForm(base+"/", url.Values{
		"csrf_token": {string(m[1])}, "name": {"Crash Test"}, "email": {email},
		"relationship": {"prospect"}, "kinds": {"access"}, "details": {"SIGKILL"},
	})
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestCrashKeepsAcceptedRequests: several people submit at once; after 40
// accepted requests the service is killed with SIGKILL mid-flight, then
// started again on the same data directory.
func TestCrashKeepsAcceptedRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it")
	}
	t.Parallel()
	const (
		people     = 6
		killAfter  = 40
		mailWait   = 30 * time.Second
		quietAfter = 1500 * time.Millisecond // time for a duplicate to show up
	)
	ctx := context.Background()
	bin := buildBinary(t)
	smtp := smtptest.Start(t)
	dataDir := t.TempDir()
	env := map[string]string{
		"DSAR_DATA_DIR": dataDir, "DSAR_BASE_URL": "http://dsar.test", "DSAR_LOG_LEVEL": "info",
		"DSAR_SMTP_HOST": smtp.Host(), "DSAR_SMTP_PORT": fmt.Sprint(smtp.Port()), "DSAR_SMTP_TLS": "none",
		"DSAR_RATE_LIMIT": "0", "DSAR_MAIL_RETRY_MIN": "100ms", "DSAR_MAIL_RETRY_MAX": "300ms",
	}
	first := startProcess(t, bin, env)

	in := &intake{accepted: map[string]bool{}, attempted: map[string]bool{}}
	kill := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for g := range people {
		wg.Go(func() {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for i := 0; ; i++ {
				email := fmt.Sprintf("crash-%d-%d@example.fr", g, i)
				in.mu.Lock()
				in.attempted[email] = true
				in.mu.Unlock()
				status, err := submitOnce(c, first.url, email)
				if err != nil {
					select {
					case <-kill:
						return // the service is gone: expected
					default:
					}
					in.mu.Lock()
					in.errors = append(in.errors, fmt.Sprintf("%s: %v", email, err))
					in.mu.Unlock()
					return
				}
				in.mu.Lock()
				if status == http.StatusSeeOther {
					in.accepted[email] = true
				} else {
					in.errors = append(in.errors, fmt.Sprintf("%s: status %d", email, status))
				}
				n := len(in.accepted)
				in.mu.Unlock()
				if n >= killAfter {
					once.Do(func() { close(kill) })
				}
			}
		})
	}
	select {
	case <-kill:
	case <-time.After(60 * time.Second):
		once.Do(func() { close(kill) })
		t.Errorf("fewer than %d requests accepted in a minute", killAfter)
	}
	first.kill()
	wg.Wait()
	if len(in.errors) > 0 {
		t.Errorf("answers while the service was up: %v", in.errors)
	}
	sentBeforeKill := len(smtp.Messages())

	// The data as the crash left it: sound, and holding every request
	// whose person saw the "check your mailbox" page.
	db, err := sqlite.Open(ctx, filepath.Join(dataDir, "dsar.db"))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Errorf("integrity check after SIGKILL: %q, %v", v, err)
	}
	stored := storedEmails(t, db)
	db.Close()
	for email := range in.accepted {
		if stored[email] != 1 {
			t.Errorf("%s was accepted (303) but is stored %d times", email, stored[email])
		}
	}
	for email, n := range stored {
		if !in.attempted[email] || n != 1 {
			t.Errorf("%s stored %d times (attempted: %v)", email, n, in.attempted[email])
		}
	}
	t.Logf("%d accepted, %d stored (posts in flight at the kill may be stored without their 303), %d confirmation mails sent before the kill",
		len(in.accepted), len(stored), sentBeforeKill)

	// Started again, the service sends what the outbox still holds: one
	// confirmation per stored request, none twice.
	// The server may still read the last message out of the dead
	// process's socket: count what the first process sent just before the
	// second starts.
	sentByFirst := len(smtp.Messages())
	second := startProcess(t, bin, env)
	smtp.Wait(t, len(stored), mailWait)
	time.Sleep(quietAfter)
	second.stop()
	msgs := smtp.Messages()

	byID, byRcpt := map[string]int{}, map[string]int{}
	var dupIDs, dupRcpts []string
	for _, m := range msgs {
		id := m.Header.Get("Message-Id")
		if id == "" {
			t.Errorf("a mail without Message-ID to %v", m.To)
		}
		if byID[id]++; byID[id] == 2 {
			dupIDs = append(dupIDs, id)
		}
		if len(m.To) != 1 {
			t.Errorf("a mail to %v", m.To)
			continue
		}
		if byRcpt[m.To[0]]++; byRcpt[m.To[0]] == 2 {
			dupRcpts = append(dupRcpts, m.To[0])
		}
		if stored[m.To[0]] != 1 {
			t.Errorf("a mail to %s, which has no request", m.To[0])
		}
		if !strings.Contains(m.Subject, "DSAR-") {
			t.Errorf("subject %q", m.Subject)
		}
	}
	for email := range stored {
		if byRcpt[email] == 0 {
			t.Errorf("%s has a request but got no confirmation", email)
		}
	}

	db, err = sqlite.Open(ctx, filepath.Join(dataDir, "dsar.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Errorf("integrity check after the restart: %q, %v", v, err)
	}
	if due, err := db.DueMail(ctx, time.Now().Add(24*time.Hour), 1000); err != nil || len(due) != 0 {
		t.Errorf("%d mails still pending after the restart, %v", len(due), err)
	}
	t.Logf("%d mails received for %d requests; %d duplicate Message-IDs, %d recipients mailed twice",
		len(msgs), len(stored), len(dupIDs), len(dupRcpts))
	// What SMTP allows, and no more: the server stores a message before
	// its "250" reaches us, so a kill in that instant cannot be told from a
	// kill before the server had it, and the mail goes out again. The
	// journal, written the moment the 250 arrives, closes every other
	// window. So at most one mail may come twice: the one in flight at the
	// kill, that is the last the server received from the killed process, with the
	// same Message-ID, by which receivers drop the copy.
	if len(dupRcpts) > 0 {
		sort.Strings(dupRcpts)
		inFlight := ""
		if sentByFirst > 0 {
			inFlight = msgs[sentByFirst-1].Header.Get("Message-Id")
		}
		if len(dupRcpts) == 1 && len(dupIDs) == 1 && dupIDs[0] == inFlight && byID[inFlight] == 2 {
			t.Logf("the mail in flight at the kill (%s) was sent again with the same Message-ID: the server stored it before its reply reached the killed process", dupRcpts[0])
		} else {
			t.Errorf("recipients mailed twice: %v (duplicate Message-IDs: %v; the one in flight at the kill: %q)", dupRcpts, dupIDs, inFlight)
		}
	}
}

// storedEmails counts the requests of each address in the database.
func storedEmails(t *testing.T, db *sqlite.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for offset := 0; ; offset += 200 {
		items, _, err := db.FindQueue(context.Background(), dsar.QueueFilter{Today: dsar.DateOf(time.Now()), Offset: offset, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			out[it.Email]++
		}
		if len(items) < 200 {
			break
		}
	}
	n, err := db.CountRequests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range out {
		total += c
	}
	if total != n {
		t.Errorf("the queue lists %d requests, the table holds %d", total, n)
	}
	return out
}
