package web

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
)

// formFields lists the form's fields in page order, with their limits; the
// error summary follows this order.
var formFields = []struct {
	name string
	max  int
}{
	{"name", dsar.MaxNameLen}, {"email", dsar.MaxEmailLen}, {"phone", dsar.MaxPhoneLen},
	{"relationship", 0}, {"shop_id", 0}, {"shop_name", dsar.MaxShopLen}, {"shop_town", dsar.MaxShopLen},
	{"kinds", 0}, {"rectify_wrong", dsar.MaxRectifyLen}, {"rectify_correct", dsar.MaxRectifyLen},
	{"details", dsar.MaxDetailsLen},
}

func maxLen(field string) int {
	for _, f := range formFields {
		if f.name == field {
			return f.max
		}
	}
	return 0
}

// formPage is the view of the public form.
type formPage struct {
	base
	Form          dsar.Submission
	Errors        map[string]string // field -> message in the person's language
	FormError     string            // a problem with the whole form (CSRF, rate limit...)
	Relationships []dsar.Relationship
	Kinds         []dsar.Kind
	Shops         []dsar.Shop // the client shops a person may pick
}

// fieldError is one line of the error summary.
type fieldError struct{ Field, Message string }

// ErrorList returns the field errors in page order.
func (p formPage) ErrorList() []fieldError {
	var out []fieldError
	for _, f := range formFields {
		if msg, ok := p.Errors[f.name]; ok {
			out = append(out, fieldError{f.name, msg})
		}
	}
	return out
}

// KindChecked reports whether the person ticked k.
func (p formPage) KindChecked(k dsar.Kind) bool { return dsar.HasKind(p.Form.Kinds, k) }

func (p formPage) value(name string) string {
	f := p.Form
	switch name {
	case "name":
		return f.Name
	case "email":
		return f.Email
	case "phone":
		return f.Phone
	case "shop_name":
		return f.ShopName
	case "shop_town":
		return f.ShopTown
	case "rectify_wrong":
		return f.RectifyWrong
	case "rectify_correct":
		return f.RectifyCorrect
	case "details":
		return f.Details
	}
	return ""
}

// fieldView is what the input and textarea templates see.
type fieldView struct {
	Lang               i18n.Lang
	Name, Type, Label  string
	Autocomplete       string
	Required           bool
	Hint, Error, Value string
	Max                int
	DescribedBy        string
}

// field is the template function that builds a fieldView.
func field(p formPage, name, typ, autocomplete string, required bool, hintKey string) fieldView {
	v := fieldView{Lang: p.Lang, Name: name, Type: typ, Label: "form." + name, Autocomplete: autocomplete,
		Required: required, Error: p.Errors[name], Value: p.value(name), Max: maxLen(name)}
	var ids []string
	if hintKey != "" {
		v.Hint = strings.Replace(i18n.T(p.Lang, hintKey), "%d", strconv.Itoa(v.Max), 1)
		ids = append(ids, "f-"+name+"-hint")
	}
	if v.Error != "" {
		ids = append(ids, "f-"+name+"-err")
	}
	v.DescribedBy = strings.Join(ids, " ")
	return v
}

// parseSubmission reads the posted form. Unknown rights are kept as given,
// so that validation can refuse them.
func parseSubmission(c *gin.Context, lang i18n.Lang) dsar.Submission {
	s := dsar.Submission{
		Name: c.PostForm("name"), Email: c.PostForm("email"), Phone: c.PostForm("phone"),
		Relationship: dsar.Relationship(c.PostForm("relationship")),
		ShopName:     c.PostForm("shop_name"), ShopTown: c.PostForm("shop_town"),
		RectifyWrong: c.PostForm("rectify_wrong"), RectifyCorrect: c.PostForm("rectify_correct"),
		Details: c.PostForm("details"), Lang: string(lang),
	}
	s.ShopID, _ = strconv.ParseInt(c.PostForm("shop_id"), 10, 64)
	for _, k := range c.PostFormArray("kinds") {
		s.Kinds = append(s.Kinds, dsar.Kind(k))
	}
	s.Normalize()
	return s
}

// problemMessages turns the domain's problem codes into sentences in lang:
// "err.<field>.<problem>" when the catalog has it, else "err.<problem>".
func problemMessages(lang i18n.Lang, problems dsar.Problems) map[string]string {
	out := make(map[string]string, len(problems))
	for field, p := range problems {
		key := "err." + field + "." + string(p)
		if !i18n.Has(key) {
			key = "err." + string(p)
		}
		if p == dsar.ProblemTooLong {
			out[field] = i18n.T(lang, key, maxLen(field))
		} else {
			out[field] = i18n.T(lang, key)
		}
	}
	return out
}
