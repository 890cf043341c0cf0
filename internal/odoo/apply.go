package odoo

import (
	"context"
	"errors"
	"fmt"
	"html"
	"maps"
	"slices"

	"github.com/vracoop/dsar/internal/dsar"
)

// ErrForbiddenStep refuses a step the connector never carries out, whatever
// a plan says: accounting documents are not altered or deleted.
var ErrForbiddenStep = errors.New("odoo: accounting documents are never altered")

// neverTouched are the models whose records are accounting documents.
var neverTouched = map[string]bool{"account.move": true, "account.move.line": true, "account.payment": true}

// Apply carries out one approved step of a plan on this instance and
// returns the fields it changed, before and after, masked.
func (c *Client) Apply(ctx context.Context, s dsar.Step) (before, after map[string]string, err error) {
	if !s.Acts() {
		return nil, nil, nil // kept, or done by hand: nothing to do in Odoo
	}
	if neverTouched[s.Model] && s.Kind != dsar.StepNote {
		return nil, nil, ErrForbiddenStep
	}
	switch s.Kind {
	case dsar.StepAnonymise, dsar.StepRectify:
		values := map[string]any{}
		for k, v := range s.Values {
			values[k] = v
		}
		if s.Archive {
			values["active"] = false
		}
		return c.writeTracked(ctx, s.Model, s.RecordID, values)
	case dsar.StepArchive:
		return c.writeTracked(ctx, s.Model, s.RecordID, map[string]any{"active": false})
	case dsar.StepDelete:
		before, err = c.snapshot(ctx, s.Model, s.RecordID, nil)
		if err != nil {
			return nil, nil, err
		}
		return before, nil, c.Unlink(ctx, s.Model, []int{s.RecordID})
	case dsar.StepOptOut:
		email := s.Values["email"]
		// An address already blacklisted makes create fail on the unique
		// constraint: look first.
		found, err := c.SearchRead(ctx, "mail.blacklist", []any{[]any{"email", "=", dsar.NormalizeEmail(email)}}, []string{"email"}, ReadOptions{Archived: true})
		if err != nil {
			return nil, nil, err
		}
		if len(found) > 0 {
			return nil, map[string]string{"email": dsar.Mask(email), "active": "true"},
				c.Write(ctx, "mail.blacklist", []int{found[0].ID()}, map[string]any{"active": true})
		}
		_, err = c.Create(ctx, "mail.blacklist", map[string]any{"email": email})
		return nil, map[string]string{"email": dsar.Mask(email)}, err
	case dsar.StepNote:
		_, err := c.PostNote(ctx, s.Model, s.RecordID, "<p>"+html.EscapeString(s.Values["body"])+"</p>")
		return nil, nil, err
	case dsar.StepKeep, dsar.StepManual:
		return nil, nil, nil
	}
	return nil, nil, fmt.Errorf("odoo: unknown step kind %q", s.Kind)
}

// writeTracked writes values and returns the changed fields, masked,
// before and after.
func (c *Client) writeTracked(ctx context.Context, model string, id int, values map[string]any) (before, after map[string]string, err error) {
	fields, err := c.Existing(ctx, model, slices.Sorted(maps.Keys(values)))
	if err != nil {
		return nil, nil, err
	}
	write := map[string]any{}
	for _, f := range fields {
		write[f] = wireValue(values[f])
	}
	if before, err = c.snapshot(ctx, model, id, fields); err != nil {
		return nil, nil, err
	}
	if err := c.Write(ctx, model, []int{id}, write); err != nil {
		return before, nil, err
	}
	after, err = c.snapshot(ctx, model, id, fields)
	return before, after, err
}

// snapshot reads fields of one record (all those of the lookup's specs when
// nil) and masks them.
func (c *Client) snapshot(ctx context.Context, model string, id int, fields []string) (map[string]string, error) {
	if fields == nil {
		for _, s := range append(slices.Clone(directSpecs), linkedSpecs...) {
			if s.Model == model {
				fields = s.Fields
			}
		}
		var err error
		if fields, err = c.Existing(ctx, model, append(fields, "display_name")); err != nil {
			return nil, err
		}
	}
	recs, err := c.Read(ctx, model, []int{id}, fields)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &Error{Kind: ErrUser, Instance: c.cfg.Name, Model: model, Method: "read", Message: "Record does not exist or has been deleted."}
	}
	return dsar.MaskAll(textFields(recs[0], fields)), nil
}

// wireValue sends an empty text as false, which is how Odoo stores an
// empty field.
func wireValue(v any) any {
	if s, ok := v.(string); ok && s == "" {
		return false
	}
	return v
}
