package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/mail"
	"github.com/vracoop/dsar/internal/sqlite"
	"github.com/vracoop/dsar/internal/web"
)

// fuzzHarness is newHarness for a fuzz target: one server and one database
// for all the inputs of a fuzzing process (a *testing.F cannot make a
// harness, whose cleanups belong to one *testing.T). It serves the public
// pages only, without a rate limit, so that every input reaches the store.
func fuzzHarness(f *testing.F) *harness {
	gin.SetMode(gin.TestMode)
	db, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "dsar.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	h := &harness{db: db, now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	composer, err := mail.NewComposer("http://dsar.test")
	if err != nil {
		f.Fatal(err)
	}
	s, err := web.New(web.Options{Store: db, Mails: composer, Now: h.clock, BaseURL: "http://dsar.test",
		ConfirmTTL: 7 * 24 * time.Hour, StatusTTL: 180 * 24 * time.Hour, CSRFKey: []byte("0123456789abcdef0123456789abcdef"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	h.srv = httptest.NewServer(s)
	f.Cleanup(h.srv.Close)
	return h
}

// Content types a fuzzed post is sent with.
const (
	ctForm = iota
	ctMultipart
	ctText
	ctNone
	ctFormCharset
	numContentTypes
)

// FuzzFormPost posts arbitrary bodies to the public form through the real
// server and store: whatever arrives, the answer is a refusal the person
// can read or a redirect after exactly one stored request, never a 500.
func FuzzFormPost(f *testing.F) {
	h := fuzzHarness(f)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(h.srv.URL + "/")
	if err != nil {
		f.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindSubmatch(b)
	if m == nil {
		f.Fatal("no CSRF token on the form")
	}
	token := string(m[1])

	valid := validForm("")
	valid.Del("csrf_token")
	seeds := []string{
		valid.Encode(),
		"name=Jeanne&email=jeanne%40example.fr&relationship=prospect&kinds=access",
		"name=Jeanne&email=jeanne%40example.fr&relationship=loyalty&shop_name=Vrac&shop_town=Pau&kinds=rectification&rectify_wrong=a&rectify_correct=b",
		"name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&email=x%40example.fr&relationship=other&kinds=erasure&details=%27+OR+1%3D1+--",
		"name=a%0D%0ABcc%3A+x%40y.z&email=a%40b.fr%0D%0ABcc%3A+x%40y.z&relationship=other&kinds=access",
		"name=%FF%FE&email=%C0%80%40example.fr&relationship=other&kinds=access",
		"name=A&name=B&email=a%40example.fr&email=b%40example.fr&relationship=other&relationship=boss&kinds=access&kinds=access",
		"name=Jeanne&email=jeanne%40example.fr&relationship=prospect&kinds=access&website=http%3A%2F%2Fspam",
		"name=%zz&email=;&kinds",
		"a=1;b=2",
		"csrf_token=forged&name=Jeanne",
		"=&&&==&%",
		"",
	}
	for _, s := range seeds {
		for ct := range numContentTypes {
			f.Add([]byte(s), true, uint8(ct), uint8(0))
		}
		f.Add([]byte(s), false, uint8(ctForm), uint8(0))
	}
	f.Add([]byte(valid.Encode()), true, uint8(ctForm), uint8(70))
	f.Add([]byte(valid.Encode()), true, uint8(ctForm), uint8(6))

	f.Fuzz(func(t *testing.T, body []byte, withCSRF bool, contentType, padKB uint8) {
		h.t = t
		if withCSRF {
			body = append([]byte("csrf_token="+token+"&"), body...)
		}
		if pad := int(padKB) % 80; pad > 0 {
			// A huge value: 64 KiB is the limit of a post.
			body = append(body, "&details="...)
			body = append(body, bytes.Repeat([]byte("A"), pad<<10)...)
		}
		ct := "application/x-www-form-urlencoded"
		switch contentType % numContentTypes {
		case ctMultipart:
			body, ct = multipartOf(body)
		case ctText:
			ct = "text/plain"
		case ctNone:
			ct = ""
		case ctFormCharset:
			ct += "; charset=ISO-8859-1"
		}
		before, outbox := h.count(), h.outbox()
		req, err := http.NewRequest("POST", h.srv.URL+"/", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()

		switch resp.StatusCode {
		case http.StatusSeeOther, http.StatusBadRequest, http.StatusForbidden, http.StatusRequestEntityTooLarge,
			http.StatusUnprocessableEntity, http.StatusTooManyRequests:
		default:
			t.Fatalf("status %d for %q (%s)\n%s", resp.StatusCode, truncate(body), ct, page)
		}
		if resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("status %d without its security headers", resp.StatusCode)
		}
		after, outboxAfter := h.count(), h.outbox()
		if resp.StatusCode == http.StatusSeeOther {
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/submitted?lang=") {
				t.Errorf("redirected to %q", loc)
			}
			if after != before+1 || outboxAfter != outbox+1 {
				t.Fatalf("a 303 stored %d requests and %d mails, want 1 and 1", after-before, outboxAfter-outbox)
			}
			return
		}
		if after != before || outboxAfter != outbox {
			t.Fatalf("status %d but %d requests and %d mails stored", resp.StatusCode, after-before, outboxAfter-outbox)
		}
		if !bytes.Contains(page, []byte(`name="csrf_token"`)) {
			t.Errorf("status %d does not give the form back", resp.StatusCode)
		}
	})
}

// multipartOf sends the fields of an urlencoded body as multipart, or the
// raw bytes as one part when they do not parse.
func multipartOf(body []byte) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if v, err := url.ParseQuery(string(body)); err == nil {
		for k, vals := range v {
			for _, val := range vals {
				w.WriteField(k, val)
			}
		}
	} else {
		w.WriteField("details", string(body))
	}
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}
