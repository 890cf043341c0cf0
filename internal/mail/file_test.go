package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/mail"
)

func TestFileSender(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "mailbox")
	s := mail.FileSender{Dir: dir, From: testFrom}
	m := sampleMail()

	t.Run("writes a parseable message", func(t *testing.T) {
		if err := s.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != 0o700 {
			t.Errorf("directory mode %v, want 0700", got)
		}
		got, err := mail.ReadFile(dir, "000042.eml")
		if err != nil {
			t.Fatal(err)
		}
		want := mail.FileMail{
			Name: "000042.eml", ID: 42, ModTime: got.ModTime,
			To: "<" + m.To + ">", Subject: m.Subject, Text: m.Text, HTML: m.HTML,
		}
		if got != want {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
		if time.Since(got.ModTime) > time.Minute {
			t.Errorf("modification time %v", got.ModTime)
		}
	})

	t.Run("is what the SMTP sender sends", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, "000042.eml"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", "message.golden"))
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != string(want) {
			t.Errorf("file differs from testdata/message.golden:\n%s", data)
		}
	})

	t.Run("a re-send replaces the file", func(t *testing.T) {
		m2 := m
		m2.Subject = "Deuxième envoi"
		if err := s.Send(ctx, m2); err != nil {
			t.Fatal(err)
		}
		other := m
		other.ID = 7
		if err := s.Send(ctx, other); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if len(names) != 2 || names[0] != "000007.eml" || names[1] != "000042.eml" {
			t.Errorf("directory holds %v, want [000007.eml 000042.eml]", names)
		}
		list, err := mail.ListFiles(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != 42 || list[1].ID != 7 {
			t.Fatalf("ListFiles = %+v, want mails 42 then 7", list)
		}
		if list[0].Subject != "Deuxième envoi" {
			t.Errorf("mail 42 subject %q, want the re-sent one", list[0].Subject)
		}
	})

	t.Run("an invalid recipient is refused for good", func(t *testing.T) {
		bad := m
		bad.ID, bad.To = 8, "nobody"
		if err := s.Send(ctx, bad); !mail.Permanent(err) {
			t.Errorf("Send = %v, want a permanent error", err)
		}
	})
}

func TestReadFileRefuses(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "mailbox")
	if err := (mail.FileSender{Dir: dir, From: testFrom}).Send(context.Background(), sampleMail()); err != nil {
		t.Fatal(err)
	}
	// Mails that a traversal would reach.
	for _, name := range []string{"1.eml", "x.eml", "a.eml"} {
		if err := os.WriteFile(filepath.Join(root, name), []byte("Subject: x\r\n\r\nx"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(root, "1.eml"), filepath.Join(dir, "000099.eml")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		code string
	}{
		{"../x.eml", dsar.EINVALID},
		{"../1.eml", dsar.EINVALID},
		{"a.eml", dsar.EINVALID},
		{"000042.eml/", dsar.EINVALID},
		{"/000042.eml", dsar.EINVALID},
		{"000042.EML", dsar.EINVALID},
		{"000042", dsar.EINVALID},
		{".eml", dsar.EINVALID},
		{"42.eml\x00", dsar.EINVALID},
		{"42.eml\n", dsar.EINVALID},
		{"99999999999999999999.eml", dsar.EINVALID},
		{"000043.eml", dsar.ENOTFOUND},
		{"000099.eml", dsar.EINTERNAL}, // a link out of the directory
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := mail.ReadFile(dir, c.name)
			if got := dsar.ErrorCode(err); got != c.code {
				t.Errorf("ReadFile(%q) = %v, want code %s", c.name, err, c.code)
			}
		})
	}

	t.Run("ListFiles skips what is not a mail", func(t *testing.T) {
		list, err := mail.ListFiles(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Name != "000042.eml" {
			t.Errorf("ListFiles = %+v, want only 000042.eml", list)
		}
	})

	t.Run("ListFiles of a missing directory", func(t *testing.T) {
		list, err := mail.ListFiles(filepath.Join(root, "none"))
		if err != nil || len(list) != 0 {
			t.Errorf("ListFiles = %v, %v; want nothing", list, err)
		}
	})
}
