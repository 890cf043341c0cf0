package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vracoop/dsar/internal/sqlite"
)

// TestMinimalWriterStoresEveryPost: the yardstick's writer answers a post
// only once it is committed, and stores each once, from many posters.
func TestMinimalWriterStoresEveryPost(t *testing.T) {
	db, err := sql.Open("sqlite3", sqlite.DSN(filepath.Join(t.TempDir(), "minimal.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE posts (id INTEGER PRIMARY KEY, form BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	w := &minimalWriter{db: db, queue: make(chan minimalPost, 16)}
	go w.run()
	defer close(w.queue)

	const posts = 300
	var wg sync.WaitGroup
	errs := make(chan error, posts)
	for i := range posts {
		wg.Go(func() {
			errs <- w.store(context.Background(), fmt.Appendf(nil, `{"email":["p%d@example.org"]}`, i))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n, distinct int
	if err := db.QueryRow(`SELECT count(*), count(DISTINCT form) FROM posts`).Scan(&n, &distinct); err != nil {
		t.Fatal(err)
	}
	if n != posts || distinct != posts {
		t.Fatalf("%d rows, %d distinct, want %d", n, distinct, posts)
	}
}
