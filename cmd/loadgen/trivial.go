package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// serveTrivial serves the yardstick of intake: Gin answering the same
// GET / and POST / as dsar with nothing behind them. GET / sets a cookie
// and returns a form with a token; POST / parses the form, checks that the
// token is there and redirects, as dsar does when a request is stored.
func serveTrivial(addr string) error {
	e := yardstick()
	e.POST("/", func(c *gin.Context) {
		if err := c.Request.ParseForm(); err != nil || c.PostForm("csrf_token") == "" || c.PostForm("email") == "" {
			c.String(http.StatusBadRequest, "bad form\n")
			return
		}
		c.Redirect(http.StatusSeeOther, "/submitted")
	})
	srv := &http.Server{Addr: addr, Handler: e}
	if err := srv.ListenAndServe(); err != nil {
		return fmt.Errorf("trivial server: %w", err)
	}
	return nil
}

// yardstick returns a Gin engine serving what both yardsticks serve alike:
// /healthz, and GET /, which sets a CSRF cookie and returns a form with the
// same token, as dsar's form page does.
func yardstick() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	e.GET("/", func(c *gin.Context) {
		b := make([]byte, 32)
		rand.Read(b)
		v := base64.RawURLEncoding.EncodeToString(b)
		c.SetCookie("dsar_csrf", v, 0, "/", "", false, true)
		c.Header("Content-Type", "text/html; charset=utf-8")
		c.String(http.StatusOK, `<form method="post"><input type="hidden" name="csrf_token" value="%s"></form>`, v)
	})
	return e
}
