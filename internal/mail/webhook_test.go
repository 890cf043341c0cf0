package mail_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
)

// TestWebhookFailures: a callback the receiver may take later (408, 429,
// 5xx, no answer) is tried again; one it refused for good (other 4xx) is
// not; either way the failure concerns that one callback.
func TestWebhookFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		if r.Header.Get(mail.WebhookSignatureHeader) != "sha256=00" {
			code = http.StatusTeapot
		}
		w.WriteHeader(code)
	}))
	defer srv.Close()
	d := mail.Dispatch{}
	for code, permanent := range map[int]bool{408: false, 429: false, 500: false, 503: false, 400: true, 404: true, 410: true} {
		err := d.Send(context.Background(), dsar.Mail{Kind: dsar.MailKindWebhook, To: srv.URL + "/?code=" + strconv.Itoa(code), Subject: "sha256=00", Text: "{}"})
		if err == nil || mail.Permanent(err) != permanent {
			t.Errorf("%d: err %v, permanent %v, want %v", code, err, mail.Permanent(err), permanent)
		}
	}
	if err := d.Send(context.Background(), dsar.Mail{Kind: dsar.MailKindWebhook, To: srv.URL + "/?code=204", Subject: "sha256=00", Text: "{}"}); err != nil {
		t.Errorf("204: %v", err)
	}
	srv.Close()
	if err := d.Send(context.Background(), dsar.Mail{Kind: dsar.MailKindWebhook, To: srv.URL + "/?code=204", Subject: "sha256=00", Text: "{}"}); err == nil || mail.Permanent(err) {
		t.Errorf("receiver down: err %v, permanent %v, want a temporary failure", err, mail.Permanent(err))
	}
}
