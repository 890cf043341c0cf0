package odootest

import (
	"sort"
	"time"
)

// Dataset is the content of an Odoo database: records by model and id. Its
// values are Go values as the database would hold them: a string for char,
// text, html, selection, date ("2024-03-01") and datetime ("2024-03-01
// 09:30:00", UTC) fields (a time.Time is converted when a server starts);
// int, float64 or bool for numbers and booleans; the id (int) of the target
// of a many2one; nil (or no key) for an empty value. One2many fields are not
// stored: they are read from the many2one on the other side.
//
// A server works on its own copy, so one Dataset can seed many servers.
type Dataset struct {
	// Uninstalled names the modules the instance this data comes from does
	// not have (see Modules), e.g. a shop without crm or purchase.
	Uninstalled []string

	tables map[string]*table
}

type table struct {
	rows map[int]map[string]any
	next int // next id to give
}

// NewDataset returns an empty dataset.
func NewDataset() *Dataset { return &Dataset{tables: map[string]*table{}} }

func (d *Dataset) table(model string) *table {
	if d.tables == nil {
		d.tables = map[string]*table{}
	}
	t := d.tables[model]
	if t == nil {
		t = &table{rows: map[int]map[string]any{}, next: 1}
		d.tables[model] = t
	}
	return t
}

// Add stores a record and returns its id, the next free one of the model.
func (d *Dataset) Add(model string, values map[string]any) int {
	t := d.table(model)
	id := t.next
	d.Put(model, id, values)
	return id
}

// Put stores a record under a chosen id, replacing any record with that id.
func (d *Dataset) Put(model string, id int, values map[string]any) {
	t := d.table(model)
	row := make(map[string]any, len(values))
	for k, v := range values {
		if k != "id" {
			row[k] = v
		}
	}
	t.rows[id] = row
	if id >= t.next {
		t.next = id + 1
	}
}

// Get returns a copy of a stored record, without computed fields.
func (d *Dataset) Get(model string, id int) (map[string]any, bool) {
	row, ok := d.table(model).rows[id]
	if !ok {
		return nil, false
	}
	return copyRow(id, row), true
}

// IDs returns the ids of a model's records, in increasing order.
func (d *Dataset) IDs(model string) []int {
	t := d.tables[model]
	if t == nil {
		return nil
	}
	ids := make([]int, 0, len(t.rows))
	for id := range t.rows {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}

// Find returns the ids of a model's records whose field equals value.
func (d *Dataset) Find(model, field string, value any) []int {
	var out []int
	for _, id := range d.IDs(model) {
		if d.tables[model].rows[id][field] == value {
			out = append(out, id)
		}
	}
	return out
}

func copyRow(id int, row map[string]any) map[string]any {
	out := make(map[string]any, len(row)+1)
	for k, v := range row {
		if l, ok := v.([]int); ok {
			v = append([]int(nil), l...)
		}
		out[k] = v
	}
	out["id"] = id
	return out
}

// clone copies the dataset deeply enough that changes to one copy's
// records never show in the other.
func (d *Dataset) clone() *Dataset {
	c := &Dataset{Uninstalled: append([]string(nil), d.Uninstalled...), tables: map[string]*table{}}
	for name, t := range d.tables {
		ct := &table{rows: make(map[int]map[string]any, len(t.rows)), next: t.next}
		for id, row := range t.rows {
			r := copyRow(id, row)
			delete(r, "id")
			ct.rows[id] = r
		}
		c.tables[name] = ct
	}
	return c
}

// normalize converts time.Time values to Odoo's date and datetime strings,
// according to the fields' types in the schema.
func (d *Dataset) normalize(s schema) {
	for name, t := range d.tables {
		m := s[name]
		for _, row := range t.rows {
			for k, v := range row {
				tm, ok := v.(time.Time)
				if !ok {
					continue
				}
				if m != nil && m.field(k) != nil && m.field(k).ttype == "date" {
					row[k] = tm.Format(dateLayout)
				} else {
					row[k] = tm.UTC().Format(datetimeLayout)
				}
			}
		}
	}
}

// Layouts of Odoo's date and datetime strings.
const (
	dateLayout     = "2006-01-02"
	datetimeLayout = "2006-01-02 15:04:05"
)
