package odoo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vracoop/dsar/internal/dsar"
)

// Identifiers are what the lookup searches for.
type Identifiers struct {
	Emails []string
	Phones []string
	Name   string // a weak hint: a match on the name alone is only "possible"
}

// normalized returns the identifiers in the form records are compared in.
func (id Identifiers) normalized() (emails, phones map[string]bool) {
	emails, phones = map[string]bool{}, map[string]bool{}
	for _, e := range id.Emails {
		if e = dsar.NormalizeEmail(e); e != "" {
			emails[e] = true
		}
	}
	for _, p := range id.Phones {
		if p = dsar.NormalizePhone(p); p != "" {
			phones[p] = true
		}
	}
	return emails, phones
}

// DefaultParallel bounds the calls in flight to one instance.
const DefaultParallel = 4

// Lookup searches every instance concurrently for the person and returns
// the snapshot. An instance that fails is recorded as a problem and does not
// stop the others.
func Lookup(ctx context.Context, clients []*Client, id Identifiers, now func() time.Time, parallel int) dsar.Lookup {
	if parallel < 1 {
		parallel = DefaultParallel
	}
	l := dsar.Lookup{StartedAt: now(), Emails: id.Emails, Phones: id.Phones, Name: id.Name}
	results := make([]instanceResult, len(clients))
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			s := &search{c: c, id: id, now: now, sem: make(chan struct{}, parallel), found: map[string]dsar.Finding{}}
			s.emails, s.phones = id.normalized()
			s.run(ctx)
			results[i] = s.result()
		})
	}
	wg.Wait()
	for _, r := range results {
		l.Findings = append(l.Findings, r.findings...)
		l.Skipped = append(l.Skipped, r.skipped...)
		l.Problems = append(l.Problems, r.problems...)
	}
	l.FinishedAt = now()
	return l
}

type instanceResult struct {
	findings          []dsar.Finding
	skipped, problems []dsar.LookupProblem
}

// search is the lookup on one instance.
type search struct {
	c              *Client
	id             Identifiers
	emails, phones map[string]bool
	now            func() time.Time
	sem            chan struct{}

	mu       sync.Mutex
	found    map[string]dsar.Finding // "model/id" -> finding
	skipped  []dsar.LookupProblem
	problems []dsar.LookupProblem
	searched map[string]bool
}

func (s *search) run(ctx context.Context) {
	// One call first: if the instance is down or refuses the login, say so
	// once rather than once per model.
	if _, err := s.c.Fields(ctx, "res.partner"); err != nil {
		s.problem("", err)
		return
	}
	s.searched = map[string]bool{}
	s.prefetchFields(ctx)
	// One search per model, every identifier in one domain: partners
	// first, since the other models hang on them.
	s.each(ctx, directSpecs[:1], func(spec searchSpec) []any { return s.directDomain(ctx, spec) })
	s.expandPartners(ctx)
	pids := s.partnerIDs()
	var specs []searchSpec
	if len(pids) > 0 {
		specs = slices.Clone(linkedSpecs)
	}
	specs = append(specs, directSpecs[1:]...)
	s.each(ctx, specs, func(spec searchSpec) []any {
		var leaves []any
		if d := s.directDomain(ctx, spec); d != nil {
			leaves = append(leaves, d)
		}
		if spec.PartnerField != "" && len(pids) > 0 {
			leaves = append(leaves, []any{spec.PartnerField, "in", pids})
		}
		return or(leaves)
	})
	// Partners that leads or users found by email point to.
	s.expandPartners(ctx)
	if pids = s.partnerIDs(); len(pids) == 0 {
		return
	}
	s.messages(ctx, pids)
	s.discover(ctx, pids)
}

// prefetchFields asks every model's fields at once, so that the searches
// that follow wait on one round trip of fields_get, not one per phase.
func (s *search) prefetchFields(ctx context.Context) {
	var wg sync.WaitGroup
	for _, m := range Models() {
		wg.Go(func() {
			s.sem <- struct{}{}
			defer func() { <-s.sem }()
			s.c.Fields(ctx, m) // errors surface, and are sorted out, at the search
		})
	}
	wg.Wait()
}

