package odootest

import (
	"fmt"
	"sort"
	"strings"
)

// notNullError words a NOT NULL violation as retrying() does: Odoo 16
// and 17 with _as_validation_error, 18 and later with _sql_error_to_message.
func (e *env) notNullError(m *modelDef, f *fieldDef) *odooError {
	if e.version >= 18 {
		return raise(excValidationError, "The operation cannot be completed: Missing required value for the field '%s' (%s).\nModel: '%s' (%s)\n- create/update: a mandatory field is not set\n- delete: another model requires the record being deleted, you can archive it instead\n",
			f.label, f.name, m.desc, m.name)
	}
	return raise(excValidationError, "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: %s (%s)\nField: %s (%s)\n",
		m.desc, m.name, f.label, f.name)
}

// foreignKeyError is the error of a foreign key between m.f and its comodel.
func (e *env) foreignKeyError(m *modelDef, f *fieldDef) *odooError {
	constraint := strings.ReplaceAll(m.name, ".", "_") + "_" + f.name + "_fkey"
	if e.version >= 18 {
		return raise(excValidationError, "The operation cannot be completed: Another model is using the record you are trying to delete.\n\nThe troublemaker is: '%s' (%s)\nThanks to the following constraint: '%s' (%s)\nHow about archiving the record instead?",
			m.desc, m.name, f.label, f.name)
	}
	return raise(excValidationError, "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: %s (%s)\nConstraint: %s\n",
		m.desc, m.name, constraint)
}

// create makes one record from vals and returns its id.
func (e *env) create(m *modelDef, vals map[string]any) (int, error) {
	if m.virtual {
		return 0, modelAccessError(m, "create")
	}
	if m.name == "res.users" {
		if err := e.prepareUser(vals); err != nil {
			return 0, err
		}
	}
	row := map[string]any{}
	x2many, err := e.assign(m, row, vals)
	if err != nil {
		return 0, err
	}
	e.defaults(m, row)
	stamp := e.now.UTC().Format(datetimeLayout)
	row["create_date"], row["write_date"] = stamp, stamp
	row["create_uid"], row["write_uid"] = e.uid, e.uid
	if err := e.checkRow(m, row); err != nil {
		return 0, err
	}
	id := e.data.Add(m.name, row)
	if err := e.applyX2many(m, id, x2many); err != nil {
		return 0, err
	}
	return id, nil
}

// assign validates vals and sets them on row; it returns the one2many
// commands to apply once the record exists.
func (e *env) assign(m *modelDef, row map[string]any, vals map[string]any) (map[string]any, error) {
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Strings(names)
	x2many := map[string]any{}
	for _, k := range names {
		f := m.field(k)
		if f == nil {
			return nil, invalidField(k, m.name)
		}
		v := vals[k]
		switch {
		case f.ttype == "one2many":
			x2many[k] = v
			continue
		case f.related != "":
			continue // written through by the caller (res.users)
		case k == "company_type":
			row["is_company"] = v == "company"
			continue
		case f.computed || k == "id" || k == "create_date" || k == "write_date" || k == "create_uid" || k == "write_uid":
			continue // computed or magic: Odoo keeps its own value
		}
		cv, err := e.toCache(m, f, v)
		if err != nil {
			return nil, err
		}
		row[k] = cv
	}
	return x2many, nil
}

