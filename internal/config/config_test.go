package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnvDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.DBPath, "data/dsar.db"; got != want {
		t.Errorf("DBPath = %q, want %q", got, want)
	}
	if got, want := c.MailDir, "data/mail"; got != want {
		t.Errorf("MailDir = %q, want %q", got, want)
	}
	if !c.MailToFiles() {
		t.Error("no SMTP host: mail should go to files")
	}
	if got, want := c.ConfirmTTL, 7*24*time.Hour; got != want {
		t.Errorf("ConfirmTTL = %s, want %s", got, want)
	}
}

func TestFromEnvOverrides(t *testing.T) {
	c, err := FromEnv(env(map[string]string{
		"DSAR_SMTP_HOST": "smtp.example.org", "DSAR_SMTP_PORT": "2525", "DSAR_CONFIRM_TTL": "48h",
		"DSAR_BASE_URL": "https://dsar.vracoop.fr/", "DSAR_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1/32",
		"DSAR_OPS_ADDR": "127.0.0.1:9090", "DSAR_READY_MAX_MAIL_AGE": "5m",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MailToFiles() || c.SMTPPort != 2525 || c.ConfirmTTL != 48*time.Hour {
		t.Errorf("overrides not applied: %+v", c)
	}
	if got, want := c.BaseURL, "https://dsar.vracoop.fr"; got != want {
		t.Errorf("BaseURL = %q, want %q", got, want)
	}
	if got := len(c.TrustedProxies); got != 2 {
		t.Errorf("TrustedProxies = %v", c.TrustedProxies)
	}
	if c.OpsAddr != "127.0.0.1:9090" || c.ReadyMaxMailAge != 5*time.Minute {
		t.Errorf("ops settings not applied: %q, %v", c.OpsAddr, c.ReadyMaxMailAge)
	}
}

func TestFromEnvReportsEveryError(t *testing.T) {
	_, err := FromEnv(env(map[string]string{
		"DSAR_SMTP_PORT": "abc", "DSAR_CONFIRM_TTL": "soon", "DSAR_SMTP_TLS": "maybe", "DSAR_BASE_URL": "ftp://x",
	}))
	if err == nil {
		t.Fatal("want an error")
	}
	for _, name := range []string{"DSAR_SMTP_PORT", "DSAR_CONFIRM_TTL", "DSAR_SMTP_TLS", "DSAR_BASE_URL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

// TestReadyMaxMailAgeMustBePositive: a zero or negative age is refused, not
// quietly replaced by the default.
func TestReadyMaxMailAgeMustBePositive(t *testing.T) {
	for _, v := range []string{"0s", "-5m"} {
		_, err := FromEnv(env(map[string]string{"DSAR_READY_MAX_MAIL_AGE": v}))
		if err == nil || !strings.Contains(err.Error(), "DSAR_READY_MAX_MAIL_AGE") {
			t.Errorf("DSAR_READY_MAX_MAIL_AGE=%s: %v", v, err)
		}
	}
}
