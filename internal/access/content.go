package access

import (
	"cmp"
	"iter"
	"slices"
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// content is what a package discloses, in the order it is written. It
// refers to the lookup's findings by index rather than copying them, so
// that a large lookup is not held twice.
type content struct {
	in        *Input
	lang      string
	instances []instanceGroup
	records   int
	excluded  int
}

// instanceGroup is the records disclosed from one Odoo instance.
type instanceGroup struct {
	Name   string
	Models []modelGroup
}

// modelGroup is the records disclosed from one model of an instance,
// ordered by id.
type modelGroup struct {
	Instance, Model string
	findings        []dsar.Finding
	order           []int // indices into findings
}

// newContent selects the findings to disclose and sorts them by instance,
// model and id.
func newContent(in *Input) *content {
	c := &content{in: in, lang: lang(in.Request.Lang)}
	fs := in.Lookup.Findings
	keep := selection(*in)
	order := make([]int, 0, len(fs))
	for i, k := range keep {
		if k {
			order = append(order, i)
		}
	}
	c.records, c.excluded = len(order), len(fs)-len(order)
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(strings.Compare(fs[a].Instance, fs[b].Instance),
			strings.Compare(fs[a].Model, fs[b].Model),
			cmp.Compare(fs[a].RecordID, fs[b].RecordID))
	})
	for start := 0; start < len(order); {
		f := &fs[order[start]]
		end := start + 1
		for end < len(order) && fs[order[end]].Instance == f.Instance && fs[order[end]].Model == f.Model {
			end++
		}
		if n := len(c.instances); n == 0 || c.instances[n-1].Name != f.Instance {
			c.instances = append(c.instances, instanceGroup{Name: f.Instance})
		}
		ig := &c.instances[len(c.instances)-1]
		ig.Models = append(ig.Models, modelGroup{Instance: f.Instance, Model: f.Model, findings: fs, order: order[start:end]})
		start = end
	}
	return c
}

// lang returns the package's language: "en", or "fr" for anything else.
func lang(s string) string {
	if s == "en" {
		return "en"
	}
	return "fr"
}

// models iterates over every model group of every instance.
func (c *content) models() iter.Seq[*modelGroup] {
	return func(yield func(*modelGroup) bool) {
		for i := range c.instances {
			for j := range c.instances[i].Models {
				if !yield(&c.instances[i].Models[j]) {
					return
				}
			}
		}
	}
}

// records iterates over the group's findings, by id.
func (g *modelGroup) records() iter.Seq[*dsar.Finding] {
	return func(yield func(*dsar.Finding) bool) {
		for _, i := range g.order {
			if !yield(&g.findings[i]) {
				return
			}
		}
	}
}

// internalField reports whether a field is an Odoo reference kept by the
// lookup beside the name it points to ("partner_id.id" next to
// "partner_id"). It is a database id that means nothing to the person and
// is left out of every file; the name stays.
func internalField(name string) bool {
	return strings.HasSuffix(name, ".id")
}

// fieldNames returns the names of a record's fields that are disclosed,
// sorted.
func fieldNames(f *dsar.Finding) []string {
	names := make([]string, 0, len(f.Fields))
	for name := range f.Fields {
		if !internalField(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// disclosedFields returns the record's fields without the internal ones,
// reusing the record's own map when it has none.
func disclosedFields(f *dsar.Finding) map[string]string {
	if f.Fields == nil {
		return map[string]string{}
	}
	for name := range f.Fields {
		if internalField(name) {
			out := make(map[string]string, len(f.Fields))
			for k, v := range f.Fields {
				if !internalField(k) {
					out[k] = v
				}
			}
			return out
		}
	}
	return f.Fields
}
