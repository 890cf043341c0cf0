package odoo

import (
	"context"
	"errors"
	"fmt"
	"sort"
)

// ReadOptions narrow a search.
type ReadOptions struct {
	Limit    int // 0: no limit
	Offset   int
	Order    string // e.g. "id desc"
	Archived bool   // include archived records (context active_test false)
}

func (o ReadOptions) kwargs(kw map[string]any) map[string]any {
	if o.Limit > 0 {
		kw["limit"] = o.Limit
	}
	if o.Offset > 0 {
		kw["offset"] = o.Offset
	}
	if o.Order != "" {
		kw["order"] = o.Order
	}
	if o.Archived {
		kw["context"] = map[string]any{"active_test": false}
	}
	return kw
}

// SearchRead returns the fields of the records that match domain.
func (c *Client) SearchRead(ctx context.Context, model string, domain []any, fields []string, opt ReadOptions) ([]Record, error) {
	out, err := c.Execute(ctx, model, "search_read", nil, opt.kwargs(map[string]any{"domain": domainOrEmpty(domain), "fields": fields}))
	if err != nil {
		return nil, err
	}
	return toRecords(out), nil
}

// SearchCount returns how many records match domain.
func (c *Client) SearchCount(ctx context.Context, model string, domain []any, opt ReadOptions) (int, error) {
	out, err := c.ExecuteArgs(ctx, model, "search_count", nil, []Arg{{"domain", domainOrEmpty(domain)}}, opt.kwargs(map[string]any{}))
	return asInt(out), err
}

// Read returns the fields of the records ids.
func (c *Client) Read(ctx context.Context, model string, ids []int, fields []string) ([]Record, error) {
	out, err := c.Execute(ctx, model, "read", ids, map[string]any{"fields": fields, "context": map[string]any{"active_test": false}})
	if err != nil {
		return nil, err
	}
	return toRecords(out), nil
}

// Create makes one record and returns its id.
func (c *Client) Create(ctx context.Context, model string, values map[string]any) (int, error) {
	out, err := c.ExecuteArgs(ctx, model, "create", nil, []Arg{{"vals_list", []any{values}}}, nil)
	return firstID(out), err
}

// Write changes fields of the records ids.
func (c *Client) Write(ctx context.Context, model string, ids []int, values map[string]any) error {
	_, err := c.Execute(ctx, model, "write", ids, map[string]any{"vals": values})
	return err
}

// Unlink deletes the records ids.
func (c *Client) Unlink(ctx context.Context, model string, ids []int) error {
	_, err := c.Execute(ctx, model, "unlink", ids, nil)
	return err
}

// PostNote posts an internal note on a record of a mail.thread model and
// returns the message's id.
func (c *Client) PostNote(ctx context.Context, model string, id int, body string) (int, error) {
	out, err := c.Execute(ctx, model, "message_post", []int{id}, map[string]any{
		"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_note",
	})
	return firstID(out), err
}

// Field is what fields_get says of one field.
type Field struct {
	Name     string
	Type     string // char, many2one, one2many, date, ...
	Label    string
	Relation string // comodel of relational fields
	Store    bool
}

// fieldAttributes are asked of fields_get; a full fields_get faults on 19.
var fieldAttributes = []string{"type", "string", "relation", "store"}

// Fields returns the model's fields, asked once and cached. A model that is
// not installed gives ErrModelMissing.
func (c *Client) Fields(ctx context.Context, model string) (map[string]Field, error) {
	c.mu.Lock()
	f, ok := c.fields[model]
	absent := c.absent[model]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	if absent {
		return nil, &Error{Kind: ErrModelMissing, Instance: c.cfg.Name, Model: model, Method: "fields_get", Code: 2,
			Message: fmt.Sprintf("Object %s doesn't exist", model)}
	}
	out, err := c.Execute(ctx, model, "fields_get", nil, map[string]any{"attributes": fieldAttributes})
	if errors.Is(err, ErrModelMissing) {
		c.mu.Lock()
		c.absent[model] = true
		c.mu.Unlock()
	}
	if err != nil {
		return nil, err
	}
	raw, _ := out.(map[string]any)
	f = make(map[string]Field, len(raw))
	for name, v := range raw {
		attrs := Record(asMap(v))
		f[name] = Field{Name: name, Type: attrs.String("type"), Label: attrs.String("string"),
			Relation: attrs.String("relation"), Store: attrs.Bool("store")}
	}
	c.mu.Lock()
	c.fields[model] = f
	c.mu.Unlock()
	return f, nil
}

// Installed reports whether model exists on the instance.
func (c *Client) Installed(ctx context.Context, model string) (bool, error) {
	_, err := c.Fields(ctx, model)
	if errors.Is(err, ErrModelMissing) {
		return false, nil
	}
	return err == nil, err
}

// Existing returns, of the wanted fields, those the model has in this
// version (mobile, say, is gone in 19), in the order given.
func (c *Client) Existing(ctx context.Context, model string, wanted []string) ([]string, error) {
	f, err := c.Fields(ctx, model)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(wanted))
	for _, w := range wanted {
		if _, ok := f[w]; ok {
			out = append(out, w)
		}
	}
	return out, nil
}

// FieldNames returns the names of a model's fields, sorted.
func FieldNames(f map[string]Field) []string {
	names := make([]string, 0, len(f))
	for n := range f {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// firstID reads a method's answer that names one record: an id over
// XML-RPC (Odoo downgrades the recordset), a list of ids over JSON-2.
func firstID(v any) int {
	if list, ok := v.([]any); ok {
		if len(list) == 0 {
			return 0
		}
		return asInt(list[0])
	}
	return asInt(v)
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func domainOrEmpty(d []any) []any {
	if d == nil {
		return []any{}
	}
	return d
}
