package odoo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/odoo/odootest"
)

var fixedNow = func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) }

// found indexes a lookup's findings by "instance model/id".
func found(l dsar.Lookup) map[string]dsar.Finding {
	out := map[string]dsar.Finding{}
	for _, f := range l.Findings {
		out[fmt.Sprintf("%s %s/%d", f.Instance, f.Model, f.RecordID)] = f
	}
	return out
}

// TestLookupCamille: Camille Durand is a customer's contact, a prospect's
// opportunity, a supplier's contact on VRACOOP's instance, and a loyalty
// customer of Vrac & Co, with her email in several cases and her phone in
// several formats. A homonym in Toulouse must only ever be "possible".
func TestLookupCamille(t *testing.T) {
	for _, version := range []int{16, 17, 18, 19} {
		t.Run(fmt.Sprint(version), func(t *testing.T) {
			vracoop := odootest.Start(t, odootest.Options{Version: version, Data: odootest.DemoVRACOOP()})
			shop := odootest.Start(t, odootest.Options{Version: version, Data: odootest.DemoShop(odootest.ShopVracEtCo), DB: "vracetco"})
			clients := []*odoo.Client{
				newClient(t, vracoop, odoo.Config{Name: "VRACOOP"}),
				newClient(t, shop, odoo.Config{Name: "Vrac & Co"}),
			}
			l := odoo.Lookup(context.Background(), clients, odoo.Identifiers{
				Emails: []string{" Camille.DURAND@exemple.fr"}, Phones: []string{"+33 6 12 34 56 78"}, Name: "Camille Durand",
			}, fixedNow, 4)
			if !l.Complete() {
				t.Fatalf("problems: %+v", l.Problems)
			}
			f := found(l)
			want := map[string]dsar.Match{
				"VRACOOP res.partner/5":      dsar.MatchEmail,   // customer's contact
				"VRACOOP res.partner/9":      dsar.MatchEmail,   // supplier's contact, email in other case
				"VRACOOP res.partner/4":      dsar.MatchPartner, // her company
				"VRACOOP res.partner/8":      dsar.MatchPartner, // the supplier company
				"VRACOOP crm.lead/1":         dsar.MatchEmail,   // email with spaces and capitals
				"VRACOOP res.users/3":        dsar.MatchEmail,   // her portal login
				"VRACOOP sale.order/2":       dsar.MatchPartner,
				"VRACOOP account.move/2":     dsar.MatchPartner,
				"VRACOOP res.partner.bank/1": dsar.MatchPartner,
				"VRACOOP res.partner/11":     dsar.MatchName, // the homonym: possible only
				"Vrac & Co res.partner/4":    dsar.MatchEmail,
				"Vrac & Co loyalty.card/1":   dsar.MatchPartner,
				"Vrac & Co pos.order/1":      dsar.MatchPartner,
				"Vrac & Co pos.order/4":      dsar.MatchPartner,
			}
			for key, m := range want {
				got, ok := f[key]
				if !ok {
					t.Errorf("%s not found", key)
					continue
				}
				if got.Match != m {
					t.Errorf("%s matched by %s, want %s", key, got.Match, m)
				}
				if got.ReadAt.IsZero() || len(got.Fields) == 0 || got.DisplayName == "" {
					t.Errorf("%s: snapshot incomplete: %+v", key, got)
				}
			}
			for _, notHers := range []string{"VRACOOP res.partner/10", "VRACOOP res.partner/7", "Vrac & Co res.partner/5",
				"Vrac & Co pos.order/2", "VRACOOP crm.lead/2", "VRACOOP account.move/3"} {
				if _, ok := f[notHers]; ok {
					t.Errorf("%s is not Camille's but was found", notHers)
				}
			}
			// The homonym's records never come in through her partner.
			for _, fd := range l.Findings {
				if fd.Via == "res.partner/11" {
					t.Errorf("record linked to the homonym: %+v", fd)
				}
			}
			// The shop has no CRM: said, not failed.
			skippedCRM := false
			for _, s := range l.Skipped {
				skippedCRM = skippedCRM || s.Instance == "Vrac & Co" && s.Model == "crm.lead"
			}
			if !skippedCRM {
				t.Errorf("crm.lead on the shop not reported as not installed: %+v", l.Skipped)
			}
			if version == 19 {
				if _, ok := f["VRACOOP res.partner/5"].Fields["mobile"]; ok {
					t.Errorf("mobile read on Odoo 19")
				}
			}
		})
	}
}

