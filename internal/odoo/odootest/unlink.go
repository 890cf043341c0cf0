package odootest

import "strings"

// unlink deletes records; ids that no longer exist are ignored, as Odoo does.
func (e *env) unlink(m *modelDef, ids []int) error {
	if m.virtual {
		return modelAccessError(m, "unlink")
	}
	var live []int
	for _, id := range ids {
		if _, ok := e.row(m, id); ok {
			live = append(live, id)
		}
	}
	if len(live) == 0 {
		return nil
	}
	if err := e.beforeUnlink(m, live); err != nil {
		return err
	}
	if m.thread {
		e.dropThread(m, live)
	}
	return e.deleteRows(m, live)
}

// beforeUnlink holds the @api.ondelete checks of the models dsar deletes.
func (e *env) beforeUnlink(m *modelDef, ids []int) error {
	switch m.name {
	case "res.users":
		for _, id := range ids {
			switch id {
			case 1:
				return raise(excUserError, "You can not remove the admin user as it is used internally for resources created by Odoo (updates, module installation, ...)")
			case 2:
				return raise(excUserError, "You cannot delete the admin user because it is utilized in various places (such as security configurations,...). Instead, archive it.")
			}
		}
	case "res.partner":
		if users := e.linkedUsers(ids); len(users) > 0 {
			return e.linkedUserError("delete", users)
		}
		if moves := e.model("account.move"); moves != nil {
			set := intSet(ids)
			for _, r := range e.rows(moves) {
				p, _ := r["partner_id"].(int)
				if set[p] && (r["state"] == "draft" || r["state"] == "posted") {
					return raise(excUserError, "The partner cannot be deleted because it is used in Accounting")
				}
			}
		}
		if so := e.model("sale.order"); so != nil && e.version >= 17 && e.version <= 18 {
			// 17 and 18 delete the partner's quotations and cancelled orders with it.
			set := intSet(ids)
			var drop []int
			for _, id := range e.allIDs(so) {
				r, _ := e.row(so, id)
				p, _ := r["partner_id"].(int)
				if set[p] && (r["state"] == "draft" || r["state"] == "cancel") {
					drop = append(drop, id)
				}
			}
			if err := e.unlink(so, drop); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropThread deletes the messages and followers of deleted documents, as
// mail.thread's unlink does.
func (e *env) dropThread(m *modelDef, ids []int) {
	set := intSet(ids)
	for _, name := range []string{"mail.message", "mail.followers"} {
		mm := e.model(name)
		if mm == nil {
			continue
		}
		field := "model"
		if name == "mail.followers" {
			field = "res_model"
		}
		rows := e.rows(mm)
		for id, r := range rows {
			resID, _ := r["res_id"].(int)
			if r[field] == m.name && set[resID] {
				delete(rows, id)
			}
		}
	}
}

// deleteRows runs the SQL DELETE: foreign keys to the rows cascade, are
// set to NULL or refuse, as each many2one's ondelete says.
func (e *env) deleteRows(m *modelDef, ids []int) error {
	set := intSet(ids)
	for _, name := range e.sc.names() {
		other := e.sc[name]
		if other.virtual {
			continue
		}
		for _, f := range other.fields {
			if f.ttype != "many2one" || f.relation != m.name || f.computed || f.name == "create_uid" || f.name == "write_uid" {
				continue
			}
			var cascade []int
			for _, oid := range e.allIDs(other) {
				r, _ := e.row(other, oid)
				v, ok := r[f.name].(int)
				if !ok || !set[v] || (other == m && set[oid]) {
					continue
				}
				switch f.ondelete {
				case "cascade":
					cascade = append(cascade, oid)
				case "restrict":
					return e.foreignKeyError(other, f)
				default:
					r[f.name] = nil
				}
			}
			if len(cascade) > 0 {
				if err := e.deleteRows(other, cascade); err != nil {
					return err
				}
			}
		}
	}
	rows := e.rows(m)
	for _, id := range ids {
		delete(rows, id)
	}
	// create_uid and write_uid are ondelete set null
	if m.name == "res.users" {
		for _, t := range e.data.tables {
			for _, r := range t.rows {
				for _, k := range []string{"create_uid", "write_uid"} {
					if v, ok := r[k].(int); ok && set[v] {
						r[k] = nil
					}
				}
			}
		}
	}
	return nil
}

// linkedUsers returns the active users of these partners.
func (e *env) linkedUsers(partnerIDs []int) []int {
	set := intSet(partnerIDs)
	var out []int
	users := e.model("res.users")
	for _, id := range e.allIDs(users) {
		r, _ := e.row(users, id)
		if p, ok := r["partner_id"].(int); ok && set[p] && truthy(r["active"]) {
			out = append(out, id)
		}
	}
	return out
}

// linkedUserError is res.partner's refusal to archive or delete contacts of
// active users: a RedirectWarning for those who may edit users, else a
// ValidationError.
func (e *env) linkedUserError(what string, users []int) *odooError {
	um := e.model("res.users")
	names := make([]string, len(users))
	for i, id := range users {
		names[i] = e.displayName(um, id)
	}
	list := strings.Join(names, ", ")
	if e.user != nil && e.user.Admin {
		remedy := "You should rather archive them after archiving their associated user."
		if what == "archive" {
			remedy = "You first need to archive their associated user."
		}
		return raise(excRedirectWarning, "You cannot %s contacts linked to an active user.\n%s\n\nLinked active users : %s", what, remedy, list)
	}
	return raise(excValidationError, "You cannot %s contacts linked to an active user.\nAsk an administrator to archive their associated user first.\n\nLinked active users :\n%s", what, list)
}
