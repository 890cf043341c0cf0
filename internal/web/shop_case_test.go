package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/odoo/odootest"
	"github.com/vracoop/dsar/internal/web"
)

// instances applies steps on the instance each names.
type instances map[string]*odoo.Client

func (in instances) Apply(ctx context.Context, instance string, s dsar.Step) (map[string]string, map[string]string, error) {
	return in[instance].Apply(ctx, s)
}

func client(t *testing.T, name string, srv *odootest.Server) *odoo.Client {
	t.Helper()
	c, err := odoo.New(odoo.Config{Name: name, URL: srv.URL(), DB: srv.DB(), Login: odootest.DefaultLogin, Password: odootest.DefaultAPIKey}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestShopLoop drives a processor request end to end against the Odoo test
// server running VRACOOP's instance and two shops' instances: forwarding,
// the shop's instruction, execution on the shop's instance, notifications.
func TestShopLoop(t *testing.T) {
	ctx := context.Background()
	vracoop := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	vrac := odootest.Start(t, odootest.Options{Data: odootest.DemoShop(odootest.ShopVracEtCo), DB: "vracetco"})
	cagette := odootest.Start(t, odootest.Options{Data: odootest.DemoShop(odootest.ShopLaCagette), DB: "lacagette"})
	clients := instances{"VRACOOP": client(t, "VRACOOP", vracoop), odootest.ShopVracEtCo: client(t, odootest.ShopVracEtCo, vrac),
		odootest.ShopLaCagette: client(t, odootest.ShopLaCagette, cagette)}
	h := newHarness(t, func(o *web.Options) { o.Executor = clients })
	h.addStaff("agent@vracoop.fr", dsar.StaffAgent)
	sealer := testSealer(t)
	var shopIDs []int64
	for _, sh := range []struct{ name, email string }{{odootest.ShopVracEtCo, "mathieu.larralde@example.fr"}, {odootest.ShopLaCagette, "julien.etcheverry@example.fr"}} {
		s := dsar.Shop{Name: sh.name, LegalEntity: sh.name + " SARL", Town: "Bayonne", PrivacyEmail: sh.email, Lang: "fr",
			ContractStart: dsar.NewDate(2023, 1, 1), OdooURL: "http://odoo.test", OdooDB: "x", OdooLogin: "admin", SearchAllowed: true, CreatedAt: h.clock()}
		if err := h.db.CreateShop(ctx, &s, odootest.DefaultAPIKey, sealer.Seal, "test"); err != nil {
			t.Fatal(err)
		}
		shopIDs = append(shopIDs, s.ID)
	}

	// Camille, a loyalty customer of Vrac & Co, asks for erasure.
	person := h.browser()
	formPage := h.do(person, "GET", "/", nil)
	if !strings.Contains(formPage.body, escapeHTML(odootest.ShopVracEtCo)) {
		t.Fatalf("the form does not list the shops")
	}
	form := validForm(formPage.csrf(t))
	form.Set("name", "Camille Durand")
	form.Set("email", "camille.durand@exemple.fr")
	form.Set("relationship", "loyalty")
	form.Set("shop_id", strconv.FormatInt(shopIDs[0], 10))
	form["kinds"] = []string{"erasure"}
	if p := h.do(person, "POST", "/", form); p.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", p.status, p.body)
	}
	h.confirmLast()
	r := h.request()
	if r.ShopID != shopIDs[0] || !r.Routing.Processor() {
		t.Fatalf("request: shop %d, routing %+v", r.ShopID, r.Routing)
	}
	l := odoo.Lookup(ctx, []*odoo.Client{clients["VRACOOP"], clients[odootest.ShopVracEtCo]},
		odoo.Identifiers{Emails: []string{r.Email}, Name: r.Name}, h.clock, 4)
	if err := h.db.FinishLookup(ctx, r.ID, l, nil, h.clock()); err != nil {
		t.Fatal(err)
	}

	// Staff forward it to the shop the person named.
	b := h.browser()
	h.login(b, "agent@vracoop.fr", staffPassword)
	reqPage := h.do(b, "GET", reqURL, nil)
	if !strings.Contains(reqPage.body, "Transmettre à la boutique") {
		t.Fatalf("no forward form")
	}
	p := h.do(b, "POST", reqURL+"/forward", url.Values{"csrf_token": {reqPage.csrf(t)}, "shop_id": {strconv.FormatInt(shopIDs[0], 10)}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("forward: %d\n%s", p.status, p.body)
	}
	if got := h.request(); got.Status != dsar.StatusForwarded {
		t.Errorf("status after forwarding: %s", got.Status)
	}
	toPerson := h.mailsTo("camille.durand@exemple.fr")
	if last := toPerson[len(toPerson)-1]; !strings.Contains(last.Text, "sous-traitant") || !strings.Contains(last.Text, "mathieu.larralde@example.fr") {
		t.Errorf("the person is not told where the request went:\n%s", last.Text)
	}
	toShop := h.mailsTo("mathieu.larralde@example.fr")
	if len(toShop) != 1 || len(h.mailsTo("julien.etcheverry@example.fr")) != 0 {
		t.Fatalf("mails to shops: %d to Vrac & Co, %d to La Cagette", len(toShop), len(h.mailsTo("julien.etcheverry@example.fr")))
	}
	link := regexp.MustCompile(`http://dsar\.test(/shop/[A-Za-z0-9_-]{43})`).FindStringSubmatch(toShop[0].Text)
	if link == nil {
		t.Fatalf("no link in the shop's mail:\n%s", toShop[0].Text)
	}

	// The shop sees the request and what its Odoo holds, then instructs.
	shopB := h.browser()
	sp := h.do(shopB, "GET", link[1], nil)
	if sp.status != http.StatusOK || !strings.Contains(sp.body, "VRAC-0042") || !strings.Contains(sp.body, "adresse confirmée") {
		t.Fatalf("shop page: %d\n%s", sp.status, sp.body)
	}
	if strings.Contains(sp.body, "INV/2024/00002") {
		t.Errorf("the shop sees VRACOOP's own records")
	}
	if p := h.do(shopB, "POST", link[1]+"/instruct", url.Values{"csrf_token": {sp.csrf(t)}, "instruction": {"erasure"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("instruction without a name: %d", p.status)
	}
	if p := h.do(shopB, "POST", link[1]+"/instruct", url.Values{"csrf_token": {sp.csrf(t)}, "instruction": {"erasure"}, "by": {"Mathieu Larralde"}}); p.status != http.StatusOK {
		t.Fatalf("instruct: %d", p.status)
	}
	if p := h.do(shopB, "POST", link[1]+"/refuse", url.Values{"csrf_token": {sp.csrf(t)}, "note": {"non"}, "by": {"x"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a second answer was taken: %d", p.status)
	}
	if got := h.request(); got.Status != dsar.StatusInProgress {
		t.Errorf("status after the instruction: %s", got.Status)
	}

	// Staff carry it out on the shop's instance through the plan.
	plan := func(op string, extra url.Values) page {
		if extra == nil {
			extra = url.Values{}
		}
		extra.Set("csrf_token", h.do(b, "GET", reqURL, nil).csrf(t))
		return h.do(b, "POST", "/staff/plans/DSAR-2026-000001/"+op, extra)
	}
	plan("build", nil)
	stored, err := h.db.LatestPlan(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stored.Steps {
		if s.Kind != dsar.StepManual && s.Instance != odootest.ShopVracEtCo {
			t.Errorf("a step outside the shop's instance: %+v", s)
		}
	}
	plan("approve", nil)
	plan("execute", nil)
	if _, ok := vrac.Record("loyalty.card", 1); ok {
		t.Errorf("the loyalty card was not deleted on the shop's instance")
	}
	if rec, _ := vracoop.Record("res.partner", 5); rec["email"] == nil || rec["email"] == false {
		t.Errorf("VRACOOP's own records were changed on the shop's instruction")
	}
	stored, _ = h.db.LatestPlan(ctx, r.ID)
	for _, s := range stored.Steps {
		if s.Kind == dsar.StepManual {
			plan("tick", url.Values{"step": {strconv.Itoa(s.N)}, "note": {"Rien trouvé."}})
		}
	}
	if p := h.act(b, "complete", url.Values{"text": {"Instruction de la boutique exécutée."}}); p.status != http.StatusOK {
		t.Fatalf("complete: %d\n%s", p.status, p.body)
	}
	toShop = h.mailsTo("mathieu.larralde@example.fr")
	if len(toShop) != 2 || !strings.Contains(toShop[1].Subject, "Votre instruction est exécutée") {
		t.Errorf("the shop is not told it is done: %+v", toShop)
	}
	cases, _ := h.db.Cases(ctx, r.ID)
	// Received Thursday 26 November 2026: two working days later is
	// Monday 30 November.
	if len(cases) != 1 || cases[0].ForwardDue != dsar.NewDate(2026, 11, 30) {
		t.Errorf("forward due: %+v", cases)
	}
	if len(cases) != 1 || cases[0].State != dsar.CaseDone || cases[0].InstructedBy != "Mathieu Larralde" {
		t.Errorf("case: %+v", cases)
	}
	if n := len(cagette.Calls()); n != 0 {
		t.Errorf("the other shop's instance was called %d times", n)
	}
}

// TestFormRefusesUnlistedShop: a shop id that is not on the form's list (an
// unknown one, or a shop whose contract was disabled) is refused next to
// the field, and nothing is stored.
func TestFormRefusesUnlistedShop(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, nil)
	s := dsar.Shop{Name: "Vrac & Co", LegalEntity: "Vrac & Co SARL", Town: "Bayonne", PrivacyEmail: "dpo@vrac.example",
		Lang: "fr", ContractStart: dsar.NewDate(2023, 1, 1), OdooURL: "http://odoo.test", OdooDB: "x", OdooLogin: "admin", CreatedAt: h.clock()}
	if err := h.db.CreateShop(ctx, &s, "key", testSealer(t).Seal, "test"); err != nil {
		t.Fatal(err)
	}
	if err := h.db.SetShopActive(ctx, s.ID, false, "test", h.clock()); err != nil {
		t.Fatal(err)
	}
	person := h.browser()
	for _, id := range []string{strconv.FormatInt(s.ID, 10), "424242"} {
		form := validForm(h.do(person, "GET", "/", nil).csrf(t))
		form.Set("relationship", "loyalty")
		form.Set("shop_id", id)
		p := h.do(person, "POST", "/", form)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Choisissez") {
			t.Errorf("shop %s: %d\n%s", id, p.status, p.body)
		}
		if !strings.Contains(p.body, escapeHTML(form.Get("name"))) {
			t.Errorf("shop %s: the form came back without what was typed", id)
		}
	}
	if n := h.count(); n != 0 {
		t.Errorf("%d requests stored", n)
	}
}
