package access

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// unzipped is a package read back: its entries in order, and their content.
type unzipped struct {
	names []string
	files map[string][]byte
}

func writePackage(t *testing.T, in Input) (Summary, unzipped) {
	t.Helper()
	var buf bytes.Buffer
	sum, err := Write(&buf, in)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("open zip: %v", err)
	}
	u := unzipped{files: map[string][]byte{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		if !in.Now.IsZero() && !f.Modified.Equal(in.Now) {
			t.Errorf("%s modified %v, want %v", f.Name, f.Modified, in.Now)
		}
		u.names = append(u.names, f.Name)
		u.files[f.Name] = b
	}
	return sum, u
}

func TestWriteFiles(t *testing.T) {
	csvs := []string{"csv/vracoop/account.move.csv", "csv/vracoop/crm.lead.csv", "csv/vracoop/mail.message.csv", "csv/vracoop/res.partner.csv"}
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"fr", append([]string{"LISEZMOI.txt", "rapport.html", "donnees.json"}, csvs...)},
		{"en", append([]string{"README.txt", "report.html", "data.json"}, csvs...)},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			sum, u := writePackage(t, camilleInput(tt.lang))
			if !slices.Equal(u.names, tt.want) {
				t.Errorf("zip holds %q, want %q", u.names, tt.want)
			}
			if !slices.Equal(sum.Files, tt.want) {
				t.Errorf("Summary.Files %q, want %q", sum.Files, tt.want)
			}
			if sum.Records != 6 || sum.Excluded != 2 {
				t.Errorf("Summary %d records, %d excluded; want 6 and 2", sum.Records, sum.Excluded)
			}
		})
	}
}

// TestWriteGolden compares every file of Camille's package with
// testdata/<lang>/; go test -run TestWriteGolden -update rewrites them.
func TestWriteGolden(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			_, u := writePackage(t, camilleInput(lang))
			dir := filepath.Join("testdata", lang)
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
			}
			for _, name := range u.names {
				path := filepath.Join(dir, filepath.FromSlash(name))
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, u.files[name], 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to write the golden files)", err)
				}
				if got := u.files[name]; !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s:\n%s", name, path, firstDifference(got, want))
				}
			}
		})
	}
}

// firstDifference shows the line where got and want part.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "same lines"
}

