// Package smtptest runs a real SMTP server on the loopback interface for
// tests: it records what it receives, can be stopped and restarted to play a
// server that is down, and can refuse recipients with a chosen reply code.
package smtptest

import (
	"bytes"
	"io"
	"log"
	"net"
	netmail "net/mail"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/vracoop/dsar/internal/mail"
)

// Message is a mail the server accepted.
type Message struct {
	From    string   // envelope sender (MAIL FROM)
	To      []string // envelope recipients (RCPT TO)
	User    string   // the SMTP AUTH user name, if the client logged in
	Data    []byte   // the message as received
	Header  netmail.Header
	Subject string // decoded
	Text    string // decoded text/plain part
	HTML    string // decoded text/html part
}

// Server is an SMTP server on 127.0.0.1. It offers no TLS, and AUTH PLAIN
// without TLS, taking any credentials (or none).
type Server struct {
	addr string // fixed at Start, so that Restart comes back on the same port

	mu       sync.Mutex
	srv      *smtp.Server // nil while stopped
	msgs     []Message
	rcptCode int
	arrived  chan struct{} // closed and replaced when a message arrives
	onLogout func()        // called when a client says QUIT or hangs up
}

// Start starts a server on a free port; it stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Server{addr: l.Addr().String(), arrived: make(chan struct{})}
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{server: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(l)
}

// Addr returns the server's address, host:port.
func (s *Server) Addr() string { return s.addr }

// Host returns the server's IP address.
func (s *Server) Host() string {
	host, _, _ := net.SplitHostPort(s.addr)
	return host
}

// Port returns the server's port.
func (s *Server) Port() int {
	_, port, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(port)
	return n
}

// Messages returns the messages received so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait returns the messages received once there are at least n, and fails
// the test if they do not arrive within timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		msgs, arrived := append([]Message(nil), s.msgs...), s.arrived
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("smtptest: got %d messages after %v, want %d", len(msgs), timeout, n)
			return nil
		}
	}
}

// Stop closes the listener and every connection: the server is down until
// Restart. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Restart listens again on the same address after Stop.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	var l net.Listener
	var err error
	// The port is free once the old listener is closed; retry briefly in
	// case the kernel is slow to release it.
	for range 50 {
		if l, err = net.Listen("tcp", s.addr); err == nil {
			s.serve(l)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("smtptest: listen again on %s: %v", s.addr, err)
}

// FailRecipients makes every RCPT TO get the reply code (such as 451, a
// temporary failure, or 550, a permanent one) until it is reset with 0.
func (s *Server) FailRecipients(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcptCode = code
}

// OnLogout makes f run each time a client ends its session (QUIT or
// hang-up), before the server answers; nil removes it.
func (s *Server) OnLogout(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onLogout = f
}

func (s *Server) receive(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// session is one SMTP connection.
type session struct {
	server *Server
	user   string
	from   string
	to     []string
}

func (c *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (c *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, _ string) error {
		c.user = username
		return nil
	}), nil
}

func (c *session) Mail(from string, _ *smtp.MailOptions) error {
	c.from = from
	return nil
}

func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	c.server.mu.Lock()
	code := c.server.rcptCode
	c.server.mu.Unlock()
	if code != 0 {
		return &smtp.SMTPError{
			Code:         code,
			EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1},
			Message:      "Recipient refused by smtptest",
		}
	}
	c.to = append(c.to, to)
	return nil
}

func (c *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: c.from, To: append([]string(nil), c.to...), User: c.user, Data: data}
	// A message that does not parse is kept, raw, for the test to look at.
	if p, err := mail.ParseMessage(bytes.NewReader(data)); err == nil {
		m.Header, m.Subject, m.Text, m.HTML = p.Header, p.Subject, p.Text, p.HTML
	}
	c.server.receive(m)
	return nil
}

func (c *session) Reset() {
	c.from, c.to = "", nil
}

func (c *session) Logout() error {
	c.server.mu.Lock()
	f := c.server.onLogout
	c.server.mu.Unlock()
	if f != nil {
		f()
	}
	return nil
}

var _ smtp.AuthSession = (*session)(nil)
