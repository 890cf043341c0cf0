package register

import (
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
)

// finding is what a test expects of a Finding: its message need only
// contain msg.
type finding struct {
	severity, activity, field, msg string
}

func (w finding) matches(f Finding) bool {
	return f.Severity == w.severity && f.Activity == w.activity && f.Field == w.field &&
		strings.Contains(f.Message.FR, w.msg)
}

// TestCheckEmbedded lists every finding on VRACOOP's register: the
// source's inconsistencies, as warnings, and no error.
func TestCheckEmbedded(t *testing.T) {
	const (
		w         = SeverityWarning
		vracooop  = "écrit « VRACOOOP » au lieu de « VRACOOP »"
		vraccoop  = "écrit « VRACCOOP » au lieu de « VRACOOP »"
		dataWords = "décrivent des données au lieu de personnes"
	)
	want := []finding{
		{w, "customers", "purposes, sensitive, retention, recipients.internal", vracooop},
		{w, "prospects", "transfers", "reprend mot pour mot la durée de conservation de l'activité 1 (Gestion des clients)"},
		{w, "prospects", "purposes, people, sensitive, recipients.internal", vraccoop},
		{w, "prospects", "transfers", vracooop},
		{w, "suppliers", "people", "parlent de « prospects », personnes de l'activité 2"},
		{w, "suppliers", "purposes, people, sensitive, retention, recipients.internal", vraccoop},
		{w, "shop_pos", "people", "parlent de « clients », personnes de l'activité 1"},
		{w, "shop_pos", "people", dataWords},
		{w, "shop_pos", "purposes, sensitive, retention, recipients.internal", vracooop},
		{w, "mobile_app", "people", dataWords},
		{w, "mobile_app", "purposes, sensitive, retention, recipients.internal", vracooop},
	}
	got := Default().Check()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("missing finding %d: %+v", i, want[i])
		case i >= len(want):
			t.Errorf("unexpected finding %d: %s", i, got[i])
		case !want[i].matches(got[i]):
			t.Errorf("finding %d:\n got %s (field %q)\nwant %+v", i, got[i], got[i].Field, want[i])
		}
	}
	for _, f := range got {
		if f.Message.EN == "" {
			t.Errorf("no English message: %s", f)
		}
	}
}

// TestCheckStructure breaks a complete register one way at a time.
func TestCheckStructure(t *testing.T) {
	const e = SeverityError
	tests := []struct {
		name   string
		mutate func(r *Register)
		want   finding
	}{
		{"no organisation name", func(r *Register) { r.Organisation.Name = "" },
			finding{e, "", "organisation.name", "Il manque le nom"}},
		{"no contact email", func(r *Register) { r.Organisation.Responsible.Email = "" },
			finding{e, "", "organisation.responsible.email", ""}},
		{"a relationship routed nowhere", func(r *Register) { r.Activities[1].RoutedBy = nil },
			finding{e, "", "routed_by", "« loyalty »"}},
		{"an activity no request reaches", func(r *Register) { r.Activities[1].RoutedBy = nil },
			finding{SeverityWarning, "loyalty", "routed_by", "Aucune demande"}},
		{"no number", func(r *Register) { r.Activities[1].Number = 0 },
			finding{e, "loyalty", "number", ""}},
		{"same number", func(r *Register) { r.Activities[1].Number = 1 },
			finding{e, "loyalty", "number", "déjà celui de l'activité « buyers »"}},
		{"no name", func(r *Register) { r.Activities[0].Name = dsar.Text{EN: "Buyers"} },
			finding{e, "buyers", "name", ""}},
		{"no role", func(r *Register) { r.Activities[0].Role = "" },
			finding{e, "buyers", "role", ""}},
		{"processor without controller", func(r *Register) { r.Activities[1].Controller = "" },
			finding{e, "loyalty", "controller", "ne peuvent pas lui être transmises"}},
		{"processor for an unknown controller", func(r *Register) { r.Activities[1].Controller = "ghost" },
			finding{e, "loyalty", "controller", "« ghost »"}},
		{"controller naming a controller", func(r *Register) { r.Activities[0].Controller = "client_shop" },
			finding{e, "buyers", "controller", ""}},
		{"related to nothing", func(r *Register) { r.Activities[1].Related = []Link{{Activity: "ghost"}} },
			finding{e, "loyalty", "related", ""}},
		{"no purposes", func(r *Register) { r.Activities[0].Purposes = []dsar.Text{{FR: " "}} },
			finding{e, "buyers", "purposes", ""}},
		{"no people", func(r *Register) { r.Activities[0].People = nil },
			finding{e, "buyers", "people", ""}},
		{"no data", func(r *Register) { r.Activities[0].Data = nil },
			finding{e, "buyers", "data", ""}},
		{"a category twice", func(r *Register) { r.Activities[0].Data[1].ID = "identity" },
			finding{e, "buyers", "data", "deux fois"}},
		{"a category without an id", func(r *Register) { r.Activities[0].Data[1].ID = "" },
			finding{e, "buyers", "data", "n° 2"}},
		{"no retention", func(r *Register) { r.Activities[0].Retention = Retention{} },
			finding{e, "buyers", "retention", "durée de conservation"}},
		{"retention without start event", func(r *Register) { r.Activities[0].Retention.From = "" },
			finding{e, "buyers", "retention.from", ""}},
		{"retention without duration", func(r *Register) { r.Activities[1].Retention.Duration = Duration{} },
			finding{e, "loyalty", "retention.duration", ""}},
		{"retention without ground", func(r *Register) { r.Activities[1].Retention.Ground = dsar.Text{} },
			finding{e, "loyalty", "retention.ground", ""}},
		{"accounting rule without accounting data", func(r *Register) { r.Activities[0].Data[0].Accounting = false },
			finding{e, "buyers", "retention.accounting", ""}},
		{"no recipients", func(r *Register) { r.Activities[0].Recipients = Recipients{} },
			finding{e, "buyers", "recipients", "la liste est vide"}},
		{"no security", func(r *Register) { r.Activities[0].Security = nil },
			finding{e, "buyers", "security", ""}},
		{"no creation date", func(r *Register) { r.Activities[0].Created = dsar.Date{} },
			finding{e, "buyers", "created", ""}},
		{"no update date", func(r *Register) { r.Activities[0].Updated = dsar.Date{} },
			finding{e, "buyers", "updated", ""}},
		{"updated before created", func(r *Register) { r.Activities[0].Updated = dsar.NewDate(2019, 12, 31) },
			finding{e, "buyers", "updated", "(31/12/2019) avant d'être créée (01/01/2020)"}},
		{"trigger with both", func(r *Register) { r.Activities[0].RoutedBy[0].Found = "customer" },
			finding{e, "buyers", "routed_by", "n° 1"}},
		{"trigger without reason", func(r *Register) { r.Activities[0].RoutedBy[1].Reason = dsar.Text{} },
			finding{e, "buyers", "routed_by", "n° 2"}},
		{"manual system without instructions", func(r *Register) {
			r.Activities[0].ManualSystems = []ManualSystem{{ID: "paper", Name: dsar.Text{FR: "Papier"}}}
		}, finding{e, "buyers", "manual_systems", "« paper »"}},
		{"transfers unanswered", func(r *Register) { r.Activities[1].Transfers.OutsideEU = nil },
			finding{SeverityWarning, "loyalty", "transfers", "ne dit pas si"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := LoadFile("testdata/minimal.yaml")
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(r)
			got := r.Check()
			for _, f := range got {
				if tt.want.matches(f) {
					return
				}
			}
			t.Errorf("no finding %+v in %v", tt.want, got)
		})
	}
}