// document mirrors format.md; decoding with DisallowUnknownFields checks
// that the file has no key the documentation does not list.
type document struct {
	Format      string `json:"format"`
	Reference   string `json:"reference"`
	Language    string `json:"language"`
	GeneratedAt string `json:"generated_at"`
	Subject     *struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"subject"`
	Portal    []Section `json:"portal"`
	Instances []struct {
		Instance string `json:"instance"`
		Models   []struct {
			Model   string `json:"model"`
			Records []struct {
				ID          int               `json:"id"`
				DisplayName string            `json:"display_name"`
				Match       string            `json:"match"`
				Archived    *bool             `json:"archived"`
				ReadAt      string            `json:"read_at"`
				Fields      map[string]string `json:"fields"`
			} `json:"records"`
		} `json:"models"`
	} `json:"instances"`
}

func decodeDocument(t *testing.T, b []byte) document {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d document
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("decode JSON: %v", err)
	}
	if dec.More() {
		t.Fatal("more than one JSON value")
	}
	return d
}

func TestWriteJSON(t *testing.T) {
	_, u := writePackage(t, camilleInput("en"))
	raw := u.files["data.json"]
	d := decodeDocument(t, raw)
	if d.Format != "dsar-access/1" || d.Reference != "DSAR-2026-000042" || d.Language != "en" ||
		d.GeneratedAt != "2026-05-04T08:30:00Z" {
		t.Errorf("header %q %q %q %q", d.Format, d.Reference, d.Language, d.GeneratedAt)
	}
	if d.Subject == nil || d.Subject.Name != "Camille Durand" || d.Subject.Email != "camille.durand@example.fr" {
		t.Errorf("subject %+v", d.Subject)
	}
	if len(d.Portal) != 2 || d.Portal[0].Title != "Your request" || len(d.Portal[0].Rows) != 6 {
		t.Errorf("portal %+v", d.Portal)
	}
	var got []string
	for _, in := range d.Instances {
		for _, m := range in.Models {
			for _, r := range m.Records {
				got = append(got, in.Instance+"/"+m.Model+"/"+strconv.Itoa(r.ID)+" "+r.Match)
				if r.Archived == nil || r.ReadAt != "2026-04-28T14:02:00Z" || r.Fields == nil {
					t.Errorf("%s/%d: archived %v, read_at %q, fields %v", m.Model, r.ID, r.Archived, r.ReadAt, r.Fields)
				}
				for k := range r.Fields {
					if strings.HasSuffix(k, ".id") {
						t.Errorf("%s/%d: internal field %s disclosed", m.Model, r.ID, k)
					}
				}
			}
		}
	}
	want := []string{
		"VRACOOP/account.move/301 partner", "VRACOOP/account.move/302 partner",
		"VRACOOP/crm.lead/12 email", "VRACOOP/mail.message/9001 partner",
		"VRACOOP/res.partner/4 partner", "VRACOOP/res.partner/5 email",
	}
	if !slices.Equal(got, want) {
		t.Errorf("records %q, want %q", got, want)
	}
	for _, s := range []string{"c.durand@autre-exemple.fr", "Lyon", "Salon Bio", "\"77\"", "partner_id.id"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("the JSON holds %q, from an excluded record or an internal field", s)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	_, u := writePackage(t, camilleInput("fr"))
	rows := readCSV(t, u.files["csv/vracoop/res.partner.csv"])
	wantHeader := []string{"id", "display_name", "active", "child_ids", "city", "comment", "company_type", "country_id",
		"create_date", "customer_rank", "email", "is_company", "mobile", "name", "parent_id", "phone", "street", "vat", "zip"}
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header %q,\nwant %q", rows[0], wantHeader)
	}
	if len(rows) != 3 || rows[1][0] != "4" || rows[2][0] != "5" {
		t.Fatalf("rows %q, want partners 4 and 5", rows)
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	if got, want := rows[2][col("comment")], "'=Préfère être appelée le matin"; got != want {
		t.Errorf("comment %q, want %q", got, want)
	}
	if got, want := rows[1][col("child_ids")], "5"; got != want {
		t.Errorf("child_ids %q, want %q", got, want)
	}
	if got := rows[1][col("parent_id")]; got != "" {
		t.Errorf("company's parent_id %q, want empty", got)
	}

	moves := readCSV(t, u.files["csv/vracoop/account.move.csv"])
	if got, want := moves[2][slices.Index(moves[0], "amount_total")], "-12.5"; got != want {
		t.Errorf("credit note amount %q, want %q", got, want)
	}
	leads := readCSV(t, u.files["csv/vracoop/crm.lead.csv"])
	if got, want := leads[1][slices.Index(leads[0], "description")], "'-10 % sur la balance si commande avant juin ?\nRappeler le matin."; got != want {
		t.Errorf("description %q, want %q", got, want)
	}
	if len(leads) != 2 {
		t.Errorf("%d lead rows, want 1: the lead found by phone is excluded", len(leads)-1)
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if b == nil {
		t.Fatal("no such CSV file")
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v", err)
	}
	return rows
}

func TestWriteReport(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			in := camilleInput(lang)
			_, u := writePackage(t, in)
			html := string(u.files[fileReport.In(lang)])
			body := html[strings.Index(html, "<body>"):]
			if want := "<body>\n<main>\n<h1>" + in.Notice.Title + "</h1>"; !strings.HasPrefix(body, want) {
				t.Errorf("the report does not begin with the notice's title:\n%.200s", body)
			}
			last := in.Notice.Sections[len(in.Notice.Sections)-1].Heading
			if i, j := strings.Index(html, last), strings.Index(html, "FAC/2026/00123"); i < 0 || j < 0 || i > j {
				t.Errorf("the notice's last section (at %d) is not before the records (at %d)", i, j)
			}
			if strings.Contains(html, "<script") || strings.Contains(html, "<p>Bonjour") {
				t.Error("a value is rendered as HTML")
			}
			if want := "&lt;p&gt;Bonjour, pouvez-vous me rappeler ?&lt;/p&gt;&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;"; !strings.Contains(html, want) {
				t.Errorf("the message body is not shown escaped as %s", want)
			}
			for _, s := range []string{"src=", "href=", "url(", "@import"} {
				if strings.Contains(html, s) {
					t.Errorf("the report refers to an outside resource: %s", s)
				}
			}
			for _, s := range []string{"c.durand@autre-exemple.fr", "Salon Bio", "<td>75</td>", "partner_id.id"} {
				if strings.Contains(html, s) {
					t.Errorf("the report holds %q, from an excluded record or an internal field", s)
				}
			}
			if !strings.Contains(html, in.Portal[1].Rows[0].Value) {
				t.Error("the report does not show what the portal holds")
			}
		})
	}
}

func TestWriteNothingFound(t *testing.T) {
	in := camilleInput("fr")
	in.Lookup.Findings = in.Lookup.Findings[7:] // the homonym alone
	in.Portal = nil
	sum, u := writePackage(t, in)
	if want := []string{"LISEZMOI.txt", "rapport.html", "donnees.json"}; !slices.Equal(u.names, want) {
		t.Errorf("zip holds %q, want %q", u.names, want)
	}
	if sum.Records != 0 || sum.Excluded != 1 {
		t.Errorf("Summary %+v", sum)
	}
	d := decodeDocument(t, u.files["donnees.json"])
	if d.Instances == nil || len(d.Instances) != 0 || d.Portal == nil || len(d.Portal) != 0 {
		t.Errorf("instances %v, portal %v: want empty arrays", d.Instances, d.Portal)
	}
	if html := string(u.files["rapport.html"]); !strings.Contains(html, "aucune donnée vous concernant") {
		t.Error("the report does not say nothing was found")
	}
	if strings.Contains(string(u.files["LISEZMOI.txt"]), "csv/") {
		t.Error("the note describes CSV files the package does not hold")
	}
}

// TestWriteInstancesAndPaths checks the order of instances and models and
// the CSV paths of names that are not safe in a path.
func TestWriteInstancesAndPaths(t *testing.T) {
	f := func(instance, model string, id int) dsar.Finding {
		return dsar.Finding{Instance: instance, Model: model, RecordID: id, DisplayName: "x", Match: dsar.MatchEmail,
			Fields: map[string]string{"email": "camille.durand@example.fr"}}
	}
	in := Input{
		Request:        dsar.Request{Ref: "DSAR-2026-000043", Lang: "en"},
		VerifiedEmails: []string{"camille.durand@example.fr"},
		Lookup: dsar.Lookup{Findings: []dsar.Finding{
			f("VRACOOP", "res.partner", 9), f("Épicerie du Port", "loyalty.card", 2), f("VRACOOP", "crm.lead", 3),
			f("VRACOOP", "res.partner", 1), f("../Shop A", "res.partner", 1), f("../shop_a", "res.partner", 2),
		}},
	}
	_, u := writePackage(t, in)
	want := []string{"README.txt", "report.html", "data.json",
		"csv/_.._shop_a/res.partner.csv", "csv/_.._shop_a/res.partner-2.csv",
		"csv/vracoop/crm.lead.csv", "csv/vracoop/res.partner.csv", "csv/epicerie_du_port/loyalty.card.csv"}
	if !slices.Equal(u.names, want) {
		t.Errorf("zip holds %q,\nwant %q", u.names, want)
	}
	if rows := readCSV(t, u.files["csv/vracoop/res.partner.csv"]); len(rows) != 3 || rows[1][0] != "1" || rows[2][0] != "9" {
		t.Errorf("partners %q, want ids 1 then 9", rows)
	}
}

// failingWriter fails after n bytes.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		n := w.n
		w.n = 0
		return n, errBroken
	}
	w.n -= len(p)
	return len(p), nil
}

var errBroken = errors.New("connection reset")

func TestWriteError(t *testing.T) {
	for _, n := range []int{0, 100, 2000} {
		_, err := Write(&failingWriter{n: n}, camilleInput("fr"))
		if !errors.Is(err, errBroken) {
			t.Errorf("after %d bytes: error %v, want %v", n, err, errBroken)
		}
	}
}
