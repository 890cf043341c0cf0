package register

import (
	"strings"

	"github.com/vracoop/dsar/internal/dsar"
)

// RouteInput is what is known of a person when their request is routed.
type RouteInput struct {
	// Relationship is what the person said they are to VRACOOP.
	Relationship dsar.Relationship
	// Found holds the roles the Odoo lookup found the person in, as hints:
	// "customer", "prospect", "supplier", "loyalty", "app_user".
	Found []string
}

// Route returns the activities a request concerns, in the register's order,
// each once, with VRACOOP's role there and the reason.
//
// The mapping is the register's data: an activity is concerned when one of
// its RoutedBy triggers names the person's relationship or a role the Odoo
// lookup found. What the person said comes first: its reason is the one
// given when both lead to the same activity. A relationship no trigger
// names, as an empty one, leads nowhere.
func (r *Register) Route(in RouteInput) dsar.Routing {
	found := map[string]bool{}
	for _, f := range in.Found {
		found[strings.ToLower(strings.TrimSpace(f))] = true
	}
	var routing dsar.Routing
	for _, a := range r.Activities {
		if reason, ok := a.routedBy(in.Relationship, found); ok {
			routing = append(routing, dsar.Route{Activity: a.ID, Role: a.Role, Reason: reason})
		}
	}
	return routing
}

// routedBy returns the reason of the first trigger naming rel, else of the
// first naming a role in found.
func (a Activity) routedBy(rel dsar.Relationship, found map[string]bool) (dsar.Text, bool) {
	if rel != "" {
		for _, t := range a.RoutedBy {
			if t.Relationship == rel {
				return t.Reason, true
			}
		}
	}
	for _, t := range a.RoutedBy {
		if t.Found != "" && found[t.Found] {
			return t.Reason, true
		}
	}
	return dsar.Text{}, false
}
