package access

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"iter"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
	"github.com/vracoop/dsar/internal/register"
)

//go:embed report.html.tmpl
var templateFS embed.FS

// reportTemplate is parsed once: a broken template fails every test and
// the program's start, not a request.
var reportTemplate = template.Must(template.ParseFS(templateFS, "report.html.tmpl"))

// reportView is what the report template shows. Records are produced one
// at a time while the template runs (Records is an iterator), so that the
// report of a large lookup is never held in memory.
type reportView struct {
	Lang, Title            string
	Notice                 register.Notice
	DataTitle, DataIntro   string
	DataReadOn, DataNone   string
	DataLeftOut            string
	FoundBy, Archived      string
	Instances              []instanceView
	PortalTitle            string
	Portal                 []Section
	Reference, GeneratedOn string
}

type instanceView struct {
	Name   string
	Models []modelView
}

type modelView struct {
	Label, Model string
	group        *modelGroup
	c            *content
}

type recordView struct {
	ID          int
	DisplayName string
	Archived    bool
	FoundBy     string
	Fields      []fieldView
}

// fieldView is one field of a record: its label for people, its technical
// name when the label differs, and its value, always shown as text.
type fieldView struct {
	Label, Tech, Value string
}

// writeReport writes the HTML report.
func writeReport(w io.Writer, c *content) error {
	l := c.lang
	v := reportView{
		Lang:        l,
		Title:       say(l, txtReportTitle) + " – " + c.in.Request.Ref,
		Notice:      c.in.Notice,
		DataTitle:   say(l, txtDataTitle),
		DataIntro:   fmt.Sprintf(say(l, txtDataIntro), countRecords(l, c.records)),
		DataNone:    say(l, txtDataNone),
		DataLeftOut: say(l, txtDataLeftOut),
		FoundBy:     say(l, txtFoundBy),
		Archived:    say(l, txtArchived),
		PortalTitle: say(l, txtPortalTitle),
		Portal:      c.in.Portal,
		Reference:   fmt.Sprintf(say(l, txtReference), c.in.Request.Ref),
		GeneratedOn: fmt.Sprintf(say(l, txtGeneratedOn), i18n.FormatDate(i18n.Lang(l), dsar.DateOf(c.in.Now))),
	}
	if read := c.in.Lookup.FinishedAt; !read.IsZero() {
		v.DataReadOn = fmt.Sprintf(say(l, txtDataReadOn), i18n.FormatDate(i18n.Lang(l), dsar.DateOf(read)))
	}
	for _, ig := range c.instances {
		iv := instanceView{Name: ig.Name}
		for j := range ig.Models {
			g := &ig.Models[j]
			iv.Models = append(iv.Models, modelView{Label: modelLabel(l, g.Model), Model: g.Model, group: g, c: c})
		}
		v.Instances = append(v.Instances, iv)
	}
	return reportTemplate.Execute(w, v)
}

// Records yields the group's records, each built when the template
// reaches it.
func (m modelView) Records() iter.Seq[recordView] {
	return func(yield func(recordView) bool) {
		for f := range m.group.records() {
			if !yield(m.c.recordView(f)) {
				return
			}
		}
	}
}

// recordView builds the view of one record. Empty fields are left out:
// they hold nothing about the person and would only lengthen the report;
// so is display_name, which the record's caption shows.
func (c *content) recordView(f *dsar.Finding) recordView {
	confirmed := len(c.in.Confirmed) > 0 && c.in.Confirmed[Key(*f)]
	rv := recordView{ID: f.RecordID, DisplayName: f.DisplayName, Archived: f.Archived,
		FoundBy: matchLabel(c.lang, f.Match, confirmed)}
	for _, name := range fieldNames(f) {
		value := f.Fields[name]
		if value == "" || name == "display_name" && value == f.DisplayName {
			continue
		}
		fv := fieldView{Label: fieldLabel(c.lang, name), Value: value}
		if fv.Label != name {
			fv.Tech = name
		}
		rv.Fields = append(rv.Fields, fv)
	}
	return rv
}
