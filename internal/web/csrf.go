package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"
)

// CSRF protection without sessions: a random value in an HttpOnly,
// SameSite cookie, and in each form its HMAC under the server's key. A
// forged post has neither the cookie (another site cannot read or set it)
// nor the HMAC (it needs the key).
const csrfCookie = "dsar_csrf"

// csrfToken returns the form token for this browser, setting its cookie
// when it has none.
func (s *Server) csrfToken(c *gin.Context) string {
	v, err := c.Cookie(csrfCookie)
	if err != nil || len(v) != 43 {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand never fails on supported systems
		}
		v = base64.RawURLEncoding.EncodeToString(b)
		c.SetSameSite(http.SameSiteLaxMode)
		c.SetCookie(csrfCookie, v, 0, "/", "", s.secure, true)
	}
	return s.csrfSign(v)
}

func (s *Server) csrfSign(cookie string) string {
	m := hmac.New(sha256.New, s.opt.CSRFKey)
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfValid reports whether the posted form carries the token that matches
// the browser's cookie.
func (s *Server) csrfValid(c *gin.Context) bool {
	cookie, err := c.Cookie(csrfCookie)
	if err != nil || cookie == "" {
		return false
	}
	got := c.PostForm("csrf_token")
	return hmac.Equal([]byte(got), []byte(s.csrfSign(cookie)))
}
