package mail

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// FileSender is the mode without SMTP, for development: it writes each mail
// as <Dir>/<outbox ID, zero-padded>.eml, the very message the SMTP sender
// would send. A re-send replaces the file instead of adding another.
type FileSender struct {
	Dir  string // created (0700) when missing
	From string // sender address, as SMTPConfig.From
}

// Send writes m atomically: to a temporary file in Dir, synced, then renamed
// over the final name, so that a reader never sees half a message.
func (s FileSender) Send(ctx context.Context, m dsar.Mail) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	msg, err := BuildMessage(m, s.From)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("mail directory: %w", err)
	}
	tmp, err := os.CreateTemp(s.Dir, ".mail-*.tmp")
	if err != nil {
		return fmt.Errorf("write mail %d: %w", m.ID, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write mail %d: %w", m.ID, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write mail %d: %w", m.ID, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write mail %d: %w", m.ID, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.Dir, FileName(m.ID))); err != nil {
		return fmt.Errorf("write mail %d: %w", m.ID, err)
	}
	return syncDir(s.Dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync mail directory: %w", err)
	}
	return nil
}

// FileName returns the name of the file that FileSender writes for the
// outbox mail with this ID.
func FileName(id int64) string { return fmt.Sprintf("%06d.eml", id) }

// fileNamePattern is what FileSender writes, and all that ReadFile opens.
var fileNamePattern = regexp.MustCompile(`^[0-9]+\.eml$`)

// FileMail is a mail that FileSender wrote, read back for the development
// mailbox page.
type FileMail struct {
	Name    string // file name, e.g. "000042.eml"
	ID      int64  // outbox ID
	ModTime time.Time
	To      string
	Subject string
	Text    string
	HTML    string
}

// ListFiles reads every mail in dir, the most recent outbox ID first. A
// missing dir holds no mail.
func ListFiles(dir string) ([]FileMail, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list mail: %w", err)
	}
	var out []FileMail
	for _, e := range entries {
		if !e.Type().IsRegular() || !fileNamePattern.MatchString(e.Name()) {
			continue
		}
		fm, err := ReadFile(dir, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, fm)
	}
	slices.SortFunc(out, func(a, b FileMail) int { return cmp.Compare(b.ID, a.ID) })
	return out, nil
}

// ReadFile reads one mail from dir. It refuses any name that is not a bare
// "<digits>.eml" file name, and anything outside dir (through a symbolic
// link, say), since the name may come from a URL.
func ReadFile(dir, name string) (FileMail, error) {
	if !fileNamePattern.MatchString(name) {
		return FileMail{}, dsar.Errorf(dsar.EINVALID, "invalid mail file name")
	}
	id, err := strconv.ParseInt(strings.TrimSuffix(name, ".eml"), 10, 64)
	if err != nil {
		return FileMail{}, dsar.Errorf(dsar.EINVALID, "invalid mail file name")
	}
	f, err := os.OpenInRoot(dir, name)
	if errors.Is(err, fs.ErrNotExist) {
		return FileMail{}, dsar.Errorf(dsar.ENOTFOUND, "mail not found")
	}
	if err != nil {
		return FileMail{}, fmt.Errorf("read mail %s: %w", name, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return FileMail{}, fmt.Errorf("read mail %s: %w", name, err)
	}
	p, err := ParseMessage(f)
	if err != nil {
		return FileMail{}, fmt.Errorf("read mail %s: %w", name, err)
	}
	return FileMail{
		Name: name, ID: id, ModTime: info.ModTime(),
		To: p.To, Subject: p.Subject, Text: p.Text, HTML: p.HTML,
	}, nil
}
