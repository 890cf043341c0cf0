package register

import (
	"slices"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
)

// TestRegisterContent checks that the embedded register says what the
// source register says.
func TestRegisterContent(t *testing.T) {
	r := Default()
	org := r.Organisation
	if org.Name != "VRACOOP" || org.Responsible.FullName() != "Sébastien LEFLOND" ||
		org.Responsible.Phone != "05.59.43.84.46" || org.Responsible.Email != "sebastien@vracoop.fr" {
		t.Errorf("organisation: got %+v", org)
	}

	tests := []struct {
		id         string
		number     int
		role       dsar.Role
		controller string
		months     int
		from       Event
		accounting bool
		data       []string
		manual     []string
	}{
		{"customers", 1, dsar.RoleController, "", 120, EventContractEnd, true,
			[]string{"identity", "contact", "bank", "professional"}, nil},
		{"prospects", 2, dsar.RoleController, "", 24, EventLastContact, false,
			[]string{"identity", "contact", "project", "bank", "professional"}, []string{"paper_archive"}},
		{"suppliers", 3, dsar.RoleController, "", 120, EventContractEnd, true,
			[]string{"identity", "contact", "bank", "professional"}, nil},
		{"shop_pos", 4, dsar.RoleProcessor, "client_shop", 12, EventShopContractEnd, false,
			[]string{"identity", "contact", "transactions", "purchase_history"}, nil},
		{"mobile_app", 5, dsar.RoleProcessor, "client_shop", 12, EventShopContractEnd, false,
			[]string{"identity", "contact", "container_photos", "purchase_behaviour", "device_id"}, []string{"metabase"}},
	}
	if got, want := len(r.Activities), len(tests); got != want {
		t.Fatalf("activities: got %d, want %d", got, want)
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			a := r.Activities[i]
			if a.ID != tt.id || a.Number != tt.number || a.Role != tt.role || a.Controller != tt.controller {
				t.Errorf("got %s #%d %s for %q, want %s #%d %s for %q",
					a.ID, a.Number, a.Role, a.Controller, tt.id, tt.number, tt.role, tt.controller)
			}
			rt := a.Retention
			if rt.Duration.InMonths() != tt.months || rt.From != tt.from || rt.Accounting != tt.accounting {
				t.Errorf("retention: got %d months from %s (accounting %v), want %d from %s (%v)",
					rt.Duration.InMonths(), rt.From, rt.Accounting, tt.months, tt.from, tt.accounting)
			}
			var data, manual []string
			for _, d := range a.Data {
				data = append(data, d.ID)
			}
			for _, m := range a.ManualSystems {
				manual = append(manual, m.ID)
			}
			if !slices.Equal(data, tt.data) {
				t.Errorf("data: got %v, want %v", data, tt.data)
			}
			if !slices.Equal(manual, tt.manual) {
				t.Errorf("manual systems: got %v, want %v", manual, tt.manual)
			}
			if a.Created != dsar.NewDate(2018, 5, 21) || a.Updated != dsar.NewDate(2018, 6, 27) {
				t.Errorf("dates: got %v, %v", a.Created, a.Updated)
			}
			if a.Sensitive.Processed {
				t.Error("sensitive data processed; the register says none")
			}
		})
	}

	app, _ := r.Activity("mobile_app")
	if len(app.Related) != 1 || app.Related[0].Activity != "shop_pos" {
		t.Errorf("mobile_app related: got %+v, want shop_pos", app.Related)
	}
	customers, _ := r.Activity("customers")
	if got, want := customers.Retention.Ground.FR, "Code de commerce, art. L123-22"; got != want {
		t.Errorf("customers retention ground: got %q, want %q", got, want)
	}
	// The source's mistakes are kept.
	prospects, _ := r.Activity("prospects")
	if prospects.Transfers.OutsideEU != nil || prospects.Transfers.Wording != customers.Retention.Wording {
		t.Errorf("prospects transfers: got %+v, want the source's retention sentence and no answer", prospects.Transfers)
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d      Duration
		months int
		fr, en string
	}{
		{Duration{Years: 10}, 120, "10 ans", "10 years"},
		{Duration{Years: 1}, 12, "1 an", "1 year"},
		{Duration{Months: 18}, 18, "1 an et 6 mois", "1 year and 6 months"},
		{Duration{Months: 1}, 1, "1 mois", "1 month"},
		{Duration{}, 0, "0 mois", "0 months"},
	}
	for _, tt := range tests {
		if got := tt.d.InMonths(); got != tt.months {
			t.Errorf("%+v.InMonths(): got %d, want %d", tt.d, got, tt.months)
		}
		if got := tt.d.Text(); got.FR != tt.fr || got.EN != tt.en {
			t.Errorf("%+v.Text(): got %+v, want %q, %q", tt.d, got, tt.fr, tt.en)
		}
	}
}
