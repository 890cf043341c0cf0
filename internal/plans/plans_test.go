package plans_test

import (
	"context"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/odoo/odootest"
	"github.com/vracoop/dsar/internal/plans"
	"github.com/vracoop/dsar/internal/register"
)

var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// lookupOf searches the demo instances for a person, as the service does.
func lookupOf(t *testing.T, emails ...string) dsar.Lookup {
	t.Helper()
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	shop := odootest.Start(t, odootest.Options{Data: odootest.DemoShop(odootest.ShopVracEtCo)})
	mk := func(name string, s *odootest.Server) *odoo.Client {
		c, err := odoo.New(odoo.Config{Name: name, URL: s.URL(), DB: s.DB(), Login: odootest.DefaultLogin, Password: odootest.DefaultAPIKey}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	l := odoo.Lookup(context.Background(), []*odoo.Client{mk("VRACOOP", srv), mk("Vrac & Co", shop)},
		odoo.Identifiers{Emails: emails, Name: "Camille Durand"}, func() time.Time { return now }, 4)
	if !l.Complete() {
		t.Fatalf("lookup: %+v", l.Problems)
	}
	return l
}

func steps(p dsar.Plan) map[string]dsar.Step {
	out := map[string]dsar.Step{}
	for _, s := range p.Steps {
		k := string(s.Kind) + " " + s.Model
		if s.RecordID != 0 {
			k += "/" + itoa(s.RecordID)
		}
		if s.Kind == dsar.StepManual {
			k += s.System
		}
		out[k] = s
	}
	return out
}

func itoa(n int) string {
	return string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}

func TestErasurePlan(t *testing.T) {
	reg := register.Default()
	r := dsar.Request{ID: "r", Ref: "DSAR-2026-000007", Email: "camille.durand@exemple.fr", Kinds: []dsar.Kind{dsar.KindErasure},
		Routing: reg.Route(register.RouteInput{Relationship: dsar.RelOther})}
	p := plans.Build(plans.Input{Request: r, Lookup: lookupOf(t, r.Email), Register: reg, Instance: "VRACOOP", Actor: "staff:a", Now: now})
	if p.State != dsar.PlanDraft || len(p.Steps) == 0 {
		t.Fatalf("plan: %+v", p)
	}
	got := steps(p)
	// Camille's customer contact (partner 5) has a posted invoice: its
	// contact details go, the accounting identity is kept 10 years.
	anon := got["anonymise res.partner/05"]
	if anon.Archive || anon.Until.IsZero() || len(anon.Kept) == 0 || anon.Values["email"] != "" || anon.Values["name"] != "" {
		t.Errorf("customer contact: %+v", anon)
	}
	if _, ok := anon.Values["name"]; ok {
		t.Errorf("the name on invoices is overwritten: %+v", anon.Values)
	}
	if anon.Reason.FR == "" || anon.Until.Year < 2034 {
		t.Errorf("no ground or date for what is kept: %+v", anon)
	}
	// Her supplier contact (partner 9) has no invoice of her own: fully
	// anonymised and archived.
	if s := got["anonymise res.partner/09"]; !s.Archive || s.Values["name"] != "Anonymisé (DSAR-2026-000007)" {
		t.Errorf("supplier contact: %+v", s)
	}
	for _, want := range []string{"delete crm.lead/01", "archive res.users/03", "keep account.move/02", "keep sale.order/02",
		"note res.partner/05", "manual paper_archive", "manual metabase"} {
		if _, ok := got[want]; !ok {
			t.Errorf("plan lacks %q; has %v", want, keys(got))
		}
	}
	for k, s := range got {
		if s.Model == "account.move" && s.Kind != dsar.StepKeep {
			t.Errorf("an accounting document is changed: %s", k)
		}
		if s.Instance == "Vrac & Co" {
			t.Errorf("the shop's data is in VRACOOP's plan: %s", k)
		}
		if s.Model == "res.partner" && s.RecordID == 11 {
			t.Errorf("the homonym is in the plan: %s", k)
		}
		if s.Model == "res.partner" && (s.RecordID == 4 || s.RecordID == 8) && s.Kind != dsar.StepKeep && s.Kind != dsar.StepNote {
			t.Errorf("her companies are changed: %s", k)
		}
	}
}

func TestOtherKindsPlan(t *testing.T) {
	reg := register.Default()
	r := dsar.Request{ID: "r", Ref: "DSAR-2026-000008", Email: "sophie.martin@example.fr",
		Kinds: []dsar.Kind{dsar.KindRectification, dsar.KindObjection, dsar.KindRestriction}, RectifyWrong: "Hendaye", RectifyCorrect: "Urrugne"}
	p := plans.Build(plans.Input{Request: r, Lookup: lookupOf(t, r.Email), Register: reg, Instance: "VRACOOP", Now: now})
	got := steps(p)
	for _, want := range []string{"rectify res.partner/10", "opt_out mail.blacklist", "note res.partner/10"} {
		if _, ok := got[want]; !ok {
			t.Errorf("plan lacks %q; has %v", want, keys(got))
		}
	}
	if err := p.Approve("staff:a", now); err == nil {
		t.Errorf("a plan with an empty rectification was approved")
	}
}

func keys(m map[string]dsar.Step) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
