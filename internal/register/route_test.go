package register

import (
	"slices"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
)

// route is a dsar.Route reduced to what the tests compare.
type route struct {
	activity string
	role     dsar.Role
	reason   string // French
}

func routes(rs dsar.Routing) []route {
	var out []route
	for _, r := range rs {
		out = append(out, route{r.Activity, r.Role, r.Reason.FR})
	}
	return out
}

const (
	ctl  = dsar.RoleController
	proc = dsar.RoleProcessor

	saidCustomer  = "Vous avez indiqué être client de VRACOOP"
	saidProspect  = "Vous avez indiqué être prospect de VRACOOP"
	saidSupplier  = "Vous avez indiqué être fournisseur de VRACOOP"
	saidOther     = "Vous n'avez pas précisé votre lien avec VRACOOP : la demande porte sur toutes les activités dont VRACOOP est responsable"
	saidLoyalty   = "Vous avez indiqué être client du programme de fidélité d'une boutique qui utilise le logiciel de VRACOOP"
	saidAppToShop = "Vous avez indiqué utiliser l'application mobile : si la boutique vous a identifié, l'application est liée à ses données de caisse"
	saidApp       = "Vous avez indiqué utiliser l'application mobile de VRACOOP"
	foundCustomer = "Trouvé dans Odoo comme client"
	foundProspect = "Trouvé dans Odoo comme prospect"
	foundSupplier = "Trouvé dans Odoo comme fournisseur"
	foundLoyalty  = "Trouvé dans Odoo comme client fidélité d'une boutique"
	foundApp      = "Trouvé dans Odoo comme utilisateur de l'application"
)

func TestRoute(t *testing.T) {
	tests := []struct {
		name string
		in   RouteInput
		want []route
	}{
		{"customer", RouteInput{Relationship: dsar.RelCustomer},
			[]route{{"customers", ctl, saidCustomer}}},
		{"prospect", RouteInput{Relationship: dsar.RelProspect},
			[]route{{"prospects", ctl, saidProspect}}},
		{"supplier", RouteInput{Relationship: dsar.RelSupplier},
			[]route{{"suppliers", ctl, saidSupplier}}},
		{"loyalty goes to the shop", RouteInput{Relationship: dsar.RelLoyalty},
			[]route{{"shop_pos", proc, saidLoyalty}}},
		{"app user: the app and the shop's data it links to", RouteInput{Relationship: dsar.RelAppUser},
			[]route{{"shop_pos", proc, saidAppToShop}, {"mobile_app", proc, saidApp}}},
		{"other: every controller activity", RouteInput{Relationship: dsar.RelOther},
			[]route{{"customers", ctl, saidOther}, {"prospects", ctl, saidOther}, {"suppliers", ctl, saidOther}}},
		{"evidence adds an activity", RouteInput{Relationship: dsar.RelCustomer, Found: []string{"supplier"}},
			[]route{{"customers", ctl, saidCustomer}, {"suppliers", ctl, foundSupplier}}},
		{"what the person said wins, in register order", RouteInput{Relationship: dsar.RelProspect, Found: []string{"prospect", "customer"}},
			[]route{{"customers", ctl, foundCustomer}, {"prospects", ctl, saidProspect}}},
		{"other and a loyalty card", RouteInput{Relationship: dsar.RelOther, Found: []string{"loyalty"}},
			[]route{{"customers", ctl, saidOther}, {"prospects", ctl, saidOther}, {"suppliers", ctl, saidOther}, {"shop_pos", proc, foundLoyalty}}},
		{"loyalty and found in the app", RouteInput{Relationship: dsar.RelLoyalty, Found: []string{"app_user"}},
			[]route{{"shop_pos", proc, saidLoyalty}, {"mobile_app", proc, foundApp}}},
		{"no duplicates", RouteInput{Relationship: dsar.RelSupplier, Found: []string{"supplier", "supplier", " Supplier "}},
			[]route{{"suppliers", ctl, saidSupplier}}},
		{"evidence alone", RouteInput{Found: []string{"prospect", "customer"}},
			[]route{{"customers", ctl, foundCustomer}, {"prospects", ctl, foundProspect}}},
		{"nothing known", RouteInput{}, nil},
		{"unknown hint", RouteInput{Found: []string{"employee"}}, nil},
	}
	r := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := routes(r.Route(tt.in))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v,\nwant %v", got, tt.want)
			}
		})
	}
}

func TestRouteReasonsInEnglish(t *testing.T) {
	rs := Default().Route(RouteInput{Relationship: dsar.RelCustomer, Found: []string{"supplier"}})
	var got []string
	for _, r := range rs {
		got = append(got, r.Reason.In("en"))
	}
	want := []string{"You said you are a VRACOOP customer", "Found in Odoo as a supplier"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestRouteIsData routes with another register: the mapping is in the file.
func TestRouteIsData(t *testing.T) {
	r, err := LoadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   RouteInput
		want []route
	}{
		{RouteInput{Relationship: dsar.RelSupplier}, []route{{"buyers", ctl, "Vous êtes fournisseur"}}},
		{RouteInput{Relationship: dsar.RelAppUser}, []route{{"loyalty", proc, "Vous utilisez l'application"}}},
		{RouteInput{Found: []string{"customer"}}, []route{{"buyers", ctl, "Trouvé comme acheteur"}}},
	}
	for _, tt := range tests {
		if got := routes(r.Route(tt.in)); !slices.Equal(got, tt.want) {
			t.Errorf("Route(%+v): got %v, want %v", tt.in, got, tt.want)
		}
	}
}