// each searches the specs concurrently, at most cap(s.sem) at a time.
func (s *search) each(ctx context.Context, specs []searchSpec, domain func(searchSpec) []any) {
	var wg sync.WaitGroup
	for _, spec := range specs {
		s.mu.Lock()
		s.searched[spec.Model] = true
		s.mu.Unlock()
		wg.Go(func() {
			s.sem <- struct{}{}
			defer func() { <-s.sem }()
			d := domain(spec)
			if d == nil {
				return
			}
			s.searchModel(ctx, spec, d)
		})
	}
	wg.Wait()
}

// searchModel runs one search_read and keeps the records that truly match.
func (s *search) searchModel(ctx context.Context, spec searchSpec, domain []any) {
	fields, err := s.c.Existing(ctx, spec.Model, spec.Fields)
	if err != nil {
		s.problemOrSkip(spec.Model, err)
		return
	}
	recs, err := s.c.SearchRead(ctx, spec.Model, domain, fields, ReadOptions{Archived: spec.Archived})
	if err != nil {
		s.problemOrSkip(spec.Model, err)
		return
	}
	for _, r := range recs {
		if m, via := s.classify(spec, r); m != "" {
			s.add(spec.Model, r, fields, m, via)
		}
	}
}

// directDomain ORs every identifier leaf for a model, or nil when there is
// nothing to search it with.
func (s *search) directDomain(ctx context.Context, spec searchSpec) []any {
	f, err := s.c.Fields(ctx, spec.Model)
	if err != nil {
		s.problemOrSkip(spec.Model, err)
		return nil
	}
	var leaves []any
	emails := sortedKeys(s.emails)
	if _, ok := f["email_normalized"]; ok && len(emails) > 0 && spec.Model != "res.users" {
		leaves = append(leaves, []any{"email_normalized", "in", emails})
	}
	for _, field := range spec.EmailFields {
		if _, ok := f[field]; !ok {
			continue
		}
		for _, e := range emails {
			leaves = append(leaves, []any{field, "ilike", e})
		}
	}
	for _, field := range spec.PhoneFields {
		if _, ok := f[field]; !ok {
			continue
		}
		for _, p := range s.id.Phones {
			if pat := dsar.PhoneSearchPattern(p); pat != "" {
				leaves = append(leaves, []any{field, "ilike", pat})
			}
		}
	}
	if name := strings.TrimSpace(s.id.Name); utf8.RuneCountInString(name) >= 3 {
		for _, field := range spec.NameFields {
			if _, ok := f[field]; ok {
				leaves = append(leaves, []any{field, "ilike", name})
			}
		}
	}
	return or(leaves)
}

// classify says how a record matches the person, or "" when the search
// over-matched (a phone pattern, a substring of an email).
func (s *search) classify(spec searchSpec, r Record) (dsar.Match, string) {
	if s.emails[dsar.NormalizeEmail(r.String("email_normalized"))] {
		return dsar.MatchEmail, ""
	}
	for _, f := range spec.EmailFields {
		if s.emails[dsar.NormalizeEmail(r.String(f))] {
			return dsar.MatchEmail, ""
		}
	}
	for _, f := range spec.PhoneFields {
		if s.phones[dsar.NormalizePhone(r.String(f))] {
			return dsar.MatchPhone, ""
		}
	}
	if spec.PartnerField != "" {
		if id, _ := r.Many2one(spec.PartnerField); id != 0 && s.isStrongPartner(id) {
			return dsar.MatchPartner, fmt.Sprintf("res.partner/%d", id)
		}
	}
	if spec.Posted {
		// A message posted on a record already found.
		return dsar.MatchPartner, fmt.Sprintf("%s/%d", r.String("model"), r.Int("res_id"))
	}
	name := strings.ToLower(strings.TrimSpace(s.id.Name))
	for _, f := range spec.NameFields {
		if name != "" && strings.Contains(strings.ToLower(r.String(f)), name) {
			return dsar.MatchName, ""
		}
	}
	return "", ""
}

