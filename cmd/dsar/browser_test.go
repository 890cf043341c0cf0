package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vracoop/dsar/internal/mail"
)

// chromium returns the browser to drive, or skips the test when there is
// none; .ci/run installs Debian's chromium and sets DSAR_REQUIRE_BROWSER so
// that CI fails rather than skips.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("DSAR_REQUIRE_BROWSER") != "" {
		t.Fatal("no Chromium found, and DSAR_REQUIRE_BROWSER is set")
	}
	t.Skip("no Chromium on this machine: install Debian's chromium to run the browser test")
	return ""
}

// TestBrowserStaffWorkflow drives the real service in headless Chromium:
// log in, open a request, add a note, extend the deadline, and see the
// extension in the timeline.
func TestBrowserStaffWorkflow(t *testing.T) {
	exe := chromium(t)
	env := baseEnv(t, nil)
	svc := startService(t, env)
	getenv := func(k string) string { return env[k] }
	var out strings.Builder
	if err := run(context.Background(), []string{"user", "add", "--email", "claire@vracoop.fr", "--name", "Claire Martin", "--role", "agent"},
		getenv, strings.NewReader("un mot de passe solide\n"), &out, nil); err != nil {
		t.Fatal(err)
	}

	// A person files a request and confirms it through the link mailed.
	p := newPerson(t)
	p.submit(svc.url, "jeanne@example.fr", "fr")
	confirm := waitMailFile(t, filepath.Join(env["DSAR_DATA_DIR"], "mail"), "/c/")
	page := p.get(svc.url + confirm)
	p.post(svc.url+confirm, map[string][]string{"csrf_token": {csrf(t, page)}})

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 1000),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	err := chromedp.Do(ctx,
		chromedp.Navigate(svc.url+"/staff/login?lang=fr"),
		chromedp.WaitVisible(chromedp.ID("f-email")),
		chromedp.SendKeys(chromedp.ID("f-email"), "claire@vracoop.fr"),
		chromedp.SendKeys(chromedp.ID("f-password"), "un mot de passe solide"),
		chromedp.Click(chromedp.CSS("button[type=submit].primary")),
		chromedp.WaitVisible(chromedp.CSS(".tiles")),
		chromedp.Navigate(svc.url+"/staff/requests"),
		chromedp.Click(chromedp.CSS("table.queue th[scope=row] a")),
		chromedp.WaitVisible(chromedp.ID("a-note")),
		chromedp.SendKeys(chromedp.ID("a-note"), "Appel de la personne : elle confirme sa demande."),
		chromedp.Click(chromedp.CSS(`form[action$="/note"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice[data-done="note"]`)),
		chromedp.SendKeys(chromedp.ID("a-extend"), "Données réparties dans plusieurs instances Odoo."),
		chromedp.Click(chromedp.CSS(`form[action$="/extend"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice[data-done="extend"]`)),
	)
	if err != nil {
		t.Fatalf("browser: %v\nservice log:\n%s", err, svc.logs)
	}
	timeline, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("ol.timeline")))
	if err != nil {
		t.Fatal(err)
	}
	due, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#h-request + dl")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"note interne", "Appel de la personne", "délai prolongé", "Données réparties dans plusieurs instances Odoo."} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline lacks %q:\n%s", want, timeline)
		}
	}
	if !strings.Contains(due, "délai prolongé") {
		t.Errorf("the due date is not marked as extended:\n%s", due)
	}
}

// waitMailFile waits for a mail file holding a link with the given path
// prefix and returns the link's path.
func waitMailFile(t *testing.T, dir, prefix string) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		files, _ := mail.ListFiles(dir)
		for _, f := range files {
			for _, m := range linkRe.FindAllStringSubmatch(f.Text, -1) {
				if strings.HasPrefix(m[1], prefix) {
					return m[1]
				}
			}
		}
	}
	t.Fatalf("no mail with a %s link in %s", prefix, dir)
	return ""
}
