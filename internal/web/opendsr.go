package web

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/opendsr"
	"github.com/vracoop/dsar/internal/register"
)

// API stores what the OpenDSR API needs.
type API interface {
	ShopByAPIKey(ctx context.Context, hash string) (dsar.Shop, error)
	CreateAPIRequest(ctx context.Context, a *dsar.APIRequest, r *dsar.Request, c *dsar.Case, actor string) error
	APIRequest(ctx context.Context, shopID int64, subjectID string) (dsar.APIRequest, error)
	CancelAPIRequest(ctx context.Context, a dsar.APIRequest, ref, actor string, now time.Time) error
}

//go:embed openapi.json
var openAPIDocument []byte

const shopKey = "api_shop"

// apiRoutes serves the OpenDSR API: JSON in and out, each shop
// authenticated by its own bearer key, no cookies (so no CSRF).
func (s *Server) apiRoutes(e *gin.Engine) {
	e.GET("/openapi.json", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", openAPIDocument) })
	e.GET("/discovery", s.handleDiscovery)
	api := e.Group("/opengdpr_requests", s.requireShopKey)
	api.POST("", s.boundBody, s.handleAPICreate)
	api.GET("/:id", s.handleAPIStatus)
	api.DELETE("/:id", s.handleAPICancel)
}

func apiError(c *gin.Context, status int, msg string) {
	var e opendsr.Error
	e.Error.Code, e.Error.Message = status, msg
	c.AbortWithStatusJSON(status, e)
}

// apiFailure answers a failure of storage: 503 with Retry-After when a
// retry may cure it (the database is busy or full), 500 otherwise; what
// says what could not be done.
func (s *Server) apiFailure(c *gin.Context, err error, what string) {
	if dsar.ErrorCode(err) == dsar.EUNAVAILABLE {
		s.opt.Logger.Warn("Service unavailable", "op", "OpenDSR: "+what, "error", err)
		c.Header("Retry-After", "60")
		apiError(c, http.StatusServiceUnavailable, what+": the service is busy; try again later")
		return
	}
	s.opt.Logger.Error("OpenDSR request failed", "op", what, "error", err)
	apiError(c, http.StatusInternalServerError, what+"; try again later")
}

// requireShopKey authenticates the shop by its bearer key.
func (s *Server) requireShopKey(c *gin.Context) {
	key, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok {
		key, ok = strings.CutPrefix(c.GetHeader("Authorization"), "bearer ")
	}
	if !ok || strings.TrimSpace(key) == "" {
		c.Header("WWW-Authenticate", `Bearer realm="dsar"`)
		apiError(c, http.StatusUnauthorized, "a bearer API key is required")
		return
	}
	shop, err := s.opt.API.ShopByAPIKey(c.Request.Context(), dsar.HashToken(strings.TrimSpace(key)))
	if dsar.ErrorCode(err) == dsar.ENOTFOUND {
		apiError(c, http.StatusUnauthorized, "unknown API key")
		return
	} else if err != nil {
		s.apiFailure(c, err, "the API key could not be checked")
		return
	}
	c.Set(shopKey, shop)
	c.Next()
}

func (s *Server) handleDiscovery(c *gin.Context) {
	d := opendsr.Discovery{APIVersion: opendsr.APIVersion, SupportedSubjectRequestTypes: opendsr.RequestTypes}
	for _, t := range opendsr.IdentityTypes {
		d.SupportedIdentities = append(d.SupportedIdentities, opendsr.Identity{Type: t, Format: opendsr.IdentityFormat})
	}
	c.JSON(http.StatusOK, d)
}

// handleAPICreate takes a shop's request: the shop, as controller,
// vouches for the person and instructs VRACOOP at once.
func (s *Server) handleAPICreate(c *gin.Context) {
	shop := c.MustGet(shopKey).(dsar.Shop)
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		apiError(c, http.StatusRequestEntityTooLarge, "request body too large")
		return
	}
	var in opendsr.Request
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		apiError(c, http.StatusBadRequest, "malformed JSON: "+err.Error())
		return
	}
	sub, msg := apiSubmission(in)
	if msg != "" {
		apiError(c, http.StatusBadRequest, msg)
		return
	}
	now := s.opt.Now()
	sub.ShopID, sub.Lang = shop.ID, shop.Lang
	r := dsar.NewRequest(newRequestID(), sub, dsar.ChannelAPI, now)
	r.Status, r.Clock = dsar.StatusReceived, dsar.StartClock(now)
	r.Routing = s.opt.Register.Route(register.RouteInput{Relationship: dsar.RelLoyalty})
	instruction := dsar.InstructAccess
	if in.SubjectRequestType == "erasure" {
		instruction = dsar.InstructErasure
	}
	cs := dsar.Case{ShopID: shop.ID, State: dsar.CaseInstructed, ForwardedAt: now, ForwardDue: dsar.DateOf(now), ShopDue: r.Clock.Due(),
		Instruction: instruction, DeliverTo: "shop", InstructedBy: "OpenDSR API", InstructedAt: &now}
	a := dsar.APIRequest{SubjectRequestID: in.SubjectRequestID, ShopID: shop.ID, Type: in.SubjectRequestType,
		CallbackURLs: in.StatusCallbackURLs, ReceivedAt: now, LastStatus: "pending"}
	err = s.opt.API.CreateAPIRequest(c.Request.Context(), &a, &r, &cs, "shop:"+shop.Name)
	if dsar.ErrorCode(err) == dsar.ECONFLICT {
		apiError(c, http.StatusConflict, "this subject_request_id was already submitted")
		return
	} else if err != nil {
		s.apiFailure(c, err, "the request could not be stored")
		return
	}
	s.opt.Logger.Info("OpenDSR request received", "ref", r.Ref, "shop_id", shop.ID, "type", in.SubjectRequestType)
	c.JSON(http.StatusCreated, opendsr.Response{ControllerID: opendsr.ControllerID(shop.ID), ExpectedCompletionTime: opendsr.Completion(r.Clock.Due()),
		ReceivedTime: now.UTC().Format(time.RFC3339), EncodedRequest: base64.StdEncoding.EncodeToString(body), SubjectRequestID: in.SubjectRequestID})
}