func (s *search) isStrongPartner(id int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.found[fmt.Sprintf("res.partner/%d", id)]
	return ok && !f.Match.Possible()
}

// expandPartners adds the parent company and the child contacts of every
// partner matched by email or phone, and the partners of matched leads and
// users.
func (s *search) expandPartners(ctx context.Context) {
	want := map[int]string{}
	s.mu.Lock()
	for key, f := range s.found {
		if f.Match.Possible() {
			continue
		}
		for _, field := range []string{"parent_id", "partner_id"} {
			if id := refID(f.Fields[field+".id"]); id != 0 {
				want[id] = key
			}
		}
		for _, id := range splitIDs(f.Fields["child_ids"]) {
			want[id] = key
		}
	}
	for id := range want {
		if _, ok := s.found[fmt.Sprintf("res.partner/%d", id)]; ok {
			delete(want, id)
		}
	}
	s.mu.Unlock()
	if len(want) == 0 {
		return
	}
	spec := directSpecs[0]
	fields, err := s.c.Existing(ctx, spec.Model, spec.Fields)
	if err != nil {
		s.problemOrSkip(spec.Model, err)
		return
	}
	recs, err := s.c.Read(ctx, spec.Model, sortedKeys(want), fields)
	if err != nil {
		s.problemOrSkip(spec.Model, err)
		return
	}
	for _, r := range recs {
		s.add(spec.Model, r, fields, dsar.MatchPartner, want[r.ID()])
	}
}

// partnerIDs returns the ids of the partners that concern the person for
// sure: matched by email or phone, or linked to such a record.
func (s *search) partnerIDs() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int
	for _, f := range s.found {
		if f.Model == "res.partner" && !f.Match.Possible() {
			ids = append(ids, f.RecordID)
		}
	}
	sort.Ints(ids)
	return ids
}

// messages finds the chatter messages written by the person's partners or
// posted on the records found.
func (s *search) messages(ctx context.Context, pids []int) {
	leaves := []any{[]any{"author_id", "in", pids}}
	s.mu.Lock()
	byModel := map[string][]int{}
	for _, f := range s.found {
		if !f.Match.Possible() && f.Model != "mail.followers" && f.Model != "res.partner.bank" {
			byModel[f.Model] = append(byModel[f.Model], f.RecordID)
		}
	}
	s.mu.Unlock()
	for _, model := range sortedKeys(byModel) {
		ids := byModel[model]
		sort.Ints(ids)
		leaves = append(leaves, []any{"&", []any{"model", "=", model}, []any{"res_id", "in", ids}})
	}
	spec := searchSpec{Model: "mail.message", Fields: messageFields, PartnerField: "author_id", Posted: true}
	s.searchModel(ctx, spec, or(leaves))
}

func dsarSkip(instance, model, msg string) dsar.LookupProblem {
	return dsar.LookupProblem{Instance: instance, Model: model, Message: msg}
}

