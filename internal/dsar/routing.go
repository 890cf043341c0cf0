package dsar

// Text is a sentence in both of the portal's languages.
type Text struct {
	FR string `json:"fr" yaml:"fr"`
	EN string `json:"en" yaml:"en"`
}

// In returns the text in lang ("en" or anything else for French), falling
// back to French when the English is missing.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.FR
}

// Role is VRACOOP's role in a processing activity.
type Role string

// VRACOOP is the controller of its own activities, and the processor of its
// client shops for their point-of-sale, loyalty and app data.
const (
	RoleController Role = "controller"
	RoleProcessor  Role = "processor"
)

// Route says that a request concerns one activity of the register, and
// how VRACOOP must handle it there: answer it as controller, or forward it
// to the client shop as processor.
type Route struct {
	Activity string `json:"activity"` // the register's activity ID
	Role     Role   `json:"role"`
	Reason   Text   `json:"reason"` // why the request concerns this activity
}

// Forward reports whether the request must go to the client shop, which is
// the controller, rather than be answered by VRACOOP.
func (r Route) Forward() bool { return r.Role == RoleProcessor }

// Routing is the set of activities a request concerns.
type Routing []Route

// Processor reports whether any part of the request is for a client shop.
func (rs Routing) Processor() bool {
	for _, r := range rs {
		if r.Forward() {
			return true
		}
	}
	return false
}

// Controller reports whether VRACOOP answers any part of it as controller.
func (rs Routing) Controller() bool {
	for _, r := range rs {
		if !r.Forward() {
			return true
		}
	}
	return false
}

// Role bits, for storage to filter on roles without a join.
const (
	RoleBitController = 1
	RoleBitProcessor  = 2
)

// Bit returns the bit of r.
func (r Role) Bit() int {
	if r == RoleProcessor {
		return RoleBitProcessor
	}
	return RoleBitController
}

// Mask packs the roles of a routing into bits.
func (rs Routing) Mask() int {
	m := 0
	for _, r := range rs {
		m |= r.Role.Bit()
	}
	return m
}
