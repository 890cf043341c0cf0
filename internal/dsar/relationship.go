package dsar

// Relationship is what the person says they are to VRACOOP. It is the first
// hint for routing a request to the activities of the register.
type Relationship string

// The relationships a person can choose on the form.
const (
	RelCustomer Relationship = "customer" // a shop or company buying VRACOOP's software
	RelProspect Relationship = "prospect"
	RelSupplier Relationship = "supplier"
	RelLoyalty  Relationship = "loyalty" // loyalty-programme customer of a client shop
	RelAppUser  Relationship = "app_user"
	RelOther    Relationship = "other" // other, or "I don't know"
)

// Relationships lists every relationship in the order forms show them.
var Relationships = []Relationship{RelCustomer, RelProspect, RelSupplier, RelLoyalty, RelAppUser, RelOther}

// Valid reports whether r is a known relationship.
func (r Relationship) Valid() bool {
	for _, known := range Relationships {
		if r == known {
			return true
		}
	}
	return false
}

// ConcernsShop reports whether the person's data is held for a client shop,
// so that the shop must be named.
func (r Relationship) ConcernsShop() bool {
	return r == RelLoyalty || r == RelAppUser
}

// Channel is how a request reached VRACOOP.
type Channel string

// The channels a request can arrive through.
const (
	ChannelWeb   Channel = "web"
	ChannelEmail Channel = "email"
	ChannelPost  Channel = "post"
	ChannelPhone Channel = "phone"
	ChannelAPI   Channel = "api" // submitted by a client shop through the OpenDSR API
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	switch c {
	case ChannelWeb, ChannelEmail, ChannelPost, ChannelPhone, ChannelAPI:
		return true
	}
	return false
}
