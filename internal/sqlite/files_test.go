package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/sqlite"
)

// TestDatabaseFilesArePrivate: a new database, its WAL and its shared-memory
// file are readable by the service's user only, whatever the umask lets
// through; an existing file keeps the mode its operator gave it.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask, which leaves files world-readable
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "dsar.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	submit(t, db, time.Now()) // a write, so that the WAL and -shm exist
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %v, want no access for group and others", filepath.Base(p), perm)
		}
	}

	shared := filepath.Join(t.TempDir(), "shared.db")
	if err := os.WriteFile(shared, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	db2, err := sqlite.Open(context.Background(), shared)
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
	if fi, err := os.Stat(shared); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("an existing database's mode changed: %v %v", fi.Mode().Perm(), err)
	}
}
