package odoo

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/kolo/xmlrpc"
)

// maxResponse bounds what one answer may weigh: a person's records, not a
// database dump.
const maxResponse = 64 << 20

// xmlrpcTransport speaks /xmlrpc/2/common and /xmlrpc/2/object. kolo's own
// client has no deadline, so requests are built with xmlrpc.NewRequest and
// sent with our http.Client and the call's context.
type xmlrpcTransport struct {
	cfg Config
	hc  *http.Client

	mu  sync.Mutex
	uid int // 0 until authenticated
}

func (t *xmlrpcTransport) call(ctx context.Context, service, method string, args []any, out any) error {
	req, err := xmlrpc.NewRequest(t.cfg.URL+"/xmlrpc/2/"+service, method, args)
	if err != nil {
		return fmt.Errorf("encode %s: %w", method, err)
	}
	resp, err := t.hc.Do(req.WithContext(ctx))
	if err != nil {
		return &Error{Kind: ErrUnavailable, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return &Error{Kind: ErrUnavailable, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return &Error{Kind: ErrUnavailable, Code: resp.StatusCode, Message: resp.Status}
	}
	if err := checkNesting(body, maxNesting); err != nil {
		return &Error{Kind: ErrUnavailable, Err: err}
	}
	r := xmlrpc.Response(body)
	if err := r.Err(); err != nil {
		var fault xmlrpc.FaultError
		if errors.As(err, &fault) {
			kind, msg := classifyFault(fault.Code, fault.String)
			return &Error{Kind: kind, Code: fault.Code, Message: msg}
		}
		return &Error{Kind: ErrUnavailable, Err: fmt.Errorf("decode fault: %w", err)}
	}
	if err := r.Unmarshal(out); err != nil {
		return &Error{Kind: ErrUnavailable, Err: fmt.Errorf("decode answer: %w", err)}
	}
	return nil
}

func (t *xmlrpcTransport) version(ctx context.Context) (map[string]any, error) {
	var out map[string]any
	err := t.call(ctx, "common", "version", []any{}, &out)
	return out, err
}

// login authenticates once and keeps the uid. Odoo answers false, not a
// fault, to a wrong password — and also during its login cooldown.
func (t *xmlrpcTransport) login(ctx context.Context) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.uid != 0 {
		return t.uid, nil
	}
	var out any
	if err := t.call(ctx, "common", "authenticate", []any{t.cfg.DB, t.cfg.Login, t.cfg.Password, map[string]any{}}, &out); err != nil {
		return 0, err
	}
	uid := asInt(out)
	if uid == 0 {
		return 0, &Error{Kind: ErrAccessDenied, Code: 3,
			Message: "authenticate returned false: wrong login, password or API key, or too many recent failures"}
	}
	t.uid = uid
	return uid, nil
}

func (t *xmlrpcTransport) execute(ctx context.Context, model, method string, ids []int, pos []Arg, kwargs map[string]any) (any, error) {
	args := []any{}
	if ids != nil {
		args = append(args, intsToAny(ids))
	}
	for _, a := range pos {
		args = append(args, toWire(a.Value))
	}
	uid, err := t.login(ctx)
	if err != nil {
		return nil, err
	}
	var out any
	err = t.call(ctx, "object", "execute_kw", []any{t.cfg.DB, uid, t.cfg.Password, model, method, args, toWire(kwargs)}, &out)
	if errors.Is(err, ErrAccessDenied) {
		// The password may have changed: authenticate again next time.
		t.mu.Lock()
		t.uid = 0
		t.mu.Unlock()
	}
	return out, err
}

// maxNesting bounds how deep an answer's elements nest. kolo decodes
// recursively: an answer nested a million levels deep would overflow the
// stack and kill the process, whoever sent it. Real answers stay under 20.
const maxNesting = 256

// checkNesting refuses an XML document nested deeper than max, in one
// streaming pass that keeps nothing but a counter.
func checkNesting(body []byte, max int) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	depth := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("malformed answer: %w", err)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > max {
				return fmt.Errorf("answer nested more than %d levels deep: refused", max)
			}
		case xml.EndElement:
			depth--
		}
	}
}

// toWire prepares a value for XML-RPC: Odoo never takes <nil/>, and kolo
// would send a nil as an empty value, so nil becomes false.
func toWire(v any) any {
	switch x := v.(type) {
	case nil:
		return false
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = toWire(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toWire(e)
		}
		return out
	case []int:
		return intsToAny(x)
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	}
	return v
}

func intsToAny(ids []int) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
