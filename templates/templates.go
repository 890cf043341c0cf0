// Package templates embeds the page and email templates and the static
// files (CSS) that ship in the binary: the portal loads nothing from a CDN.
package templates

import "embed"

// FS holds layout.html, pages/*.html, partials/*.html, mail/*, and static/*.
//
//go:embed layout.html pages partials mail static
var FS embed.FS
