package register

import (
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

func date(y int, m time.Month, d int) dsar.Date { return dsar.NewDate(y, m, d) }

// at returns noon on a day in Paris.
func at(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, dsar.Paris())
}

// want is the expected decision for one category.
type want struct {
	erasable bool
	until    dsar.Date
	reason   string // in the French reason
}

func TestRetention(t *testing.T) {
	var zero dsar.Date
	tests := []struct {
		name     string
		activity string
		facts    Facts
		now      time.Time
		want     map[string]want
	}{
		{
			name: "customer, contract ended: accounting records kept 10 years, contact erasable",
			// 2020-06-30 + 120 months = 2030-06-30; the last entry is earlier.
			activity: "customers",
			facts:    Facts{ContractEnd: date(2020, 6, 30), LastAccountingEntry: date(2020, 5, 15)},
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {false, date(2030, 6, 30), "jusqu'au 30/06/2030"},
				"contact":      {true, zero, "pas des pièces comptables"},
				"bank":         {false, date(2030, 6, 30), "la fin du contrat (30/06/2020)"},
				"professional": {false, date(2030, 6, 30), "Pièce comptable"},
			},
		},
		{
			name: "customer, last entry after the contract: counted from the entry",
			// 2021-01-31 + 120 months = 2031-01-31.
			activity: "customers",
			facts:    Facts{ContractEnd: date(2020, 6, 30), LastAccountingEntry: date(2021, 1, 31)},
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {false, date(2031, 1, 31), "la dernière écriture comptable (31/01/2021)"},
				"contact":      {true, zero, "30/06/2020"},
				"bank":         {false, date(2031, 1, 31), ""},
				"professional": {false, date(2031, 1, 31), ""},
			},
		},
		{
			name: "customer, 29 February: the last day is 28 February ten years on",
			// 2024-02-29 + 120 months = 2034-02-28 (2034 is not a leap year).
			activity: "customers",
			facts:    Facts{ContractEnd: date(2024, 2, 29), LastAccountingEntry: date(2024, 2, 29)},
			now:      at(2034, 2, 28),
			want: map[string]want{
				"identity":     {false, date(2034, 2, 28), "jusqu'au 28/02/2034"},
				"contact":      {true, zero, ""},
				"bank":         {false, date(2034, 2, 28), ""},
				"professional": {false, date(2034, 2, 28), ""},
			},
		},
		{
			name:     "customer, the day after the period: erasable",
			activity: "customers",
			facts:    Facts{ContractEnd: date(2024, 2, 29), LastAccountingEntry: date(2024, 2, 29)},
			now:      at(2034, 3, 1),
			want: map[string]want{
				"identity":     {true, date(2034, 2, 28), "a pris fin le 28/02/2034"},
				"contact":      {true, zero, ""},
				"bank":         {true, date(2034, 2, 28), ""},
				"professional": {true, date(2034, 2, 28), ""},
			},
		},
		{
			name: "the day is counted in Paris",
			// 2034-02-28 23:30 UTC is 2034-03-01 00:30 in Paris.
			activity: "customers",
			facts:    Facts{ContractEnd: date(2024, 2, 29), LastAccountingEntry: date(2024, 2, 29)},
			now:      time.Date(2034, 2, 28, 23, 30, 0, 0, time.UTC),
			want: map[string]want{
				"identity":     {true, date(2034, 2, 28), ""},
				"contact":      {true, zero, ""},
				"bank":         {true, date(2034, 2, 28), ""},
				"professional": {true, date(2034, 2, 28), ""},
			},
		},
		{
			name: "customer, contract running: contact kept until its end",
			// 2027-12-31 + 120 months = 2037-12-31.
			activity: "customers",
			facts:    Facts{ContractEnd: date(2027, 12, 31), LastAccountingEntry: date(2026, 1, 15)},
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {false, date(2037, 12, 31), ""},
				"contact":      {false, date(2027, 12, 31), "elles servent au contrat"},
				"bank":         {false, date(2037, 12, 31), ""},
				"professional": {false, date(2037, 12, 31), ""},
			},
		},
		{
			name:     "customer, the contract's last day: it still runs",
			activity: "customers",
			facts:    Facts{ContractEnd: date(2026, 3, 1), LastAccountingEntry: date(2026, 3, 1)},
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {false, date(2036, 3, 1), ""},
				"contact":      {false, date(2026, 3, 1), "jusqu'au 01/03/2026"},
				"bank":         {false, date(2036, 3, 1), ""},
				"professional": {false, date(2036, 3, 1), ""},
			},
		},
		{
			name:     "customer, contract end unknown: keep everything",
			activity: "customers",
			facts:    Facts{LastAccountingEntry: date(2015, 1, 1)},
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {false, zero, "la date de fin du contrat n'est pas connue"},
				"contact":      {false, zero, "la date de fin du contrat n'est pas connue"},
				"bank":         {false, zero, "Ne pas effacer"},
				"professional": {false, zero, "Ne pas effacer"},
			},
		},
		{
			name:     "customer, last accounting entry unknown: keep the records",
			activity: "customers",
			facts:    Facts{ContractEnd: date(2010, 1, 1)},
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {false, zero, "la date de la dernière facture ou écriture comptable n'est pas connue"},
				"contact":      {true, zero, ""},
				"bank":         {false, zero, "Ne pas effacer"},
				"professional": {false, zero, "Ne pas effacer"},
			},
		},
		{
			name:     "customer, nothing known",
			activity: "customers",
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {false, zero, "la date de fin du contrat et la date de la dernière facture ou écriture comptable ne sont pas connues"},
				"contact":      {false, zero, ""},
				"bank":         {false, zero, ""},
				"professional": {false, zero, ""},
			},
		},
		{
			name: "supplier, same accounting rule",
			// 2019-03-31 + 120 months = 2029-03-31.
			activity: "suppliers",
			facts:    Facts{ContractEnd: date(2018, 12, 31), LastAccountingEntry: date(2019, 3, 31)},
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {false, date(2029, 3, 31), ""},
				"contact":      {true, zero, ""},
				"bank":         {false, date(2029, 3, 31), ""},
				"professional": {false, date(2029, 3, 31), ""},
			},
		},
		{
			name: "prospect, within 2 years of the last contact",
			// 2024-02-29 + 24 months = 2026-02-28.
			activity: "prospects",
			facts:    Facts{LastContact: date(2024, 2, 29)},
			now:      at(2026, 2, 28),
			want: map[string]want{
				"identity":     {false, date(2026, 2, 28), "2 ans après le dernier contact, le 29/02/2024"},
				"contact":      {false, date(2026, 2, 28), ""},
				"project":      {false, date(2026, 2, 28), ""},
				"bank":         {false, date(2026, 2, 28), ""},
				"professional": {false, date(2026, 2, 28), ""},
			},
		},
		{
			name:     "prospect, 2 years after the last contact: erasable",
			activity: "prospects",
			facts:    Facts{LastContact: date(2024, 2, 29), ContractEnd: date(2000, 1, 1)},
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {true, date(2026, 2, 28), "Délai de conservation écoulé le 28/02/2026"},
				"contact":      {true, date(2026, 2, 28), ""},
				"project":      {true, date(2026, 2, 28), ""},
				"bank":         {true, date(2026, 2, 28), ""},
				"professional": {true, date(2026, 2, 28), ""},
			},
		},
		{
			name:     "prospect, last contact unknown",
			activity: "prospects",
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":     {false, zero, "la date du dernier contact n'est pas connue"},
				"contact":      {false, zero, ""},
				"project":      {false, zero, ""},
				"bank":         {false, zero, ""},
				"professional": {false, zero, ""},
			},
		},
		{
			name: "shop data, the shop's contract runs: the shop decides",
			// 2024-02-29 + 12 months = 2025-02-28.
			activity: "shop_pos",
			facts:    Facts{ShopContractEnd: date(2024, 2, 29)},
			now:      at(2023, 6, 1),
			want: map[string]want{
				"identity":         {false, date(2025, 2, 28), "la décision appartient à la boutique"},
				"contact":          {false, date(2025, 2, 28), "court jusqu'au 29/02/2024"},
				"transactions":     {false, date(2025, 2, 28), ""},
				"purchase_history": {false, date(2025, 2, 28), ""},
			},
		},
		{
			name:     "shop data, in the year after the shop's contract",
			activity: "shop_pos",
			facts:    Facts{ShopContractEnd: date(2024, 2, 29)},
			now:      at(2025, 2, 28),
			want: map[string]want{
				"identity":         {false, date(2025, 2, 28), "a pris fin le 29/02/2024"},
				"contact":          {false, date(2025, 2, 28), "la décision appartient à la boutique"},
				"transactions":     {false, date(2025, 2, 28), ""},
				"purchase_history": {false, date(2025, 2, 28), ""},
			},
		},
		{
			name:     "shop data, a year after the shop's contract: erasable",
			activity: "shop_pos",
			facts:    Facts{ShopContractEnd: date(2024, 2, 29)},
			now:      at(2025, 3, 1),
			want: map[string]want{
				"identity":         {true, date(2025, 2, 28), "VRACOOP doit effacer"},
				"contact":          {true, date(2025, 2, 28), ""},
				"transactions":     {true, date(2025, 2, 28), ""},
				"purchase_history": {true, date(2025, 2, 28), ""},
			},
		},
		{
			name:     "app data, the shop's contract end unknown",
			activity: "mobile_app",
			facts:    Facts{ContractEnd: date(2000, 1, 1), LastContact: date(2000, 1, 1)},
			now:      at(2026, 3, 1),
			want: map[string]want{
				"identity":           {false, zero, "la date de fin du contrat de la boutique n'est pas connue"},
				"contact":            {false, zero, "la décision appartient à la boutique"},
				"container_photos":   {false, zero, ""},
				"purchase_behaviour": {false, zero, ""},
				"device_id":          {false, zero, ""},
			},
		},
	}
	r := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Retention(tt.activity, tt.facts, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d decisions, want %d", len(got), len(tt.want))
			}
			for _, d := range got {
				w, ok := tt.want[d.Category]
				if !ok {
					t.Errorf("unexpected category %q", d.Category)
					continue
				}
				if d.ErasableNow != w.erasable || d.KeepUntil != w.until {
					t.Errorf("%s: got erasable %v until %v, want %v until %v (%s)",
						d.Category, d.ErasableNow, d.KeepUntil, w.erasable, w.until, d.Reason.FR)
				}
				if !strings.Contains(d.Reason.FR, w.reason) {
					t.Errorf("%s: reason %q does not say %q", d.Category, d.Reason.FR, w.reason)
				}
				if d.Reason.EN == "" || d.Ground.FR == "" || d.Ground.EN == "" || d.CategoryName.FR == "" {
					t.Errorf("%s: incomplete decision %+v", d.Category, d)
				}
			}
		})
	}
}

