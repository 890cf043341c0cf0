package register

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/vracoop/dsar/internal/dsar"
)

//go:embed register.yaml
var embedded []byte

// defaultRegister parses the embedded register once, on first use.
var defaultRegister = sync.OnceValue(func() *Register {
	r, err := Load(bytes.NewReader(embedded))
	if err != nil {
		// The embedded file is part of the program: a test loads it, so
		// this cannot happen in a binary built from a tested tree.
		panic(fmt.Sprintf("embedded register.yaml: %v", err))
	}
	return r
})

// Default returns the register embedded in the binary. It is parsed once
// and shared: callers must not modify it. Its methods only read it, so it
// is safe for concurrent use.
func Default() *Register { return defaultRegister() }

// LoadFile reads a register from the YAML file at path, in place of the
// embedded one.
func LoadFile(path string) (*Register, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load register: %w", err)
	}
	defer f.Close()
	r, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("load register %s: %w", path, err)
	}
	return r, nil
}

// Load reads a register in YAML, the format of register.yaml.
//
// It fails on what it cannot represent: a syntax error, an unknown or
// duplicate key, an activity without an ID or with another's ID, an unknown
// role, retention event or relationship. A register that loads may still be
// incomplete or inconsistent: Check says how.
func Load(r io.Reader) (*Register, error) {
	var reg Register
	dec := yaml.NewDecoder(r, yaml.DisallowUnknownField())
	if err := dec.Decode(&reg); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the register is empty")
		}
		// A bad date comes from dsar.Date, whose error is meant for users.
		var derr *dsar.Error
		if errors.As(err, &derr) {
			return nil, errors.New(derr.Message)
		}
		return nil, err
	}
	if err := reg.validate(); err != nil {
		return nil, err
	}
	return &reg, nil
}

// validate rejects the values Load cannot accept. It lists every problem,
// so that one run shows them all.
func (r *Register) validate() error {
	var errs []error
	seen := map[string]bool{}
	for i, a := range r.Activities {
		where := fmt.Sprintf("activity %q", a.ID)
		switch {
		case a.ID == "":
			where = fmt.Sprintf("activity #%d", i+1)
			errs = append(errs, fmt.Errorf("%s has no id", where))
		case seen[a.ID]:
			errs = append(errs, fmt.Errorf("%s: duplicate id", where))
		}
		seen[a.ID] = true
		if a.Role != "" && a.Role != dsar.RoleController && a.Role != dsar.RoleProcessor {
			errs = append(errs, fmt.Errorf("%s: unknown role %q (want %q or %q)",
				where, a.Role, dsar.RoleController, dsar.RoleProcessor))
		}
		if e := a.Retention.From; e != "" && !e.Valid() {
			errs = append(errs, fmt.Errorf("%s: unknown retention event %q (want one of %v)", where, e, Events))
		}
		for _, t := range a.RoutedBy {
			if t.Relationship != "" && !t.Relationship.Valid() {
				errs = append(errs, fmt.Errorf("%s: routed_by: unknown relationship %q (want one of %v)",
					where, t.Relationship, dsar.Relationships))
			}
		}
	}
	return errors.Join(errs...)
}
