package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/i18n"
)

const (
	langKey      = "lang"
	langChosen   = "lang_chosen"
	langCookie   = "dsar_lang"
	langLifetime = 365 * 24 * 3600
)

// language picks the page's language: an explicit ?lang= (remembered in a
// cookie), then the cookie, then the browser's Accept-Language, then French.
func (s *Server) language(c *gin.Context) {
	lang, chosen := i18n.Parse(c.Query("lang"))
	if chosen {
		c.SetSameSite(http.SameSiteLaxMode)
		c.SetCookie(langCookie, string(lang), langLifetime, "/", "", s.secure, true)
	} else if v, err := c.Cookie(langCookie); err == nil {
		lang, chosen = i18n.Parse(v)
	}
	if !chosen {
		lang = i18n.FromAcceptLanguage(c.GetHeader("Accept-Language"))
	}
	c.Set(langKey, lang)
	c.Set(langChosen, chosen)
	c.Next()
}

func langOf(c *gin.Context) i18n.Lang {
	if l, ok := c.Get(langKey); ok {
		return l.(i18n.Lang)
	}
	return i18n.FR
}

// useRequestLang answers a token page in the language of the request it
// opens, unless the person chose one explicitly.
func useRequestLang(c *gin.Context, requestLang string) {
	if c.GetBool(langChosen) {
		return
	}
	if l, ok := i18n.Parse(requestLang); ok {
		c.Set(langKey, l)
	}
}
