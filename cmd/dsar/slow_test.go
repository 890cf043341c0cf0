package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/sqlite"
)

// Slow clients against the real service: the http.Server is built inside
// serve, so its timeouts are checked by behaviour. ReadHeaderTimeout (5 s)
// and ReadTimeout (20 s) are observed; WriteTimeout (30 s) and IdleTimeout
// (90 s) would take too long to watch in CI and are not.

// dialService opens a raw TCP connection to the service.
func dialService(t *testing.T, svc *service) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(svc.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// waitClosed reads until the server closes the connection (or answers and
// closes it) and returns how long that took from start, and what was read.
// It fails the test if the connection is still open after limit.
func waitClosed(t *testing.T, conn net.Conn, start time.Time, limit time.Duration) (time.Duration, string) {
	t.Helper()
	conn.SetReadDeadline(start.Add(limit))
	got, err := io.ReadAll(conn)
	elapsed := time.Since(start)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("connection still open after %v (read %q)", elapsed.Round(time.Millisecond), got)
	}
	return elapsed, string(got)
}

// TestSlowHeaderIsCut: a client that sends half a request header and
// waits, or trickles it a byte at a time (slowloris), is cut off at
// ReadHeaderTimeout, 5 s after it connected.
func TestSlowHeaderIsCut(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the server's header timeout")
	}
	t.Parallel()
	svc := startService(t, baseEnv(t, nil))
	t.Run("half a header, then silence", func(t *testing.T) {
		t.Parallel()
		conn := dialService(t, svc)
		start := time.Now()
		if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: dsar.test\r\nAccept-Lang"); err != nil {
			t.Fatal(err)
		}
		elapsed, got := waitClosed(t, conn, start, 10*time.Second)
		if elapsed < 4*time.Second {
			t.Errorf("closed after %v, before the header timeout: %q", elapsed, got)
		}
		if strings.HasPrefix(got, "HTTP/1.1 200") {
			t.Errorf("a half header was served: %q", got)
		}
		t.Logf("closed after %v", elapsed.Round(time.Millisecond))
	})
	t.Run("a byte every 250 ms", func(t *testing.T) {
		t.Parallel()
		conn := dialService(t, svc)
		start := time.Now()
		done := make(chan struct{})
		defer close(done)
		go func() {
			header := "GET / HTTP/1.1\r\nHost: dsar.test\r\nX-Slow: " + strings.Repeat("a", 200)
			for i := 0; i < len(header); i++ {
				if _, err := conn.Write([]byte{header[i]}); err != nil {
					return
				}
				select {
				case <-done:
					return
				case <-time.After(250 * time.Millisecond):
				}
			}
		}()
		elapsed, got := waitClosed(t, conn, start, 10*time.Second)
		if elapsed < 4*time.Second {
			t.Errorf("closed after %v: %q", elapsed, got)
		}
		t.Logf("closed after %v", elapsed.Round(time.Millisecond))
	})
	t.Run("a header over MaxHeaderBytes", func(t *testing.T) {
		t.Parallel()
		conn := dialService(t, svc)
		start := time.Now()
		go io.WriteString(conn, "GET / HTTP/1.1\r\nHost: dsar.test\r\nX-Big: "+strings.Repeat("a", 256<<10)+"\r\n\r\n")
		_, got := waitClosed(t, conn, start, 10*time.Second)
		if !strings.HasPrefix(got, "HTTP/1.1 431") {
			t.Errorf("a 256 KiB header: %.60q", got)
		}
	})
}

// TestSlowBodyIsCut: a client that sends its headers, then less body than
// it announced, is cut off at ReadTimeout (20 s after it connected), and
// what it sent is not stored.
func TestSlowBodyIsCut(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the server's read timeout")
	}
	t.Parallel()
	env := baseEnv(t, nil)
	svc := startService(t, env)
	// A valid form, with its CSRF cookie and token, so that only the
	// missing bytes keep it from being stored.
	p := newPerson(t)
	page := p.get(svc.url + "/")
	u, _ := url.Parse(svc.url)
	var cookies []string
	for _, c := range p.c.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	form := url.Values{"csrf_token": {csrf(t, page)}, "name": {"Jeanne Dupont"}, "email": {"slow@example.fr"},
		"relationship": {"prospect"}, "kinds": {"access"}}.Encode()
	conn := dialService(t, svc)
	start := time.Now()
	if _, err := io.WriteString(conn, "POST / HTTP/1.1\r\nHost: dsar.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Cookie: "+strings.Join(cookies, "; ")+"\r\n"+
		fmt.Sprintf("Content-Length: %d\r\n\r\n", len(form)+100)+form); err != nil {
		t.Fatal(err)
	}
	elapsed, got := waitClosed(t, conn, start, 30*time.Second)
	if elapsed < 15*time.Second {
		t.Errorf("cut after %v, before the read timeout", elapsed)
	}
	if got != "" {
		resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(got)), nil)
		if err != nil || resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("answer to a truncated body: %.80q, %v", got, err)
		}
	}
	t.Logf("cut after %v", elapsed.Round(time.Millisecond))
	if entries, _ := os.ReadDir(env["DSAR_DATA_DIR"] + "/mail"); len(entries) != 0 {
		t.Errorf("a truncated post produced %d mails", len(entries))
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(env["DSAR_DATA_DIR"], "dsar.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.CountRequests(context.Background()); err != nil || n != 0 {
		t.Errorf("a truncated post stored %d requests (%v)", n, err)
	}
}