// apiSubmission checks an API request and turns it into a submission, or
// says what is wrong.
func apiSubmission(in opendsr.Request) (dsar.Submission, string) {
	if _, err := uuid.Parse(in.SubjectRequestID); err != nil {
		return dsar.Submission{}, "subject_request_id must be a UUID"
	}
	kinds := map[string]dsar.Kind{"access": dsar.KindAccess, "portability": dsar.KindPortability, "erasure": dsar.KindErasure}
	k, ok := kinds[in.SubjectRequestType]
	if !ok {
		return dsar.Submission{}, "subject_request_type must be access, portability or erasure"
	}
	if in.SubmittedTime != "" {
		if _, err := time.Parse(time.RFC3339, in.SubmittedTime); err != nil {
			return dsar.Submission{}, "submitted_time must be RFC 3339"
		}
	}
	sub := dsar.Submission{Relationship: dsar.RelLoyalty, Kinds: []dsar.Kind{k}}
	for _, id := range in.SubjectIdentities {
		if id.Format != opendsr.IdentityFormat {
			return dsar.Submission{}, "only raw identities are supported: a hashed one cannot be searched"
		}
		switch id.Type {
		case "email":
			if !dsar.ValidEmail(strings.TrimSpace(id.Value)) {
				return dsar.Submission{}, "an email identity is not a valid address"
			}
			sub.Email = strings.TrimSpace(id.Value)
		case "phone_number":
			if !dsar.ValidPhone(strings.TrimSpace(id.Value)) {
				return dsar.Submission{}, "a phone_number identity is not a valid number"
			}
			sub.Phone = strings.TrimSpace(id.Value)
		default:
			return dsar.Submission{}, "identity_type must be email or phone_number"
		}
	}
	if sub.Email == "" && sub.Phone == "" {
		return dsar.Submission{}, "subject_identities must hold an email or a phone_number"
	}
	for _, u := range in.StatusCallbackURLs {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return dsar.Submission{}, "status_callback_urls must be absolute http(s) URLs"
		}
	}
	return sub, ""
}

// apiRequest finds the calling shop's request of the URL, or answers 404:
// a shop never sees another shop's requests.
func (s *Server) apiRequest(c *gin.Context) (dsar.APIRequest, dsar.Request, dsar.Shop, bool) {
	shop := c.MustGet(shopKey).(dsar.Shop)
	a, err := s.opt.API.APIRequest(c.Request.Context(), shop.ID, c.Param("id"))
	if dsar.ErrorCode(err) == dsar.ENOTFOUND {
		apiError(c, http.StatusNotFound, "no such request")
		return a, dsar.Request{}, shop, false
	} else if err != nil {
		s.apiFailure(c, err, "the request could not be read")
		return a, dsar.Request{}, shop, false
	}
	r, err := s.opt.Requests.FindRequest(c.Request.Context(), a.RequestID)
	if err != nil {
		s.apiFailure(c, err, "the request could not be read")
		return a, r, shop, false
	}
	return a, r, shop, true
}

func (s *Server) handleAPIStatus(c *gin.Context) {
	a, r, shop, ok := s.apiRequest(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, opendsr.Status{ControllerID: opendsr.ControllerID(shop.ID), ExpectedCompletionTime: opendsr.Completion(r.Clock.Due()),
		SubjectRequestID: a.SubjectRequestID, RequestStatus: dsar.OpenDSRStatus(r, a), APIVersion: opendsr.APIVersion})
}

// handleAPICancel cancels a request while it is pending; once work has
// started it can no longer be cancelled. The store checks that in the
// transaction that cancels, so that staff starting work meanwhile wins.
func (s *Server) handleAPICancel(c *gin.Context) {
	a, r, shop, ok := s.apiRequest(c)
	if !ok {
		return
	}
	err := s.opt.API.CancelAPIRequest(c.Request.Context(), a, r.Ref, "shop:"+shop.Name, s.opt.Now())
	if dsar.ErrorCode(err) == dsar.ECONFLICT {
		apiError(c, http.StatusConflict, "only a pending request can be cancelled")
		return
	} else if err != nil {
		s.apiFailure(c, err, "the request could not be cancelled")
		return
	}
	c.JSON(http.StatusAccepted, opendsr.Response{ControllerID: opendsr.ControllerID(shop.ID), ReceivedTime: a.ReceivedAt.UTC().Format(time.RFC3339),
		SubjectRequestID: a.SubjectRequestID})
}
