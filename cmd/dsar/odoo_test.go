package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/odoo/odootest"
)

func TestOdooCommands(t *testing.T) {
	srv := odootest.Start(t, odootest.Options{Version: 18, Data: odootest.DemoVRACOOP()})
	env := map[string]string{"DSAR_DATA_DIR": t.TempDir(), "DSAR_ODOO_URL": srv.URL(), "DSAR_ODOO_DB": srv.DB(),
		"DSAR_ODOO_LOGIN": odootest.DefaultLogin, "DSAR_ODOO_PASSWORD": odootest.DefaultAPIKey}
	getenv := func(k string) string { return env[k] }
	odooRun := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"odoo"}, args...), getenv, strings.NewReader(""), &out, nil)
		return out.String(), err
	}

	out, err := odooRun("check")
	if err != nil || !strings.Contains(out, "Odoo 18.0, uid 2") || !strings.Contains(out, "pos.order          not installed") ||
		!strings.Contains(out, "crm.lead           installed") {
		t.Errorf("check: %v\n%s", err, out)
	}

	out, err = odooRun("lookup", "--email", "CAMILLE.durand@exemple.fr", "--name", "Camille Durand")
	if err != nil {
		t.Fatalf("lookup: %v", err)
	}
	var l dsar.Lookup
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("lookup output is not JSON: %v\n%s", err, out)
	}
	if len(l.Findings) < 10 {
		t.Errorf("lookup found %d records", len(l.Findings))
	}
	if _, err := odooRun("lookup"); err == nil {
		t.Errorf("a lookup without identifiers ran")
	}

	env["DSAR_ODOO_PASSWORD"] = "wrong"
	if _, err := odooRun("check"); err == nil || !strings.Contains(err.Error(), "refused the login") {
		t.Errorf("wrong password: %v", err)
	}
	env["DSAR_ODOO_URL"] = "http://127.0.0.1:1"
	env["DSAR_ODOO_TIMEOUT"] = "1s"
	if _, err := odooRun("check"); err == nil || !strings.Contains(err.Error(), "cannot reach Odoo") {
		t.Errorf("unreachable Odoo: %v", err)
	}
}

func TestOdooCheckInDemoMode(t *testing.T) {
	env := map[string]string{"DSAR_DATA_DIR": t.TempDir()}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"odoo", "check"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, nil); err != nil {
		t.Fatalf("demo check: %v", err)
	}
	if !strings.Contains(out.String(), "VRACOOP: Odoo 17.0") {
		t.Errorf("demo check: %s", out.String())
	}
}
