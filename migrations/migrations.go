// Package migrations holds the numbered SQL files that build dsar's SQLite
// schema, embedded in the binary and applied at start by goose.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
