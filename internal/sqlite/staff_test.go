package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/sqlite"
)

func addStaff(t *testing.T, db *sqlite.DB, email string, role dsar.StaffRole) dsar.Staff {
	t.Helper()
	s := dsar.Staff{Email: email, Name: "Agent " + email, Role: role, Active: true, CreatedAt: t0}
	if err := db.CreateStaff(context.Background(), &s, "$argon2id$fake", dsar.ActorSystem); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStaffAccounts(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	a := addStaff(t, db, "Claire@vracoop.fr", dsar.StaffAdmin)
	if err := db.CreateStaff(ctx, &dsar.Staff{Email: "claire@VRACOOP.fr", Name: "x", Role: dsar.StaffAgent, CreatedAt: t0}, "h", "x"); dsar.ErrorCode(err) != dsar.ECONFLICT {
		t.Errorf("duplicate email in another case: err = %v", err)
	}
	got, hash, err := db.StaffByEmail(ctx, " claire@vracoop.FR ")
	if err != nil || got.ID != a.ID || hash != "$argon2id$fake" {
		t.Fatalf("by email: %+v %q %v", got, hash, err)
	}

	// Sessions expire, go idle, and end with a disabled account.
	now := t0
	if err := db.StartSession(ctx, got, "h1", now, now.Add(12*time.Hour), "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if s, err := db.SessionStaff(ctx, "h1", now.Add(time.Hour), 2*time.Hour); err != nil || s.ID != a.ID {
		t.Errorf("fresh session: %v", err)
	}
	if _, err := db.SessionStaff(ctx, "h1", now.Add(3*time.Hour+time.Minute), 2*time.Hour); dsar.ErrorCode(err) != dsar.EUNAUTHORIZED {
		t.Errorf("idle session: %v", err)
	}
	if _, err := db.SessionStaff(ctx, "nope", now, 2*time.Hour); dsar.ErrorCode(err) != dsar.EUNAUTHORIZED {
		t.Errorf("unknown session: %v", err)
	}
	if err := db.StartSession(ctx, got, "h2", now, now.Add(time.Hour), "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionStaff(ctx, "h2", now.Add(time.Hour), 2*time.Hour); dsar.ErrorCode(err) != dsar.EUNAUTHORIZED {
		t.Errorf("expired session: %v", err)
	}
	if err := db.StartSession(ctx, got, "h3", now, now.Add(12*time.Hour), "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetStaffActive(ctx, a.ID, false, "staff:root", now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionStaff(ctx, "h3", now, 2*time.Hour); dsar.ErrorCode(err) != dsar.EUNAUTHORIZED {
		t.Errorf("session of a disabled account: %v", err)
	}
}

func TestAuditChain(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dsar.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 7 {
		if err := db.Audit(ctx, dsar.AuditEntry{At: t0.Add(time.Duration(i) * time.Minute), Actor: "staff:a@vracoop.fr", Action: "note", Details: "n"}); err != nil {
			t.Fatal(err)
		}
	}
	n, brk, err := db.VerifyAudit(ctx)
	if err != nil || brk != nil || n != 7 {
		t.Fatalf("sound chain: checked %d, break %+v, %v", n, brk, err)
	}

	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE audit_log SET details = 'x' WHERE id = 3`); err == nil {
		t.Fatal("an update of the audit log was allowed")
	}
	if _, err := raw.Exec(`DELETE FROM audit_log WHERE id = 3`); err == nil {
		t.Fatal("a delete from the audit log was allowed")
	}
	// Someone with the file drops the triggers and edits an entry: the chain
	// shows where.
	if _, err := raw.Exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details = 'forged' WHERE id = 4`); err != nil {
		t.Fatal(err)
	}
	if _, brk, _ := db.VerifyAudit(ctx); brk == nil || brk.ID != 4 {
		t.Errorf("tampered entry not found: %+v", brk)
	}
}