// TestCheckWordingFromData finds the same kinds of inconsistency in
// another register: nothing depends on VRACOOP's activity IDs.
func TestCheckWordingFromData(t *testing.T) {
	const w = SeverityWarning
	tests := []struct {
		name   string
		mutate func(r *Register)
		want   []finding
	}{
		{"a retention sentence copied as the transfers answer", func(r *Register) {
			r.Activities[1].Transfers.Wording = dsar.Text{FR: "  dix ans après le contrat "}
		}, []finding{{w, "loyalty", "transfers", "reprend mot pour mot la durée de conservation de l'activité 1 (Gestion des acheteurs)"}}},
		{"a transfers answer about retention", func(r *Register) {
			r.Activities[1].Transfers.Wording = dsar.Text{FR: "Conservées 3 ans.", EN: "Kept 3 years."}
		}, []finding{{w, "loyalty", "transfers", "parle de conservation"}}},
		{"a duration in the transfers answer", func(r *Register) {
			r.Activities[0].Transfers.Wording = dsar.Text{FR: "Pendant 18 mois."}
		}, []finding{{w, "buyers", "transfers", "parle de conservation"}}},
		{"another activity's people", func(r *Register) {
			r.Activities[0].People = []dsar.Text{{FR: "Les consommateurs de nos boutiques"}}
		}, []finding{{w, "buyers", "people", "« consommateurs », personnes de l'activité 2 (Fidélité)"}}},
		{"data instead of people", func(r *Register) {
			r.Activities[0].People = []dsar.Text{{FR: "Les données des acheteurs"}}
		}, []finding{{w, "buyers", "people", "décrivent des données"}}},
		{"the name spelled otherwise", func(r *Register) {
			r.Activities[0].Purposes = []dsar.Text{{FR: "Facturer pour ACMME et Acme, pas ACMESHOP."}}
			r.Activities[0].Security = []dsar.Text{{FR: "Serveurs ACMME"}}
			r.Activities[1].Name = dsar.Text{FR: "Fidélité AACME", EN: "AACME loyalty"}
			r.Controllers[0].Name = dsar.Text{FR: "la boutique d'ACMEE"}
		}, []finding{
			{w, "", "controllers", "« ACMEE » au lieu de « ACME »"},
			{w, "buyers", "purposes, security", "« ACMME » au lieu de « ACME »"},
			{w, "loyalty", "name", "« AACME »"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := LoadFile("testdata/minimal.yaml")
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(r)
			got := r.Check()
			if len(got) != len(tt.want) {
				t.Fatalf("got %d findings %v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if !tt.want[i].matches(got[i]) {
					t.Errorf("got %s (field %q), want %+v", got[i], got[i].Field, tt.want[i])
				}
			}
		})
	}
}

func TestVariantPattern(t *testing.T) {
	re := variantPattern("VRACOOP")
	for s, want := range map[string][]string{
		"VRACOOOP et VRACCOOP":         {"VRACOOOP", "VRACCOOP"},
		"la société VRACOP.":           {"VRACOP"},
		"sebastien@vracoop.fr":         {"vracoop"},
		"VRACOOPERATIVE, XVRACOOP":     nil,
		"VRACOOOP VRACOOOP":            {"VRACOOOP", "VRACOOOP"},
		"(VRACOOP)":                    {"VRACOOP"},
		"VRAC OOP, VRA COOP, VR ACOOP": nil,
	} {
		got := findWords(re, s)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	}
}

func TestFindingString(t *testing.T) {
	f := Finding{Severity: SeverityWarning, Activity: "prospects", Field: "transfers", Message: dsar.Text{FR: "Réponse.", EN: "Answer."}}
	if got, want := f.String(), "warning prospects/transfers: Réponse."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	f.Activity = ""
	if got, want := f.String(), "warning register/transfers: Réponse."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
