package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// WebhookSignatureHeader carries the HMAC-SHA256 of a callback's body under
// the shop's secret, as "sha256=<hex>".
const WebhookSignatureHeader = "X-OpenDSR-Signature"

// webhookError is a failed callback: it concerns that one message (the
// worker goes on with the others), and is permanent when the receiver
// refused it for good.
type webhookError struct {
	err       error
	permanent bool
}

func (e *webhookError) Error() string { return e.err.Error() }
func (e *webhookError) Unwrap() error { return e.err }

// Dispatch sends mails through Mail and webhooks through HTTP.
type Dispatch struct {
	Mail   Sender
	Client *http.Client // for webhooks; its timeout bounds each call (default 10 s)
}

// Send implements Sender.
func (d Dispatch) Send(ctx context.Context, m dsar.Mail) error {
	if m.Kind != dsar.MailKindWebhook {
		return d.Mail.Send(ctx, m)
	}
	hc := d.Client
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.To, bytes.NewReader([]byte(m.Text)))
	if err != nil {
		return &webhookError{err: fmt.Errorf("webhook: %w", err), permanent: true}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(WebhookSignatureHeader, m.Subject)
	resp, err := hc.Do(req)
	if err != nil {
		return &webhookError{err: fmt.Errorf("webhook: %w", err)}
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return &webhookError{err: fmt.Errorf("webhook: %s", resp.Status)}
	}
	return &webhookError{err: fmt.Errorf("webhook: %s", resp.Status), permanent: true}
}

func webhookFailure(err error) (*webhookError, bool) {
	var we *webhookError
	ok := errors.As(err, &we)
	return we, ok
}
