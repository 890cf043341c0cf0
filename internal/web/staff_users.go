package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/vracoop/dsar/internal/dsar"
	"github.com/vracoop/dsar/internal/i18n"
	"github.com/vracoop/dsar/internal/password"
)

// staffBase is the base view of every back-office page.
type staffBase struct {
	base
	Staff dsar.Staff
}

func (s *Server) staffBase(c *gin.Context) staffBase {
	b := s.base(c)
	b.CSRF = s.csrfToken(c)
	return staffBase{base: b, Staff: currentStaff(c)}
}

// usersPage lists the staff accounts and offers the admin's actions.
type usersPage struct {
	staffBase
	Users   []dsar.Staff
	Form    newUserForm
	Errors  map[string]string
	Notice  string
	Roles   []dsar.StaffRole
	MinPass int
}

type newUserForm struct {
	Email, Name string
	Role        dsar.StaffRole
}

func (s *Server) renderUsers(c *gin.Context, status int, form newUserForm, errors map[string]string, notice string) {
	users, err := s.opt.Staff.ListStaff(c.Request.Context())
	if err != nil {
		s.fail(c, err, "list staff")
		return
	}
	if form.Role == "" {
		form.Role = dsar.StaffAgent
	}
	c.HTML(status, "staff_users", usersPage{staffBase: s.staffBase(c), Users: users, Form: form, Errors: errors,
		Notice: notice, Roles: []dsar.StaffRole{dsar.StaffAgent, dsar.StaffAdmin}, MinPass: dsar.MinPasswordLen})
}

func (s *Server) handleUsers(c *gin.Context) {
	s.renderUsers(c, http.StatusOK, newUserForm{}, nil, "")
}

// handleUserAdd creates an account with the initial password the admin
// gives (to be changed by its owner later).
func (s *Server) handleUserAdd(c *gin.Context) {
	lang := langOf(c)
	form := newUserForm{Email: strings.TrimSpace(c.PostForm("email")), Name: strings.TrimSpace(c.PostForm("name")),
		Role: dsar.StaffRole(c.PostForm("role"))}
	if !s.csrfValid(c) {
		s.renderUsers(c, http.StatusForbidden, form, map[string]string{"form": i18n.T(lang, "err.csrf")}, "")
		return
	}
	pw := c.PostForm("password")
	if problems := dsar.ValidateStaff(form.Email, form.Name, form.Role, pw); len(problems) > 0 {
		msgs := map[string]string{}
		for field, p := range problems {
			msgs[field] = staffProblem(lang, field, p)
		}
		s.renderUsers(c, http.StatusUnprocessableEntity, form, msgs, "")
		return
	}
	hash, err := password.Hash(pw, s.opt.PasswordParams)
	if err != nil {
		s.fail(c, err, "hash password")
		return
	}
	st := dsar.Staff{Email: form.Email, Name: form.Name, Role: form.Role, Active: true, CreatedAt: s.opt.Now()}
	if err := s.opt.Staff.CreateStaff(c.Request.Context(), &st, hash, currentStaff(c).Actor()); err != nil {
		if dsar.ErrorCode(err) == dsar.ECONFLICT {
			s.renderUsers(c, http.StatusConflict, form, map[string]string{"email": i18n.T(lang, "staff.users.exists")}, "")
			return
		}
		s.fail(c, err, "create staff")
		return
	}
	s.renderUsers(c, http.StatusCreated, newUserForm{}, nil, i18n.T(lang, "staff.users.added", st.Email))
}

// handleUserAction applies one admin action to one account.
func (s *Server) handleUserAction(c *gin.Context) {
	lang := langOf(c)
	if !s.csrfValid(c) {
		s.renderUsers(c, http.StatusForbidden, newUserForm{}, map[string]string{"form": i18n.T(lang, "err.csrf")}, "")
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
		return
	}
	me, ctx, now := currentStaff(c), c.Request.Context(), s.opt.Now()
	if id == me.ID && c.Param("action") != "password" {
		s.renderUsers(c, http.StatusConflict, newUserForm{}, map[string]string{"form": i18n.T(lang, "staff.users.not_self")}, "")
		return
	}
	switch c.Param("action") {
	case "disable", "enable":
		err = s.opt.Staff.SetStaffActive(ctx, id, c.Param("action") == "enable", me.Actor(), now)
	case "role":
		role := dsar.StaffRole(c.PostForm("role"))
		if !role.Valid() {
			s.renderUsers(c, http.StatusUnprocessableEntity, newUserForm{}, map[string]string{"form": i18n.T(lang, "err.choice")}, "")
			return
		}
		err = s.opt.Staff.SetStaffRole(ctx, id, role, me.Actor(), now)
	case "password":
		pw := c.PostForm("password")
		if p := dsar.PasswordProblem(pw); p != "" {
			s.renderUsers(c, http.StatusUnprocessableEntity, newUserForm{}, map[string]string{"form": staffProblem(lang, "password", p)}, "")
			return
		}
		var hash string
		if hash, err = password.Hash(pw, s.opt.PasswordParams); err == nil {
			err = s.opt.Staff.SetStaffPassword(ctx, id, hash, me.Actor(), now)
		}
	default:
		s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
		return
	}
	if dsar.ErrorCode(err) == dsar.ENOTFOUND {
		s.renderMessage(c, http.StatusNotFound, "site.error.title", "err.not_found")
		return
	} else if err != nil {
		s.fail(c, err, "staff action")
		return
	}
	s.renderUsers(c, http.StatusOK, newUserForm{}, nil, i18n.T(lang, "staff.users.done"))
}

func staffProblem(lang i18n.Lang, field string, p dsar.Problem) string {
	key := "err." + field + "." + string(p)
	if !i18n.Has(key) {
		key = "err." + string(p)
	}
	switch p {
	case dsar.ProblemTooLong:
		if field == "password" {
			return i18n.T(lang, key, dsar.MaxPasswordLen)
		}
		return i18n.T(lang, key, maxLen(field))
	case dsar.ProblemTooShort:
		return i18n.T(lang, key, dsar.MinPasswordLen)
	}
	return i18n.T(lang, key)
}
