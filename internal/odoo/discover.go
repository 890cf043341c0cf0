package odoo

import (
	"context"
	"errors"
	"strings"
)

// discover does what Odoo's privacy_lookup does, when the integration user
// may read ir.model.fields: it finds every other stored model with an
// email-like field or a link to res.partner, and searches those too.
// Without that right it notes the gap and stops: the fixed list of models
// has been searched.
func (s *search) discover(ctx context.Context, pids []int) {
	recs, err := s.c.SearchRead(ctx, "ir.model.fields", []any{
		"&", []any{"store", "=", true},
		"|", []any{"name", "in", emailLikeFields},
		"&", []any{"ttype", "=", "many2one"}, []any{"relation", "=", "res.partner"},
	}, []string{"model", "name", "ttype"}, ReadOptions{})
	if errors.Is(err, ErrAccess) || errors.Is(err, ErrModelMissing) {
		s.mu.Lock()
		s.skipped = append(s.skipped, dsarSkip(s.c.Name(), "ir.model.fields",
			"not readable by the integration user: only the known models were searched"))
		s.mu.Unlock()
		return
	} else if err != nil {
		s.problem("ir.model.fields", err)
		return
	}
	type target struct{ emailFields, partnerFields []string }
	targets := map[string]*target{}
	for _, r := range recs {
		model := r.String("model")
		s.mu.Lock()
		done := s.searched[model]
		s.mu.Unlock()
		if done || skipDiscovered(model) {
			continue
		}
		t := targets[model]
		if t == nil {
			t = &target{}
			targets[model] = t
		}
		if r.String("ttype") == "many2one" {
			t.partnerFields = append(t.partnerFields, r.String("name"))
		} else {
			t.emailFields = append(t.emailFields, r.String("name"))
		}
	}
	var specs []searchSpec
	domains := map[string][]any{}
	emails := sortedKeys(s.emails)
	for _, model := range sortedKeys(targets) {
		t := targets[model]
		var leaves []any
		for _, f := range t.emailFields {
			for _, e := range emails {
				leaves = append(leaves, []any{f, "ilike", e})
			}
		}
		for _, f := range t.partnerFields {
			leaves = append(leaves, []any{f, "in", pids})
		}
		spec := searchSpec{Model: model, Fields: append(append([]string{"display_name"}, t.emailFields...), t.partnerFields...),
			EmailFields: t.emailFields}
		if len(t.partnerFields) > 0 {
			spec.PartnerField = t.partnerFields[0]
		}
		specs = append(specs, spec)
		domains[model] = or(leaves)
	}
	s.each(ctx, specs, func(spec searchSpec) []any { return domains[spec.Model] })
}

// skipDiscovered leaves out models that hold no personal data of their own
// or that the fixed list covers by another road.
func skipDiscovered(model string) bool {
	for _, prefix := range []string{"ir.", "base.", "bus.", "mail.", "res.users", "res.company", "privacy.", "digest."} {
		if strings.HasPrefix(model, prefix) {
			return true
		}
	}
	return false
}
