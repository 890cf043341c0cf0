package access

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// FormatVersion names the structure of the JSON file. It changes only
// when a reader of the previous structure would misread the new one;
// adding a key does not change it.
const FormatVersion = "dsar-access/1"

//go:embed format.md
var formatDoc string

// DocumentJSON returns the documentation of the JSON file's structure, in
// Markdown, for the people and services that read it.
func DocumentJSON() string { return formatDoc }

// jsonRecord is one record in the JSON file.
type jsonRecord struct {
	ID          int               `json:"id"`
	DisplayName string            `json:"display_name"`
	Match       dsar.Match        `json:"match"`
	Archived    bool              `json:"archived"`
	ReadAt      string            `json:"read_at,omitempty"`
	Fields      map[string]string `json:"fields"`
}

type jsonSubject struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Indentation of the levels of the JSON file that are written by hand.
const (
	indentInstance = "    "
	indentModel    = "        "
	indentRecord   = "            "
)

// jsonWriter writes the JSON file. The outer structure is written by
// hand and each record encoded on its own, so that only one record is
// held in memory at a time. Errors stick in w: the punctuation written by
// hand is not checked, and the next value's write reports the failure.
type jsonWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
}

// writeJSON writes the JSON file.
func writeJSON(w *bufio.Writer, c *content) error {
	jw := &jsonWriter{w: w}
	jw.enc = json.NewEncoder(&jw.buf)
	jw.enc.SetEscapeHTML(false) // a file, not a page: keep "<p>" readable
	r := c.in.Request
	w.WriteString("{\n")
	for _, kv := range [][2]string{
		{"format", FormatVersion}, {"reference", r.Ref}, {"language", c.lang},
		{"generated_at", rfc3339(c.in.Now)},
	} {
		w.WriteString(`  "` + kv[0] + `": `)
		jw.value("  ", kv[1])
		w.WriteString(",\n")
	}
	w.WriteString(`  "subject": `)
	jw.value("  ", jsonSubject{Name: r.Name, Email: r.Email})
	w.WriteString(",\n  \"portal\": ")
	jw.value("  ", portalSections(c.in.Portal))
	w.WriteString(",\n  \"instances\": [")
	for i, ig := range c.instances {
		w.WriteString(comma(i) + "\n" + indentInstance + "{\n" + indentInstance + `  "instance": `)
		jw.value("", ig.Name)
		w.WriteString(",\n" + indentInstance + `  "models": [`)
		for j := range ig.Models {
			if err := jw.model(comma(j), &ig.Models[j]); err != nil {
				return err
			}
		}
		w.WriteString("\n" + indentInstance + "  ]\n" + indentInstance + "}")
	}
	if len(c.instances) > 0 {
		w.WriteString("\n  ")
	}
	w.WriteString("]\n}\n")
	return nil
}

// model writes one model's object, after sep.
func (jw *jsonWriter) model(sep string, g *modelGroup) error {
	w := jw.w
	w.WriteString(sep + "\n" + indentModel + "{\n" + indentModel + `  "model": `)
	jw.value("", g.Model)
	w.WriteString(",\n" + indentModel + `  "records": [`)
	k := 0
	for f := range g.records() {
		w.WriteString(comma(k) + "\n" + indentRecord)
		k++
		if err := jw.value(indentRecord, newJSONRecord(f)); err != nil {
			return err
		}
	}
	w.WriteString("\n" + indentModel + "  ]\n" + indentModel + "}")
	return nil
}

// value writes v as indented JSON whose lines after the first start with
// prefix.
func (jw *jsonWriter) value(prefix string, v any) error {
	jw.buf.Reset()
	jw.enc.SetIndent(prefix, "  ")
	if err := jw.enc.Encode(v); err != nil {
		return err
	}
	_, err := jw.w.Write(bytes.TrimSuffix(jw.buf.Bytes(), []byte("\n")))
	return err // sticky: once writing failed, stop encoding
}

func newJSONRecord(f *dsar.Finding) jsonRecord {
	return jsonRecord{ID: f.RecordID, DisplayName: f.DisplayName, Match: f.Match, Archived: f.Archived,
		ReadAt: rfc3339(f.ReadAt), Fields: disclosedFields(f)}
}

// portalSections returns the sections with empty lists rather than nil
// ones, so that the JSON always has arrays where the format says so.
func portalSections(in []Section) []Section {
	out := make([]Section, len(in))
	for i, s := range in {
		out[i] = s
		if s.Rows == nil {
			out[i].Rows = []Row{}
		}
	}
	return out
}

func comma(i int) string {
	if i > 0 {
		return ","
	}
	return ""
}

// rfc3339 writes a time in UTC, or "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
