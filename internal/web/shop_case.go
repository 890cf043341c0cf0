package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// handleForward sends a processor request to a client shop: one case per
// shop, with its link, a mail to the shop and a mail to the person.
func (s *Server) handleForward(c *gin.Context) {
	lang := langOf(c)
	if !s.csrfValid(c) {
		s.renderRequest(c, http.StatusForbidden, "", "", i18n.T(lang, "err.csrf"))
		return
	}
	ctx, me, now := c.Request.Context(), currentStaff(c), s.opt.Now()
	id, _ := strconv.ParseInt(c.PostForm("shop_id"), 10, 64)
	shop, err := s.opt.Shops.Shop(ctx, id)
	if err != nil || !shop.Active {
		s.renderRequest(c, http.StatusUnprocessableEntity, "", "", i18n.T(lang, "shops.err.choose"))
		return
	}
	r, ok := s.requestForStaff(c)
	if !ok {
		return
	}
	cs := dsar.Case{ShopID: shop.ID, State: dsar.CaseForwarded, ForwardedAt: now,
		ForwardDue: dsar.AddWorkingDays(r.Clock.Start, s.opt.ForwardDays), ShopDue: r.Clock.Due()}
	tok, err := dsar.NewToken(r.ID, "shop", now.Add(s.opt.ShopLinkTTL))
	if err != nil {
		s.fail(c, err, "shop token")
		return
	}
	err = s.opt.Shops.ForwardCase(ctx, r.Ref, &cs, tok, me.Actor(), now, func(r *dsar.Request) (dsar.Change, error) {
		evs, err := r.Forward(shop.Name, me.Actor(), now)
		if err != nil {
			return dsar.Change{}, err
		}
		toShop, err := s.opt.ShopMails.ShopMail("forward", shop, *r, cs, tok, "")
		if err != nil {
			return dsar.Change{}, err
		}
		toPerson, err := s.opt.ShopMails.Forwarded(*r, shop)
		return dsar.Change{Events: evs, Mails: []dsar.Mail{toShop, toPerson}}, err
	})
	switch {
	case errors.Is(err, dsar.ErrClosed) || dsar.ErrorCode(err) == dsar.ECONFLICT:
		s.renderRequest(c, http.StatusUnprocessableEntity, "", "", i18n.T(lang, "shops.err.forward"))
		return
	case err != nil:
		s.fail(c, err, "forward")
		return
	}
	s.opt.Notify()
	s.opt.Logger.Info("Request forwarded to a client shop", "ref", r.Ref, "shop_id", shop.ID)
	c.Redirect(http.StatusSeeOther, "/staff/requests/"+r.Ref+"?done=forward")
}

// shopPage is what the shop sees behind its link: the request, whether
// the identity was confirmed, and what its own Odoo holds.
type shopPage struct {
	base
	Shop     dsar.Shop
	Case     dsar.Case
	R        dsar.Request
	Findings []dsar.Finding
	Due      string
	Error    string
	Action   string
}

// openCase finds the case of a shop's link, or answers why it cannot.
func (s *Server) openCase(c *gin.Context) (shopPage, bool) {
	plain := c.Param("token")
	if !dsar.WellFormedToken(plain) {
		s.linkProblem(c, dsar.ErrTokenUnknown)
		return shopPage{}, false
	}
	ctx := c.Request.Context()
	cs, err := s.opt.Shops.CaseByToken(ctx, dsar.HashToken(plain), s.opt.Now())
	if err != nil {
		s.linkProblem(c, err)
		return shopPage{}, false
	}
	r, err := s.opt.Requests.FindRequest(ctx, cs.RequestID)
	if err != nil {
		s.fail(c, err, "case request")
		return shopPage{}, false
	}
	shop, err := s.opt.Shops.Shop(ctx, cs.ShopID)
	if err != nil {
		s.fail(c, err, "case shop")
		return shopPage{}, false
	}
	useRequestLang(c, shop.Lang)
	v := shopPage{base: s.tokenBase(c), Shop: shop, Case: cs, R: r, Action: "/shop/" + plain}
	v.Due = i18n.FormatDate(v.Lang, cs.ShopDue)
	if l, err := s.opt.Requests.LatestLookup(ctx, r.ID); err == nil {
		for _, f := range l.Findings {
			if f.Instance == shop.Name && !f.Match.Possible() {
				v.Findings = append(v.Findings, f)
			}
		}
	}
	return v, true
}

