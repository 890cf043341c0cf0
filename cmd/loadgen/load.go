package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// client is one virtual browser: its own cookies, a shared connection pool.
type client struct {
	http    *http.Client
	base    string
	cookies string // the Cookie header: every cookie the server set
	csrf    string
}

func newHTTPClient(conns int) *http.Client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// open GETs a page with a form and keeps its cookies and CSRF token, as a
// browser does before it posts.
func (c *client) open(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	if c.cookies != "" {
		req.Header.Set("Cookie", c.cookies)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	c.keepCookies(resp)
	m := csrfRe.FindSubmatch(body)
	if m == nil {
		return fmt.Errorf("GET %s: no CSRF token in the page", path)
	}
	c.csrf = string(m[1])
	return nil
}

func (c *client) keepCookies(resp *http.Response) {
	jar := map[string]string{}
	var order []string
	for _, kv := range strings.Split(c.cookies, "; ") {
		if name, _, ok := strings.Cut(kv, "="); ok {
			jar[name] = kv
			order = append(order, name)
		}
	}
	for _, ck := range resp.Cookies() {
		if _, ok := jar[ck.Name]; !ok {
			order = append(order, ck.Name)
		}
		jar[ck.Name] = ck.Name + "=" + ck.Value
	}
	parts := make([]string, 0, len(order))
	for _, name := range order {
		parts = append(parts, jar[name])
	}
	c.cookies = strings.Join(parts, "; ")
}

// do sends one request and returns its status, reading the body whole as
// a browser would.
func (c *client) do(ctx context.Context, method, path string, form url.Values) (*http.Response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.cookies != "" {
		req.Header.Set("Cookie", c.cookies)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, err
}

// login opens the staff login page and logs in, keeping the session cookie.
func (c *client) login(ctx context.Context, email, password string) error {
	if err := c.open(ctx, "/staff/login"); err != nil {
		return err
	}
	resp, err := c.do(ctx, http.MethodPost, "/staff/login",
		url.Values{"csrf_token": {c.csrf}, "email": {email}, "password": {password}})
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("staff login: %s", resp.Status)
	}
	c.keepCookies(resp)
	return nil
}

// phase is one measurement: clients send requests for a duration, either
// each as soon as its previous answer came (closed loop) or at a fixed
// total rate (open loop, latency counted from when each request was due,
// so that a stalled server is not hidden by clients waiting for it).
type phase struct {
	name     string
	clients  []*client
	duration time.Duration
	warmup   time.Duration
	rate     float64 // requests per second in all; 0: closed loop
	pid      int     // the measured server's process, when known, for its CPU use
	// send makes client i's n-th request; ok says whether the answer is
	// the expected one.
	send func(ctx context.Context, c *client, i, n int) (ok bool, err error)
}

type result struct {
	Name      string
	Clients   int
	Rate      float64
	Duration  time.Duration
	Requests  int
	Errors    int
	FirstErr  string
	PerSecond float64
	P50       time.Duration
	P90       time.Duration
	P99       time.Duration
	Max       time.Duration
	PeakRSS   int64 // kB, VmHWM of the server process; 0 when unknown
	CPU       cpuUse
}

// run runs the phase: a warm-up whose requests are not counted, then the
// measured duration. Requests still in flight at the end are not counted.
func (p phase) run(ctx context.Context) result {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var measuring atomic.Bool
	var dropped atomic.Int64
	start := time.Now()
	measureFrom := start.Add(p.warmup)
	end := measureFrom.Add(p.duration)

	var due chan time.Time
	if p.rate > 0 {
		due = make(chan time.Time, 1<<16)
		go func() {
			defer close(due)
			interval := time.Duration(float64(time.Second) / p.rate)
			for t := start; t.Before(end); t = t.Add(interval) {
				if d := time.Until(t); d > 0 {
					select {
					case <-time.After(d):
					case <-ctx.Done():
						return
					}
				}
				select {
				case due <- t:
				default: // the clients are that far behind: an error
					if measuring.Load() {
						dropped.Add(1)
					}
				}
			}
		}()
	}
	cpu := make(chan cpuUse, 1)
	go func() {
		select {
		case <-time.After(time.Until(measureFrom)):
			measuring.Store(true)
		case <-ctx.Done():
			cpu <- cpuUse{}
			return
		}
		first := sampleCPU(p.pid)
		select {
		case <-time.After(time.Until(end)):
			cpu <- cpuBetween(first, sampleCPU(p.pid))
		case <-ctx.Done():
			cpu <- cpuUse{}
		}
	}()

	type tally struct {
		lat    []time.Duration
		errors int
		first  string
	}
	tallies := make([]tally, len(p.clients))
	var wg sync.WaitGroup
	for i, c := range p.clients {
		wg.Go(func() {
			t := &tallies[i]
			for n := 0; ; n++ {
				var sent time.Time
				if due != nil {
					var ok bool
					if sent, ok = <-due; !ok {
						return
					}
				} else {
					sent = time.Now()
				}
				if !sent.Before(end) || ctx.Err() != nil {
					return
				}
				counted := measuring.Load()
				ok, err := p.send(ctx, c, i, n)
				done := time.Now()
				if done.After(end) {
					return
				}
				if !counted {
					continue
				}
				if !ok {
					t.errors++
					if t.first == "" && err != nil {
						t.first = err.Error()
					}
					continue
				}
				t.lat = append(t.lat, done.Sub(sent))
			}
		})
	}
	wg.Wait()

	r := result{Name: p.name, Clients: len(p.clients), Rate: p.rate, Duration: p.duration, CPU: <-cpu}
	var all []time.Duration
	for _, t := range tallies {
		all = append(all, t.lat...)
		r.Errors += t.errors
		if r.FirstErr == "" {
			r.FirstErr = t.first
		}
	}
	if n := dropped.Load(); n > 0 {
		r.Errors += int(n)
		if r.FirstErr == "" {
			r.FirstErr = fmt.Sprintf("%d requests not sent: every client was busy", n)
		}
	}
	slices.Sort(all)
	r.Requests = len(all)
	r.PerSecond = float64(len(all)) / p.duration.Seconds()
	if len(all) > 0 {
		pct := func(q float64) time.Duration { return all[min(len(all)-1, int(q*float64(len(all))))] }
		r.P50, r.P90, r.P99, r.Max = pct(0.50), pct(0.90), pct(0.99), all[len(all)-1]
	}
	return r
}

// intakeForm is a valid request form with an address no other request has.
func intakeForm(csrf, email string) url.Values {
	return url.Values{
		"csrf_token": {csrf}, "name": {"Charge Test"}, "email": {email},
		"relationship": {"customer"}, "kinds": {"access", "erasure"},
		"details": {"Requête envoyée par loadgen."},
	}
}

// intakeSend returns the send function of an intake phase: a POST of the
// form, answered 303 when the request is stored. It records the addresses
// of acknowledged requests in acked, when not nil.
func intakeSend(run string, acked *ackLog) func(ctx context.Context, c *client, i, n int) (bool, error) {
	return func(ctx context.Context, c *client, i, n int) (bool, error) {
		email := fmt.Sprintf("lg-%s-%d-%d@loadgen.example", run, i, n)
		resp, err := c.do(ctx, http.MethodPost, "/", intakeForm(c.csrf, email))
		if err != nil {
			return false, err
		}
		if resp.StatusCode != http.StatusSeeOther {
			return false, errors.New("POST /: " + resp.Status)
		}
		acked.add(email)
		return true, nil
	}
}

// getSend returns the send function of a phase of GETs of paths, in turn.
func getSend(paths []string) func(ctx context.Context, c *client, i, n int) (bool, error) {
	return func(ctx context.Context, c *client, i, n int) (bool, error) {
		path := paths[(i+n)%len(paths)]
		resp, err := c.do(ctx, http.MethodGet, path, nil)
		if err != nil {
			return false, err
		}
		if resp.StatusCode != http.StatusOK {
			return false, errors.New("GET " + path + ": " + resp.Status)
		}
		return true, nil
	}
}

// ackLog collects the addresses of the requests the service acknowledged.
type ackLog struct {
	mu     sync.Mutex
	emails []string
}

func (a *ackLog) add(email string) {
	if a == nil {
		return
	}
	a.mu.Lock()
	a.emails = append(a.emails, email)
	a.mu.Unlock()
}

func (a *ackLog) all() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.emails)
}
