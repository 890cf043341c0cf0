package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
)

// Parsed is a message taken apart for reading: the file mailbox page and the
// test SMTP server show and check these fields.
type Parsed struct {
	Header  netmail.Header
	To      string // the To header, decoded
	Subject string // decoded (RFC 2047)
	Text    string // the first text/plain part, decoded, with LF line ends
	HTML    string // the first text/html part, decoded, with LF line ends
}

// ParseMessage reads an RFC 5322 message and decodes its subject and its
// text and HTML parts, whether the message is a single part or multipart
// (nested or not). Attachments and other parts are skipped.
func ParseMessage(r io.Reader) (Parsed, error) {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return Parsed{}, fmt.Errorf("parse message: %w", err)
	}
	p := Parsed{
		Header:  msg.Header,
		To:      decodeHeader(msg.Header.Get("To")),
		Subject: decodeHeader(msg.Header.Get("Subject")),
	}
	err = p.readPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	if err != nil {
		return Parsed{}, fmt.Errorf("parse message: %w", err)
	}
	return p, nil
}

// decodeHeader decodes RFC 2047 encoded words, leaving the value as it is
// when it is not well formed.
func decodeHeader(v string) string {
	dec := mime.WordDecoder{}
	s, err := dec.DecodeHeader(v)
	if err != nil {
		return v
	}
	return s
}

// readPart decodes one MIME entity, descending into multipart ones.
func (p *Parsed) readPart(contentType, encoding string, body io.Reader) error {
	if contentType == "" {
		contentType = "text/plain; charset=us-ascii"
	}
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type: %w", err)
	}
	if strings.HasPrefix(media, "multipart/") {
		return p.readMultipart(params["boundary"], body)
	}
	if media != "text/plain" && media != "text/html" {
		return nil
	}
	text, err := decodeBody(encoding, params["charset"], body)
	if err != nil {
		return fmt.Errorf("%s part: %w", media, err)
	}
	switch {
	case media == "text/plain" && p.Text == "":
		p.Text = text
	case media == "text/html" && p.HTML == "":
		p.HTML = text
	}
	return nil
}

func (p *Parsed) readMultipart(boundary string, body io.Reader) error {
	if boundary == "" {
		return errors.New("multipart without boundary")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		// NextRawPart leaves the transfer encoding to decodeBody, as for a
		// single-part message.
		part, err := mr.NextRawPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("multipart: %w", err)
		}
		err = p.readPart(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part)
		if err != nil {
			return err
		}
	}
}

// decodeBody undoes the transfer encoding and converts Latin-1 to UTF-8;
// dsar writes UTF-8, and other charsets are returned as they are.
func decodeBody(encoding, charset string, body io.Reader) (string, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // ignores CR and LF
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return "", err
	}
	if cs := strings.ToLower(charset); cs == "iso-8859-1" || cs == "latin1" {
		runes := make([]rune, len(b))
		for i, c := range b {
			runes[i] = rune(c)
		}
		b = []byte(string(runes))
	}
	return string(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))), nil
}
