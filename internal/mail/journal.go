package mail

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// SentJournal records which outbox messages a server accepted, durably,
// the moment it accepted them, before the database is told. Marking a
// message sent in SQLite may wait for the write lock behind a burst of
// requests; a crash in that wait would send the message again at restart.
// The journal is an append-only file with an fsync per line: the window
// shrinks to that fsync, and at start the worker replays it into the
// database before it sends anything.
type SentJournal struct {
	mu    sync.Mutex
	f     *os.File
	dirty bool // something was recorded since the file was last emptied
}

// OpenSentJournal opens (creating) the journal at path and returns the
// message IDs it holds, which the caller must mark sent before sending.
func OpenSentJournal(path string) (*SentJournal, []int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open sent journal: %w", err)
	}
	var ids []int64
	rd := bufio.NewReader(f)
	for {
		line, err := rd.ReadString('\n')
		if err == io.EOF {
			// A last line without its newline is torn (a crash mid-write):
			// even if what is left parses, it may be the start of another
			// ID. That message was not recorded, and it is the database's
			// word that counts for it.
			break
		}
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("read sent journal: %w", err)
		}
		if id, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("read sent journal: %w", err)
	}
	return &SentJournal{f: f, dirty: info.Size() > 0}, ids, nil
}

// Record appends id and syncs it to disk.
func (j *SentJournal) Record(id int64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.dirty = true
	if _, err := j.f.WriteString(strconv.FormatInt(id, 10) + "\n"); err != nil {
		return err
	}
	return j.f.Sync()
}

// Reset empties the journal once the database holds everything it says;
// an empty journal is left alone.
func (j *SentJournal) Reset() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.dirty {
		return nil
	}
	if err := j.f.Truncate(0); err != nil {
		return err
	}
	if err := j.f.Sync(); err != nil {
		return err
	}
	j.dirty = false
	return nil
}

// Close closes the file.
func (j *SentJournal) Close() error { return j.f.Close() }

// acceptedKey carries, in a Send's context, what to do the moment the
// server has accepted the message.
type acceptedKey struct{}

// withAccepted returns ctx carrying f, which a sender calls once the server
// has accepted the message, before anything else can fail or crash.
func withAccepted(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, acceptedKey{}, f)
}

// accepted calls the function ctx carries, if any.
func accepted(ctx context.Context) {
	if f, ok := ctx.Value(acceptedKey{}).(func()); ok {
		f()
	}
}
