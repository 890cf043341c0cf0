package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/odoo/odootest"
	"github.com/vracoop/dsar/internal/web"
)

// executor applies steps with a real connector on the Odoo test server.
type executor struct{ c *odoo.Client }

func (e executor) Apply(ctx context.Context, instance string, s dsar.Step) (map[string]string, map[string]string, error) {
	return e.c.Apply(ctx, s)
}

func TestErasurePlanFromLookupToClosing(t *testing.T) {
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	client, err := odoo.New(odoo.Config{Name: "VRACOOP", URL: srv.URL(), DB: srv.DB(), Login: odootest.DefaultLogin, Password: odootest.DefaultAPIKey}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(o *web.Options) { o.Executor = executor{client} })
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	person := h.browser()
	form := validForm(h.do(person, "GET", "/", nil).csrf(t))
	form.Set("email", "camille.durand@exemple.fr")
	form.Set("name", "Camille Durand")
	form["kinds"] = []string{"erasure"}
	if p := h.do(person, "POST", "/", form); p.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", p.status)
	}
	h.confirmLast()
	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)

	plan := func(op string, extra url.Values) page {
		tok := h.do(b, "GET", reqURL, nil).csrf(t)
		if extra == nil {
			extra = url.Values{}
		}
		extra.Set("csrf_token", tok)
		p := h.do(b, "POST", "/staff/plans/DSAR-2026-000001/"+op, extra)
		if p.status == http.StatusSeeOther {
			return h.do(b, "GET", p.header.Get("Location"), nil)
		}
		return p
	}
	if p := plan("build", nil); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Lancez d&#39;abord la recherche dans Odoo") {
		t.Errorf("plan without a lookup: %d", p.status)
	}

	r := h.request()
	l := odoo.Lookup(context.Background(), []*odoo.Client{client}, odoo.Identifiers{Emails: []string{r.Email}, Name: r.Name}, h.clock, 4)
	if err := h.db.FinishLookup(context.Background(), r.ID, l, nil, h.clock()); err != nil {
		t.Fatal(err)
	}
	p := plan("build", nil)
	if !strings.Contains(p.body, "Plan construit") || !strings.Contains(p.body, "Brouillon") || !strings.Contains(p.body, "Archivage papier") {
		t.Fatalf("plan page:\n%s", p.body)
	}
	if p := plan("execute", nil); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a draft ran: %d", p.status)
	}
	plan("approve", nil)
	if p := h.act(b, "complete", url.Values{"text": {"fait"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "tâches manuelles") {
		t.Errorf("closed with manual tasks open: %d", p.status)
	}
	p = plan("execute", nil)
	if !strings.Contains(p.body, "Plan exécuté") {
		t.Fatalf("execute: %d", p.status)
	}
	if rec, _ := srv.Record("res.partner", 9); rec["active"] != false || rec["name"] != "Anonymisé (DSAR-2026-000001)" {
		t.Errorf("partner 9 not anonymised: %v", rec)
	}
	if rec, _ := srv.Record("res.partner", 5); rec["name"] != "Camille Durand" || rec["email"] != nil && rec["email"] != false {
		t.Errorf("partner 5 (used in accounting) should keep its name and lose its email: %v", rec)
	}
	if _, ok := srv.Record("crm.lead", 1); ok {
		t.Errorf("the lead was not deleted")
	}
	if _, ok := srv.Record("account.move", 2); !ok {
		t.Errorf("an invoice was deleted")
	}
	stored, _ := h.db.LatestPlan(context.Background(), r.ID)
	var manual []int
	for _, s := range stored.Steps {
		if s.Kind == dsar.StepManual {
			manual = append(manual, s.N)
			continue
		}
		if s.State != dsar.StepDone {
			t.Errorf("step %d %s %s/%d: %s %s", s.N, s.Kind, s.Model, s.RecordID, s.State, s.Error)
		}
		if s.Kind == dsar.StepAnonymise && (s.Before["email"] == "" || strings.Contains(s.Before["email"], "durand")) {
			t.Errorf("before value not recorded masked: %v", s.Before)
		}
	}
	if len(manual) != 2 {
		t.Fatalf("manual steps: %v", manual)
	}
	if p := plan("tick", url.Values{"step": {strconv.Itoa(manual[0])}, "note": {""}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("tick without a note: %d", p.status)
	}
	for _, n := range manual {
		plan("tick", url.Values{"step": {strconv.Itoa(n)}, "note": {"Vérifié : rien trouvé."}})
	}
	if p := h.act(b, "complete", url.Values{"text": {"Données effacées, pièces comptables conservées."}}); p.status != http.StatusOK {
		t.Errorf("complete: %d\n%s", p.status, p.body)
	}
	mails := h.mailsTo("camille.durand@exemple.fr")
	last := mails[len(mails)-1]
	if !strings.Contains(last.Subject, "Ce que nous avons fait") || !strings.Contains(last.Text, "Conservé, parce que la loi l'impose") ||
		!strings.Contains(last.Text, "INV/2024/00002") || !strings.Contains(last.Text, "Ouverture d'une épicerie vrac à Anglet\u00a0: supprimé") {
		t.Errorf("erasure outcome mail: %s\n%s", last.Subject, last.Text)
	}
	log := strings.Join(h.auditActions(), ",")
	for _, want := range []string{"plan_build", "plan_approve", "plan_step", "plan_execute", "plan_manual_done", "complete"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit lacks %s", want)
		}
	}
}
