package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/render"

	"github.com/vracoop/dsar/internal/access"
	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
	"github.com/vracoop/dsar/templates"
)

// pages is Gin's HTMLRender: one template set per page, each the layout
// plus the page, parsed at start so that a broken template stops the
// service from starting rather than failing a person later.
type pages struct {
	sets map[string]*template.Template
}

func parsePages() (*pages, error) {
	files, err := fs.Glob(templates.FS, "pages/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{sets: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := template.New(name).Funcs(i18n.Funcs()).Funcs(template.FuncMap{"field": field, "days": daysLabel, "tx": textIn, "key": access.Key, "list": func(v ...any) []any { return v }}).
			ParseFS(templates.FS, "layout.html", "partials/*.html", f)
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		p.sets[name] = t
	}
	return p, nil
}

// textIn is the template function that picks a dsar.Text's language.
func textIn(lang i18n.Lang, t dsar.Text) string { return t.In(string(lang)) }

// Instance implements render.HTMLRender.
func (p *pages) Instance(name string, data any) render.Render {
	t, ok := p.sets[name]
	if !ok {
		panic("web: no page template " + name)
	}
	return render.HTML{Template: t, Name: "layout", Data: data}
}

// base is what every page's view carries: the language and its switch.
type base struct {
	Lang       i18n.Lang
	OtherLang  i18n.Lang
	LangSwitch string // link to this page in the other language; empty where it would lead nowhere
	CSRF       string
}

func (s *Server) base(c *gin.Context) base {
	lang := langOf(c)
	other := i18n.EN
	if lang == i18n.EN {
		other = i18n.FR
	}
	return base{Lang: lang, OtherLang: other, LangSwitch: c.Request.URL.Path + "?lang=" + string(other)}
}

// messagePage is a page of one title and a few paragraphs.
type messagePage struct {
	base
	Title      string
	Paragraphs []string
	Warning    bool
}

func (s *Server) renderMessage(c *gin.Context, status int, titleKey string, keys ...string) {
	v := messagePage{base: s.base(c), Warning: status >= 400}
	v.Title = i18n.T(v.Lang, titleKey)
	for _, k := range keys {
		v.Paragraphs = append(v.Paragraphs, i18n.T(v.Lang, k))
	}
	c.HTML(status, "message", v)
}

// handleStatic serves the stylesheet and other files shipped in the binary.
func (s *Server) handleStatic(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	sub, _ := fs.Sub(templates.FS, "static")
	c.FileFromFS(strings.TrimPrefix(c.Param("file"), "/"), http.FS(sub))
}