func TestLookupByPhoneOnly(t *testing.T) {
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	c := newClient(t, srv, odoo.Config{})
	for _, phone := range []string{"06 98 76 54 32", "0698765432", "+33 6 98 76 54 32"} {
		l := odoo.Lookup(context.Background(), []*odoo.Client{c}, odoo.Identifiers{Phones: []string{phone}}, fixedNow, 2)
		f := found(l)
		if got := f["VRACOOP res.partner/10"]; got.Match != dsar.MatchPhone {
			t.Errorf("%s: Sophie Martin's partner: %+v", phone, got)
		}
		if got, ok := f["VRACOOP crm.lead/2"]; !ok || !got.Archived {
			t.Errorf("%s: her lost, archived opportunity: %+v", phone, got)
		}
	}
}

// TestLookupOneInstanceDown: an instance that does not answer is recorded
// as a problem to retry; the others are searched.
func TestLookupOneInstanceDown(t *testing.T) {
	vracoop := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	shop := odootest.Start(t, odootest.Options{Data: odootest.DemoShop(odootest.ShopVracEtCo)})
	shop.SetDown(true)
	clients := []*odoo.Client{newClient(t, vracoop, odoo.Config{}), newClient(t, shop, odoo.Config{Name: "Vrac & Co", Retries: 1})}
	l := odoo.Lookup(context.Background(), clients, odoo.Identifiers{Emails: []string{"camille.durand@exemple.fr"}}, fixedNow, 4)
	if l.Complete() || len(l.Problems) != 1 || l.Problems[0].Instance != "Vrac & Co" || !l.Problems[0].Retry {
		t.Fatalf("problems: %+v", l.Problems)
	}
	if _, ok := found(l)["VRACOOP res.partner/5"]; !ok {
		t.Errorf("VRACOOP's instance was not searched")
	}
}

// TestLookupDiscoversModels: with the right to read ir.model.fields the
// lookup also searches, as privacy_lookup does, models it does not know
// that have an email field or a link to a partner; without it, it says so.
func TestLookupDiscoversModels(t *testing.T) {
	data := odootest.DemoVRACOOP()
	srv := odootest.Start(t, odootest.Options{Data: data, Users: append(odootest.DefaultUsers(),
		odootest.User{Login: "integration", Password: "integration-secret", UID: 50})})
	admin := newClient(t, srv, odoo.Config{})
	l := odoo.Lookup(context.Background(), []*odoo.Client{admin}, odoo.Identifiers{Emails: []string{"camille.durand@exemple.fr"}}, fixedNow, 4)
	if !l.Complete() {
		t.Fatalf("problems: %+v", l.Problems)
	}
	user := newClient(t, srv, odoo.Config{Login: "integration", Password: "integration-secret"})
	l = odoo.Lookup(context.Background(), []*odoo.Client{user}, odoo.Identifiers{Emails: []string{"camille.durand@exemple.fr"}}, fixedNow, 4)
	noted := false
	for _, s := range l.Skipped {
		noted = noted || s.Model == "ir.model.fields"
	}
	if !noted {
		t.Errorf("the missing right on ir.model.fields is not said: %+v", l.Skipped)
	}
}

// TestLookupIsConcurrentAndBounded counts round trips: one search per model
// with every identifier in one domain.
func TestLookupRoundTrips(t *testing.T) {
	srv := odootest.Start(t, odootest.Options{Data: odootest.DemoVRACOOP()})
	c := newClient(t, srv, odoo.Config{})
	odoo.Lookup(context.Background(), []*odoo.Client{c}, odoo.Identifiers{
		Emails: []string{"camille.durand@exemple.fr", "c.durand@example.fr"}, Phones: []string{"0612345678"}, Name: "Camille Durand"}, fixedNow, 4)
	for _, model := range []string{"res.partner", "crm.lead", "sale.order", "account.move", "mail.message"} {
		if n := srv.CallCount(model, "search_read"); n != 1 {
			t.Errorf("%s: %d search_read calls, want one", model, n)
		}
	}
}
