// Package opendsr holds the wire format of the OpenDSR API (formerly
// OpenGDPR) through which client shops submit requests to VRACOOP, their
// processor, and the signed status callbacks dsar sends them.
package opendsr

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// APIVersion is the version of the OpenDSR API served.
const APIVersion = "0.1"

// Request types, identity types and formats the API supports.
var (
	RequestTypes   = []string{"access", "portability", "erasure"}
	IdentityTypes  = []string{"email", "phone_number"}
	IdentityFormat = "raw"
)

// Identity is one of subject_identities.
type Identity struct {
	Type   string `json:"identity_type"`
	Value  string `json:"identity_value"`
	Format string `json:"identity_format"`
}

// Request is the body of POST /opengdpr_requests.
type Request struct {
	SubjectRequestID   string     `json:"subject_request_id"`
	SubjectRequestType string     `json:"subject_request_type"`
	SubjectIdentities  []Identity `json:"subject_identities"`
	SubmittedTime      string     `json:"submitted_time"`
	APIVersion         string     `json:"api_version"`
	StatusCallbackURLs []string   `json:"status_callback_urls"`
}

// Response answers a created request.
type Response struct {
	ControllerID           string `json:"controller_id"`
	ExpectedCompletionTime string `json:"expected_completion_time"`
	ReceivedTime           string `json:"received_time"`
	EncodedRequest         string `json:"encoded_request,omitempty"`
	SubjectRequestID       string `json:"subject_request_id"`
}

// Status answers GET /opengdpr_requests/{id}, and is the body of a
// callback.
type Status struct {
	ControllerID           string `json:"controller_id"`
	ExpectedCompletionTime string `json:"expected_completion_time"`
	SubjectRequestID       string `json:"subject_request_id"`
	RequestStatus          string `json:"request_status"`
	APIVersion             string `json:"api_version"`
	StatusCallbackURL      string `json:"status_callback_url,omitempty"`
}

// Discovery answers GET /discovery.
type Discovery struct {
	APIVersion                   string     `json:"api_version"`
	SupportedIdentities          []Identity `json:"supported_identities"`
	SupportedSubjectRequestTypes []string   `json:"supported_subject_request_types"`
}

// Error is the body of an error answer.
type Error struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// ControllerID names a shop in the API.
func ControllerID(shopID int64) string { return "shop-" + strconv.FormatInt(shopID, 10) }

// Completion is the expected completion time of a request: the end of its
// due day, in Paris.
func Completion(d dsar.Date) string {
	return d.AddDays(1).Time().Add(-time.Second).UTC().Format(time.RFC3339)
}

// Sign returns the signature header value of body under secret:
// "sha256=" and the hex HMAC-SHA256.
func Sign(secret []byte, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, body))
}

// mac is the HMAC-SHA256 of body under secret.
func mac(secret, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return m.Sum(nil)
}

// Verify reports whether header is the signature of body under secret, in
// constant time. Shops call it on the callbacks they receive.
func Verify(secret, body []byte, header string) bool {
	got, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	raw, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	return hmac.Equal(raw, mac(secret, body))
}

// Callbacks renders the signed callbacks that tell a shop the new status of
// its request, one per callback URL, as outbox webhooks.
func Callbacks(a dsar.APIRequest, r dsar.Request, status string, secret []byte) ([]dsar.Mail, error) {
	var out []dsar.Mail
	for _, u := range a.CallbackURLs {
		body, err := json.Marshal(Status{ControllerID: ControllerID(a.ShopID), ExpectedCompletionTime: Completion(r.Clock.Due()),
			SubjectRequestID: a.SubjectRequestID, RequestStatus: status, APIVersion: APIVersion, StatusCallbackURL: u})
		if err != nil {
			return nil, err
		}
		out = append(out, dsar.Mail{Kind: dsar.MailKindWebhook, RequestID: r.ID, To: u, Subject: Sign(secret, body), Text: string(body)})
	}
	return out, nil
}