// defaults fills the default values of a new record.
func (e *env) defaults(m *modelDef, row map[string]any) {
	setDefault := func(k string, v any) {
		if _, ok := row[k]; !ok && m.field(k) != nil {
			row[k] = v
		}
	}
	setDefault("active", true)
	now := e.now.UTC().Format(datetimeLayout)
	switch m.name {
	case "res.partner":
		setDefault("type", "contact")
		setDefault("is_company", false)
		setDefault("customer_rank", 0)
		setDefault("supplier_rank", 0)
	case "res.users":
		setDefault("share", false)
	case "crm.lead":
		setDefault("type", "opportunity")
		setDefault("probability", 10.0)
		if row["type"] == "opportunity" {
			if stages := e.allIDs(e.model("crm.stage")); len(stages) > 0 {
				setDefault("stage_id", stages[0])
			}
		}
	case "sale.order":
		setDefault("name", e.sequence(m, "S", 5))
		setDefault("state", "draft")
		setDefault("date_order", now)
		setDefault("amount_total", 0.0)
	case "purchase.order":
		setDefault("name", e.sequence(m, "P", 5))
		setDefault("state", "draft")
		setDefault("date_order", now)
		setDefault("amount_total", 0.0)
	case "account.move":
		setDefault("name", "/")
		setDefault("state", "draft")
		setDefault("move_type", "entry")
		setDefault("date", e.now.UTC().Format(dateLayout))
		setDefault("amount_total", 0.0)
		setDefault("payment_state", "not_paid")
	case "pos.order":
		setDefault("name", e.sequence(m, "Order ", 5))
		setDefault("state", "draft")
		setDefault("date_order", now)
		setDefault("amount_total", 0.0)
	case "loyalty.card":
		setDefault("code", fmt.Sprintf("044%x-%04x", e.now.UnixNano()&0xffffff, len(e.rows(m))+1))
		setDefault("points", 0.0)
	case "mail.message":
		setDefault("date", now)
		setDefault("message_type", "email")
	}
}

// sequence gives the next free reference like S00042.
func (e *env) sequence(m *modelDef, prefix string, width int) string {
	used := map[string]bool{}
	for _, r := range e.rows(m) {
		if s, ok := r["name"].(string); ok {
			used[s] = true
		}
	}
	for n := len(used) + 1; ; n++ {
		s := fmt.Sprintf("%s%0*d", prefix, width, n)
		if !used[s] {
			return s
		}
	}
}

// checkRow applies the database's constraints to a record about to be
// stored: NOT NULL on required fields, foreign keys, and the few SQL
// constraints dsar can meet.
func (e *env) checkRow(m *modelDef, row map[string]any) error {
	for _, f := range m.fields {
		if f.computed || f.ttype == "one2many" {
			continue
		}
		v := row[f.name]
		if f.required && (v == nil) {
			return e.notNullError(m, f)
		}
		if f.ttype == "many2one" && v != nil {
			co := e.model(f.relation)
			if _, ok := e.row(co, v.(int)); !ok {
				return e.foreignKeyError(m, f)
			}
		}
	}
	if m.name == "res.partner" && row["type"] == "contact" && row["name"] == nil {
		return raise(excValidationError, "The operation cannot be completed: Contacts require a name")
	}
	return nil
}

// prepareUser gives a new user the partner it inherits from, made from the
// name and email of vals, as _inherits does.
func (e *env) prepareUser(vals map[string]any) error {
	login, _ := vals["login"].(string)
	for _, r := range e.rows(e.model("res.users")) {
		if r["login"] == login && login != "" {
			msg := "You can not have two users with the same login!"
			if e.version < 19 {
				msg = "You can not have two users with the same login !"
			}
			return raise(excValidationError, "The operation cannot be completed: %s", msg)
		}
	}
	if _, ok := vals["partner_id"]; ok {
		return nil
	}
	pvals := map[string]any{"name": vals["name"]}
	if pvals["name"] == nil {
		pvals["name"] = login
	}
	if v, ok := vals["email"]; ok {
		pvals["email"] = v
	}
	pid, err := e.create(e.model("res.partner"), pvals)
	if err != nil {
		return err
	}
	vals["partner_id"] = pid
	return nil
}

// write changes fields of existing records.
func (e *env) write(m *modelDef, ids []int, vals map[string]any) error {
	if m.virtual {
		return modelAccessError(m, "write")
	}
	for _, id := range ids {
		if _, ok := e.row(m, id); !ok {
			return missingRecord(m.name, id, e.uid)
		}
	}
	if err := e.beforeWrite(m, ids, vals); err != nil {
		return err
	}
	stamp := e.now.UTC().Format(datetimeLayout)
	for _, id := range ids {
		row, _ := e.row(m, id)
		x2many, err := e.assign(m, row, vals)
		if err != nil {
			return err
		}
		row["write_date"], row["write_uid"] = stamp, e.uid
		if err := e.checkRow(m, row); err != nil {
			return err
		}
		if err := e.applyX2many(m, id, x2many); err != nil {
			return err
		}
		if m.name == "res.users" {
			if err := e.writeThrough(m, row, vals); err != nil {
				return err
			}
		}
	}
	if m.name == "res.users" {
		e.s.invalidateAuthCache()
	}
	return nil
}

