package access

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"time"
)

// Write streams the package to w as a ZIP archive and says what it holds.
// Entries are written one after the other, each record encoded when its
// turn comes: the package is never held in memory, whatever the size of
// the lookup. The entries, named in the person's language:
//
//   - LISEZMOI.txt / README.txt: what the files are;
//   - rapport.html / report.html: the Article 15 information (the Notice)
//     first, then the records by instance and model, then what the portal
//     holds; self-contained, with every value escaped;
//   - donnees.json / data.json: the same data in the structure that
//     DocumentJSON describes;
//   - csv/<instance>/<model>.csv: one table per model.
//
// The CSV files are written for every request, not only those that
// exercise the right to portability: they cost nothing to add, and a
// person who asked for access alone gets tables a spreadsheet opens.
//
// Only the records Select includes are written. Write does not check that
// the lookup is complete (Lookup.Complete): the caller decides whether an
// answer may go out while an instance did not answer.
func Write(w io.Writer, in Input) (Summary, error) {
	c := newContent(&in)
	p := &packer{zw: zip.NewWriter(w), now: in.Now, buf: bufio.NewWriterSize(nil, 64<<10)}
	paths := csvPaths(c)
	l := c.lang
	steps := []step{
		{fileReadme.In(l), func(w *bufio.Writer) error { return writeReadme(w, c, len(paths) > 0) }},
		{fileReport.In(l), func(w *bufio.Writer) error { return writeReport(w, c) }},
		{fileJSON.In(l), func(w *bufio.Writer) error { return writeJSON(w, c) }},
	}
	i := 0
	for g := range c.models() {
		steps = append(steps, step{paths[i], func(w *bufio.Writer) error { return writeCSV(w, g) }})
		i++
	}
	err := p.write(steps)
	sum := Summary{Files: p.files, Records: c.records, Excluded: c.excluded}
	if err != nil {
		return sum, fmt.Errorf("write access package %s: %w", in.Request.Ref, err)
	}
	return sum, nil
}

// step is one entry of the package: its name and what writes it.
type step struct {
	name  string
	write func(*bufio.Writer) error
}

// packer adds entries to a ZIP archive through one reused buffer.
type packer struct {
	zw    *zip.Writer
	now   time.Time
	buf   *bufio.Writer
	files []string
}

// write adds the entries one after the other, then the ZIP's directory.
func (p *packer) write(steps []step) error {
	for _, s := range steps {
		if err := p.entry(s.name, s.write); err != nil {
			return err
		}
	}
	if err := p.zw.Close(); err != nil {
		return fmt.Errorf("close zip: %w", err)
	}
	return nil
}

// entry adds the file name, written by write.
func (p *packer) entry(name string, write func(*bufio.Writer) error) error {
	fw, err := p.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: p.now})
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	p.buf.Reset(fw)
	if err := write(p.buf); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := p.buf.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	p.files = append(p.files, name)
	return nil
}
