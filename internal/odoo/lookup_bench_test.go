package odoo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/odoo"
	"github.com/vracoop/dsar/internal/odoo/odootest"
)

// BenchmarkLookup measures a full lookup of Camille Durand on VRACOOP's
// demo instance with 20 ms added to every call, as a distant Odoo would:
// the calls made (round trips) and the time, one model at a time against
// several at once. Run:
//
//	go test ./internal/odoo -run='^$' -bench=Lookup -benchtime=20x
func BenchmarkLookup(b *testing.B) {
	srv := odootest.Start(b, odootest.Options{Data: odootest.DemoVRACOOP(), Latency: 20 * time.Millisecond})
	id := odoo.Identifiers{Emails: []string{"camille.durand@exemple.fr"}, Phones: []string{"06 12 34 56 78"}, Name: "Camille Durand"}
	for _, parallel := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("parallel=%d", parallel), func(b *testing.B) {
			srv.ResetCalls()
			calls := 0
			for b.Loop() {
				// A fresh client each time: fields_get is asked again, as on
				// the first lookup after a start.
				c, err := odoo.New(odoo.Config{Name: "VRACOOP", URL: srv.URL(), DB: srv.DB(), Login: odootest.DefaultLogin,
					Password: odootest.DefaultAPIKey}, nil)
				if err != nil {
					b.Fatal(err)
				}
				srv.ResetCalls()
				l := odoo.Lookup(context.Background(), []*odoo.Client{c}, id, time.Now, parallel)
				if !l.Complete() || len(l.Findings) < 10 {
					b.Fatalf("lookup: %d findings, %+v", len(l.Findings), l.Problems)
				}
				calls = 0
				for _, call := range srv.Calls() {
					calls += call.Count
				}
			}
			b.ReportMetric(float64(calls), "calls/lookup")
		})
	}
}