func TestRetentionGrounds(t *testing.T) {
	r := Default()
	now := at(2026, 3, 1)
	tests := []struct {
		activity, category string
		facts              Facts
		ground             string // in the French ground
	}{
		{"customers", "bank", Facts{ContractEnd: date(2020, 1, 1), LastAccountingEntry: date(2020, 1, 1)}, "Code de commerce, art. L123-22"},
		{"customers", "contact", Facts{ContractEnd: date(2020, 1, 1)}, "RGPD art. 5.1.e"},
		{"customers", "contact", Facts{ContractEnd: date(2030, 1, 1)}, "exécution du contrat"},
		{"prospects", "contact", Facts{LastContact: date(2025, 1, 1)}, "intérêt légitime"},
		{"shop_pos", "identity", Facts{ShopContractEnd: date(2030, 1, 1)}, "RGPD art. 28.3.g"},
	}
	for _, tt := range tests {
		ds, err := r.Retention(tt.activity, tt.facts, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Category == tt.category && !strings.Contains(d.Ground.FR, tt.ground) {
				t.Errorf("%s/%s: ground %q, want %q", tt.activity, tt.category, d.Ground.FR, tt.ground)
			}
		}
	}
}

func TestRetentionEnglish(t *testing.T) {
	ds, err := Default().Retention("shop_pos", Facts{ShopContractEnd: date(2030, 1, 1)}, at(2026, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ds[0].Reason.EN, "the decision belongs to the shop, which is the controller"; !strings.Contains(got, want) {
		t.Errorf("reason %q does not say %q", got, want)
	}
}

func TestRetentionErrors(t *testing.T) {
	_, err := Default().Retention("nope", Facts{}, at(2026, 3, 1))
	if dsar.ErrorCode(err) != dsar.ENOTFOUND {
		t.Errorf("unknown activity: got %v, want a not_found error", err)
	}

	// A broken rule keeps everything rather than guess.
	r, err := LoadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r.Activities[0].Retention.From = ""
	ds, err := r.Retention("buyers", Facts{ContractEnd: date(2000, 1, 1), LastAccountingEntry: date(2000, 1, 1)}, at(2026, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.ErasableNow || !strings.Contains(d.Reason.FR, "incomplète") {
			t.Errorf("%s: got %+v, want kept because the rule is incomplete", d.Category, d)
		}
	}
}