// beforeWrite holds the business rules Odoo checks before a write.
func (e *env) beforeWrite(m *modelDef, ids []int, vals map[string]any) error {
	active, setsActive := vals["active"]
	switch {
	case m.name == "res.partner" && setsActive && !truthy(active):
		if users := e.linkedUsers(ids); len(users) > 0 {
			return e.linkedUserError("archive", users)
		}
	case m.name == "res.users" && setsActive && !truthy(active):
		for _, id := range ids {
			if id == e.uid {
				return raise(excUserError, "You cannot deactivate the user you're currently logged in as.")
			}
		}
	}
	return nil
}

// writeThrough writes a user's related fields on its partner.
func (e *env) writeThrough(m *modelDef, row map[string]any, vals map[string]any) error {
	pvals := map[string]any{}
	for _, k := range []string{"name", "email"} {
		if v, ok := vals[k]; ok {
			pvals[k] = v
		}
	}
	if len(pvals) == 0 {
		return nil
	}
	pid, _ := row["partner_id"].(int)
	return e.write(e.model("res.partner"), []int{pid}, pvals)
}

// applyX2many applies one2many commands: (0, 0, vals) create, (1, id, vals)
// update, (2, id) delete, (3, id) unlink, (4, id) link, (5,) unlink all,
// (6, 0, ids) replace.
func (e *env) applyX2many(m *modelDef, id int, cmds map[string]any) error {
	for name, v := range cmds {
		f := m.field(name)
		co := e.model(f.relation)
		list, ok := v.([]any)
		if !ok {
			return raise(excValueError, "Wrong value for %s.%s: %s", m.name, name, pyRepr(v))
		}
		for _, c := range list {
			cmd, ok := c.([]any)
			if !ok || len(cmd) == 0 {
				return raise(excValueError, "Wrong value for %s.%s: %s", m.name, name, pyRepr(v))
			}
			op, _ := asInt(cmd[0])
			arg := func(i int) any {
				if i < len(cmd) {
					return cmd[i]
				}
				return nil
			}
			target, _ := asInt(arg(1))
			switch op {
			case 0:
				vals, _ := arg(2).(map[string]any)
				vals = copyVals(vals)
				vals[f.inverse] = id
				if _, err := e.create(co, vals); err != nil {
					return err
				}
			case 1:
				vals, _ := arg(2).(map[string]any)
				if err := e.write(co, []int{target}, vals); err != nil {
					return err
				}
			case 2:
				if err := e.unlink(co, []int{target}); err != nil {
					return err
				}
			case 3:
				if err := e.write(co, []int{target}, map[string]any{f.inverse: false}); err != nil {
					return err
				}
			case 4:
				if err := e.write(co, []int{target}, map[string]any{f.inverse: id}); err != nil {
					return err
				}
			case 5, 6:
				keep := map[int]bool{}
				if op == 6 {
					ids, _ := idList(arg(2))
					keep = intSet(ids)
					for _, t := range ids {
						if err := e.write(co, []int{t}, map[string]any{f.inverse: id}); err != nil {
							return err
						}
					}
				}
				for _, cid := range e.relatedAll(m, f, id) {
					if !keep[cid] {
						if err := e.write(co, []int{cid}, map[string]any{f.inverse: false}); err != nil {
							return err
						}
					}
				}
			default:
				return raise(excValueError, "Unknown command %s", pyRepr(cmd[0]))
			}
		}
	}
	return nil
}

func copyVals(v map[string]any) map[string]any {
	out := make(map[string]any, len(v)+1)
	for k, x := range v {
		out[k] = x
	}
	return out
}