func (s *Server) handleShopPage(c *gin.Context) {
	v, ok := s.openCase(c)
	if !ok {
		return
	}
	c.HTML(http.StatusOK, "shop_case", v)
}

// handleShopAnswer records the shop's instruction, or its answer that it
// handles the request itself, or its refusal.
func (s *Server) handleShopAnswer(c *gin.Context) {
	v, ok := s.openCase(c)
	if !ok {
		return
	}
	if !s.csrfValid(c) {
		v.Error = i18n.T(v.Lang, "err.csrf")
		c.HTML(http.StatusForbidden, "shop_case", v)
		return
	}
	now, cs, by := s.opt.Now(), v.Case, c.PostForm("by")
	var err error
	switch c.Param("op") {
	case "instruct":
		err = cs.Instruct(c.PostForm("instruction"), c.PostForm("deliver_to"), by, now)
	case "handle":
		err = cs.Reply(true, c.PostForm("note"), by, now)
	case "refuse":
		err = cs.Reply(false, c.PostForm("note"), by, now)
	default:
		s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
		return
	}
	if err != nil {
		v.Error = shopError(v.Lang, err)
		c.HTML(http.StatusUnprocessableEntity, "shop_case", v)
		return
	}
	actor := fmt.Sprintf("shop:%d", v.Shop.ID)
	err = s.opt.Shops.SaveCase(c.Request.Context(), v.R.Ref, cs, actor, now, func(r *dsar.Request) (dsar.Change, error) {
		ev, err := r.ShopAnswered(cs, v.Shop.Name, now)
		return dsar.Change{Events: []dsar.Event{ev}}, err
	})
	if err != nil && dsar.ErrorCode(err) != dsar.EINTERNAL {
		v.Error = shopError(v.Lang, err)
		c.HTML(http.StatusConflict, "shop_case", v)
		return
	} else if err != nil {
		s.fail(c, err, "save case")
		return
	}
	s.opt.Logger.Info("Client shop answered", "ref", v.R.Ref, "shop_id", v.Shop.ID, "state", cs.State)
	v.Case = cs
	c.HTML(http.StatusOK, "shop_case", v)
}

func shopError(lang i18n.Lang, err error) string {
	switch {
	case errors.Is(err, dsar.ErrCaseAnswered):
		return i18n.T(lang, "shop.err.answered")
	case errors.Is(err, dsar.ErrInstruction):
		return i18n.T(lang, "shop.err.instruction")
	case errors.Is(err, dsar.ErrTextRequired):
		return i18n.T(lang, "shop.err.required")
	}
	return i18n.T(lang, "action.err.refused")
}

// instructedShop returns the shop whose instruction the request carries
// out, if any, with its case.
func (s *Server) instructedShop(ctx context.Context, r dsar.Request) (dsar.Shop, dsar.Case, bool) {
	if s.opt.Shops == nil {
		return dsar.Shop{}, dsar.Case{}, false
	}
	cases, err := s.opt.Shops.Cases(ctx, r.ID)
	if err != nil {
		return dsar.Shop{}, dsar.Case{}, false
	}
	for _, cs := range cases {
		if cs.State == dsar.CaseInstructed {
			if shop, err := s.opt.Shops.Shop(ctx, cs.ShopID); err == nil {
				return shop, cs, true
			}
		}
	}
	return dsar.Shop{}, dsar.Case{}, false
}

// notifyShopsDone tells each shop whose instruction was carried out that
// it is done, once the request is closed.
func (s *Server) notifyShopsDone(ctx context.Context, r dsar.Request, me dsar.Staff, now time.Time) error {
	shop, cs, ok := s.instructedShop(ctx, r)
	if !ok {
		return nil
	}
	cs.State, cs.DoneAt = dsar.CaseDone, &now
	lang, _ := i18n.Parse(shop.Lang)
	what := i18n.T(lang, "shop.done."+cs.Instruction)
	return s.opt.Shops.SaveCase(ctx, r.Ref, cs, me.Actor(), now, func(r *dsar.Request) (dsar.Change, error) {
		m, err := s.opt.ShopMails.ShopMail("done", shop, *r, cs, dsar.Token{}, what)
		return dsar.Change{Mails: []dsar.Mail{m}}, err
	})
}
