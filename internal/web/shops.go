package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// Shops stores the client shops and their processor cases.
type Shops interface {
	Shops(ctx context.Context) ([]dsar.Shop, error)
	Shop(ctx context.Context, id int64) (dsar.Shop, error)
	CreateShop(ctx context.Context, s *dsar.Shop, apiKey string, seal func(plain, label string) ([]byte, error), actor string) error
	SetShopActive(ctx context.Context, id int64, active bool, actor string, now time.Time) error
	ForwardCase(ctx context.Context, ref string, c *dsar.Case, tok dsar.Token, actor string, now time.Time, change func(r *dsar.Request) (dsar.Change, error)) error
	CaseByToken(ctx context.Context, hash string, now time.Time) (dsar.Case, error)
	Cases(ctx context.Context, requestID string) ([]dsar.Case, error)
	SaveCase(ctx context.Context, ref string, c dsar.Case, actor string, now time.Time, change func(r *dsar.Request) (dsar.Change, error)) error
}

// ShopMails renders the mails of processor cases.
type ShopMails interface {
	ShopMail(kind string, shop dsar.Shop, r dsar.Request, c dsar.Case, tok dsar.Token, what string) (dsar.Mail, error)
	Forwarded(r dsar.Request, shop dsar.Shop) (dsar.Mail, error)
}

// Sealer encrypts the shops' Odoo API keys.
type Sealer interface {
	Seal(plain, label string) ([]byte, error)
}

// shopsPage is the admins' list of client shops.
type shopsPage struct {
	staffBase
	Shops  []dsar.Shop
	Form   dsar.Shop
	Start  string
	End    string
	Errors map[string]string
	Notice string
}

func (s *Server) renderShops(c *gin.Context, status int, v shopsPage) {
	shops, err := s.opt.Shops.Shops(c.Request.Context())
	if err != nil {
		s.fail(c, err, "list shops")
		return
	}
	v.staffBase, v.Shops = s.staffBase(c), shops
	if v.Form.Lang == "" {
		v.Form.Lang = "fr"
	}
	c.HTML(status, "staff_shops", v)
}

func (s *Server) handleShops(c *gin.Context) { s.renderShops(c, http.StatusOK, shopsPage{}) }

// handleShopAdd registers a client shop. Its Odoo API key is sealed at
// once and never shown again.
func (s *Server) handleShopAdd(c *gin.Context) {
	lang := langOf(c)
	v := shopsPage{Start: c.PostForm("contract_start"), End: c.PostForm("contract_end"), Errors: map[string]string{}}
	v.Form = dsar.Shop{Name: strings.TrimSpace(c.PostForm("name")), LegalEntity: strings.TrimSpace(c.PostForm("legal_entity")),
		Town: strings.TrimSpace(c.PostForm("town")), PrivacyEmail: strings.TrimSpace(c.PostForm("email")), Lang: c.PostForm("lang"),
		OdooURL: strings.TrimSpace(c.PostForm("odoo_url")), OdooDB: strings.TrimSpace(c.PostForm("odoo_db")),
		OdooLogin: strings.TrimSpace(c.PostForm("odoo_login")), OdooProtocol: c.PostForm("odoo_protocol"),
		SearchAllowed: c.PostForm("search_allowed") == "1", CreatedAt: s.opt.Now()}
	if !s.csrfValid(c) {
		v.Errors["form"] = i18n.T(lang, "err.csrf")
		s.renderShops(c, http.StatusForbidden, v)
		return
	}
	v.Form.ContractStart, _ = dsar.ParseDate(v.Start)
	if v.End != "" {
		end, err := dsar.ParseDate(v.End)
		if err != nil {
			v.Errors["contract_end"] = i18n.T(lang, "err.choice")
		}
		v.Form.ContractEnd = end
	}
	if v.Form.OdooProtocol != "json2" {
		v.Form.OdooProtocol = "xmlrpc"
	}
	for field, p := range dsar.ValidateShop(v.Form) {
		v.Errors[field] = staffProblem(lang, field, p)
	}
	if len(v.Errors) > 0 {
		s.renderShops(c, http.StatusUnprocessableEntity, v)
		return
	}
	err := s.opt.Shops.CreateShop(c.Request.Context(), &v.Form, c.PostForm("odoo_key"), s.opt.Sealer.Seal, currentStaff(c).Actor())
	if dsar.ErrorCode(err) == dsar.ECONFLICT {
		v.Errors["name"] = i18n.T(lang, "shops.exists")
		s.renderShops(c, http.StatusConflict, v)
		return
	} else if err != nil {
		s.fail(c, err, "create shop")
		return
	}
	s.opt.Logger.Info("Client shop added", "shop_id", v.Form.ID)
	s.renderShops(c, http.StatusCreated, shopsPage{Notice: i18n.T(lang, "shops.added", v.Form.Name)})
}

func (s *Server) handleShopActive(c *gin.Context) {
	if !s.csrfValid(c) {
		s.renderShops(c, http.StatusForbidden, shopsPage{Errors: map[string]string{"form": i18n.T(langOf(c), "err.csrf")}})
		return
	}
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	err := s.opt.Shops.SetShopActive(c.Request.Context(), id, c.Param("op") == "enable", currentStaff(c).Actor(), s.opt.Now())
	if dsar.ErrorCode(err) == dsar.ENOTFOUND {
		s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
		return
	} else if err != nil {
		s.fail(c, err, "shop active")
		return
	}
	s.renderShops(c, http.StatusOK, shopsPage{Notice: i18n.T(langOf(c), "staff.users.done")})
}

// shopActive reports whether a person may pick the shop id on the form.
func (s *Server) shopActive(ctx context.Context, id int64) (bool, error) {
	if s.opt.Shops == nil {
		return false, nil
	}
	sh, err := s.opt.Shops.Shop(ctx, id)
	if dsar.ErrorCode(err) == dsar.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return sh.Active, nil
}

// activeShops lists the shops a person may pick.
func (s *Server) activeShops(ctx context.Context) []dsar.Shop {
	if s.opt.Shops == nil {
		return nil
	}
	shops, err := s.opt.Shops.Shops(ctx)
	if err != nil {
		s.opt.Logger.Error("Listing shops for the form failed", "error", err)
		return nil
	}
	var out []dsar.Shop
	for _, sh := range shops {
		if sh.Active {
			out = append(out, sh)
		}
	}
	return out
}
