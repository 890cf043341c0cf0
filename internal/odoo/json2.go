package odoo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// json2Transport speaks the JSON-2 API of Odoo 19 and later:
// POST /json/2/<model>/<method> with a bearer API key, named arguments,
// ids and context in a JSON object.
type json2Transport struct {
	cfg Config
	hc  *http.Client
}

// json2Error is the body of a JSON-2 error answer.
type json2Error struct {
	Name      string `json:"name"`
	Message   string `json:"message"`
	Arguments []any  `json:"arguments"`
	Debug     string `json:"debug"`
}

func (t *json2Transport) post(ctx context.Context, path string, body any, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.cfg.URL+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", "bearer "+t.cfg.Password)
	if t.cfg.DB != "" {
		req.Header.Set("X-Odoo-Database", t.cfg.DB)
	}
	resp, err := t.hc.Do(req)
	if err != nil {
		return &Error{Kind: ErrUnavailable, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return &Error{Kind: ErrUnavailable, Err: err}
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, out); err != nil {
			return &Error{Kind: ErrUnavailable, Err: fmt.Errorf("decode answer: %w", err)}
		}
		return nil
	}
	var je json2Error
	_ = json.Unmarshal(data, &je)
	msg := je.Message
	if msg == "" {
		msg = resp.Status
	}
	return &Error{Kind: json2Kind(resp.StatusCode, je), Code: resp.StatusCode, Message: msg}
}

// json2Kind maps a JSON-2 error status to a kind.
func json2Kind(status int, je json2Error) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrAccessDenied
	case status == http.StatusForbidden:
		return ErrAccess
	case status == http.StatusNotFound && strings.Contains(je.Message, "model"):
		return ErrModelMissing
	case status == http.StatusNotFound && strings.Contains(je.Name, "MissingError"):
		return ErrUser
	case status == http.StatusNotFound:
		return ErrUnknownMethod
	case status == http.StatusUnprocessableEntity:
		return ErrUser
	case status == http.StatusTooManyRequests || status >= 502:
		return ErrUnavailable
	case strings.Contains(je.Message, "Invalid field"):
		return ErrInvalidField
	}
	return nil
}

// version asks /web/webclient/version_info, a JSON-RPC route (not JSON-2)
// that answers server_version, server_version_info and server_serie without
// authentication, as common.version does over XML-RPC.
func (t *json2Transport) version(ctx context.Context) (map[string]any, error) {
	var out struct {
		Result map[string]any `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	envelope := map[string]any{"jsonrpc": "2.0", "method": "call", "params": map[string]any{}, "id": 1}
	if err := t.post(ctx, "/web/webclient/version_info", envelope, &out); err != nil {
		return nil, err
	}
	if out.Error != nil {
		return nil, &Error{Kind: ErrUnavailable, Message: out.Error.Message}
	}
	return out.Result, nil
}

func (t *json2Transport) execute(ctx context.Context, model, method string, ids []int, pos []Arg, kwargs map[string]any) (any, error) {
	body := make(map[string]any, len(kwargs)+len(pos)+1)
	for k, v := range kwargs {
		body[k] = v
	}
	for _, a := range pos {
		body[a.Name] = a.Value
	}
	if ids != nil {
		body["ids"] = ids
	}
	var out any
	err := t.post(ctx, "/json/2/"+url.PathEscape(model)+"/"+url.PathEscape(method), body, &out)
	return out, err
}

func (t *json2Transport) login(context.Context) (int, error) { return 0, nil }