func (s *search) add(model string, r Record, fields []string, m dsar.Match, via string) {
	key := fmt.Sprintf("%s/%d", model, r.ID())
	f := dsar.Finding{Instance: s.c.Name(), Model: model, RecordID: r.ID(), DisplayName: r.DisplayName(),
		Match: m, Via: via, Fields: textFields(r, fields), ReadAt: s.now()}
	if active, ok := r["active"].(bool); ok && !active {
		f.Archived = true
	}
	if model == "mail.followers" {
		f.DisplayName = fmt.Sprintf("%s #%d", r.String("res_model"), r.Int("res_id"))
	}
	if f.DisplayName == "" {
		f.DisplayName = key
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.found[key]; ok && !stronger(m, old.Match) {
		return
	}
	s.found[key] = f
}

// stronger reports whether match a proves more than b.
func stronger(a, b dsar.Match) bool {
	rank := map[dsar.Match]int{dsar.MatchName: 0, dsar.MatchPartner: 1, dsar.MatchPhone: 2, dsar.MatchEmail: 3}
	return rank[a] > rank[b]
}

func (s *search) problemOrSkip(model string, err error) {
	if errors.Is(err, ErrModelMissing) {
		s.mu.Lock()
		s.skipped = append(s.skipped, dsar.LookupProblem{Instance: s.c.Name(), Model: model, Message: "model not installed"})
		s.mu.Unlock()
		return
	}
	s.problem(model, err)
}

func (s *search) problem(model string, err error) {
	msg := err.Error()
	var oe *Error
	if errors.As(err, &oe) && oe.Message != "" {
		msg = kindName(oe.Kind) + ": " + oe.Message
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.problems = append(s.problems, dsar.LookupProblem{Instance: s.c.Name(), Model: model, Message: msg, Retry: Retryable(err)})
}

func (s *search) result() instanceResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := instanceResult{skipped: s.skipped, problems: s.problems}
	for _, key := range sortedKeys(s.found) {
		out.findings = append(out.findings, s.found[key])
	}
	sort.SliceStable(out.findings, func(i, j int) bool {
		a, b := out.findings[i], out.findings[j]
		if a.Model != b.Model {
			return a.Model < b.Model
		}
		return a.RecordID < b.RecordID
	})
	return out
}

// or joins leaves with Odoo's prefix "|" operator; nil for none.
func or(leaves []any) []any {
	if len(leaves) == 0 {
		return nil
	}
	out := make([]any, 0, 2*len(leaves)-1)
	for range len(leaves) - 1 {
		out = append(out, "|")
	}
	for _, l := range leaves {
		if isDomain(l) {
			out = append(out, prefixed(l.([]any))...) // a whole domain in prefix notation
			continue
		}
		out = append(out, l)
	}
	return out
}

// prefixed writes out the implicit AND of a domain of leaves ([A, B]
// means A & B), so that it stays one term once spliced into another.
func prefixed(d []any) []any {
	if len(d) < 2 {
		return d
	}
	for _, t := range d {
		if _, ok := t.([]any); !ok {
			return d // already in prefix notation
		}
	}
	out := make([]any, 0, 2*len(d)-1)
	for range len(d) - 1 {
		out = append(out, "&")
	}
	return append(out, d...)
}

// isDomain tells a domain (a list of terms, or an operator and its terms)
// from a single leaf [field, operator, value].
func isDomain(v any) bool {
	sub, ok := v.([]any)
	if !ok || len(sub) == 0 {
		return false
	}
	switch x := sub[0].(type) {
	case []any:
		return true
	case string:
		return x == "&" || x == "|" || x == "!"
	}
	return false
}

// textFields turns the fields read into text for the snapshot. A many2one
// is kept as its name, with its id under "<field>.id".
func textFields(r Record, fields []string) map[string]string {
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		v := r[f]
		if pair, ok := v.([]any); ok && len(pair) == 2 {
			if name, ok := pair[1].(string); ok {
				out[f] = name
				out[f+".id"] = strconv.Itoa(asInt(pair[0]))
				continue
			}
		}
		out[f] = formatValue(v)
	}
	return out
}

// maxFieldText bounds one field's text in the snapshot (a long chatter body).
const maxFieldText = 4000

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "true"
		}
		return ""
	case string:
		if len(x) > maxFieldText {
			return x[:maxFieldText] + "…"
		}
		return x
	case int64, int, float64:
		if n := asInt(x); float64(n) == toFloat(x) {
			return strconv.Itoa(n)
		}
		return strconv.FormatFloat(toFloat(x), 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case int:
		return float64(x)
	}
	return 0
}

func refID(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func splitIDs(s string) []int {
	var out []int
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil && n != 0 {
			out = append(out, n)
		}
	}
	return out
}

func sortedKeys[K int | string, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
