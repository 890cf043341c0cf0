package access

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vracoop/dsar/internal/dsar"
)

// finding builds a finding of the VRACOOP instance from its "model/id"
// and field names and values.
func finding(key string, m dsar.Match, via string, fields ...string) dsar.Finding {
	i := strings.LastIndex(key, "/")
	id, _ := strconv.Atoi(key[i+1:])
	f := dsar.Finding{Instance: "VRACOOP", Model: key[:i], RecordID: id, Match: m, Via: via, Fields: map[string]string{}}
	for i := 0; i+1 < len(fields); i += 2 {
		f.Fields[fields[i]] = fields[i+1]
	}
	return f
}

func TestSelect(t *testing.T) {
	const (
		email = "camille.durand@example.fr"
		phone = "06 12 34 56 78"
	)
	partner := finding("res.partner/5", dsar.MatchEmail, "", "email", email)
	homonym := finding("res.partner/77", dsar.MatchName, "", "name", "Camille Durand")
	tests := []struct {
		name           string
		findings       []dsar.Finding
		verifiedEmails []string
		verifiedPhones []string
		searchedEmails []string
		searchedPhones []string
		confirmed      []string
		want           []string // keys included, in the lookup's order
	}{
		{name: "email verified", findings: []dsar.Finding{partner}, want: []string{"VRACOOP/res.partner/5"}},
		{name: "email verified, written with a name and capitals",
			findings: []dsar.Finding{finding("crm.lead/12", dsar.MatchEmail, "", "email_from", "Camille <Camille.Durand@Example.fr>")},
			want:     []string{"VRACOOP/crm.lead/12"}},
		{name: "email searched but not verified",
			findings:       []dsar.Finding{finding("res.partner/6", dsar.MatchEmail, "", "email", "camille@old-job.fr")},
			searchedEmails: []string{email, "camille@old-job.fr"}},
		{name: "email field unreadable, every address searched verified",
			findings: []dsar.Finding{finding("res.users/3", dsar.MatchEmail, "")},
			want:     []string{"VRACOOP/res.users/3"}},
		{name: "email field unreadable, another address searched",
			findings:       []dsar.Finding{finding("res.users/3", dsar.MatchEmail, "")},
			searchedEmails: []string{email, "camille@old-job.fr"}},
		{name: "no verified email at all", findings: []dsar.Finding{partner}, verifiedEmails: []string{}},
		{name: "phone, none verified",
			findings: []dsar.Finding{finding("crm.lead/15", dsar.MatchPhone, "", "phone", "+33 6 12 34 56 78")}},
		{name: "phone verified",
			findings:       []dsar.Finding{finding("crm.lead/15", dsar.MatchPhone, "", "phone", "+33 6 12 34 56 78")},
			verifiedPhones: []string{phone}, want: []string{"VRACOOP/crm.lead/15"}},
		{name: "phone verified, in the mobile field",
			findings:       []dsar.Finding{finding("res.partner/8", dsar.MatchPhone, "", "phone", "05 59 00 00 00", "mobile", "0033612345678")},
			verifiedPhones: []string{phone}, want: []string{"VRACOOP/res.partner/8"}},
		{name: "phone matched is another number than the verified one",
			findings:       []dsar.Finding{finding("crm.lead/16", dsar.MatchPhone, "", "phone", "06 98 76 54 32")},
			verifiedPhones: []string{phone}, searchedPhones: []string{phone, "06 98 76 54 32"}},
		{name: "phone field unreadable, a phone verified",
			findings:       []dsar.Finding{finding("crm.lead/17", dsar.MatchPhone, "")},
			verifiedPhones: []string{phone}, want: []string{"VRACOOP/crm.lead/17"}},
		{name: "phone, none verified, confirmed by staff",
			findings:  []dsar.Finding{finding("crm.lead/15", dsar.MatchPhone, "", "phone", phone)},
			confirmed: []string{"VRACOOP/crm.lead/15"}, want: []string{"VRACOOP/crm.lead/15"}},
		{name: "name only", findings: []dsar.Finding{homonym}},
		{name: "name only, confirmed by staff", findings: []dsar.Finding{homonym},
			confirmed: []string{"VRACOOP/res.partner/77"}, want: []string{"VRACOOP/res.partner/77"}},
		{name: "name only, another record confirmed", findings: []dsar.Finding{homonym},
			confirmed: []string{"VRACOOP/res.partner/78", "Other/res.partner/77"}},
		{name: "partner via an included partner",
			findings: []dsar.Finding{finding("sale.order/40", dsar.MatchPartner, "res.partner/5"), partner},
			want:     []string{"VRACOOP/sale.order/40", "VRACOOP/res.partner/5"}},
		{name: "partner via an excluded partner",
			findings: []dsar.Finding{finding("sale.order/41", dsar.MatchPartner, "res.partner/77"), homonym}},
		{name: "partner via a partner staff confirmed",
			findings:  []dsar.Finding{finding("sale.order/41", dsar.MatchPartner, "res.partner/77"), homonym},
			confirmed: []string{"VRACOOP/res.partner/77"},
			want:      []string{"VRACOOP/sale.order/41", "VRACOOP/res.partner/77"}},
		{name: "partner via an unverified phone partner",
			findings: []dsar.Finding{
				finding("account.move/9", dsar.MatchPartner, "res.partner/8"),
				finding("res.partner/8", dsar.MatchPhone, "", "phone", phone)}},
		{name: "chain of links to an included partner",
			findings: []dsar.Finding{
				finding("account.move/301", dsar.MatchPartner, "res.partner/4"),
				finding("mail.message/9002", dsar.MatchPartner, "account.move/301"),
				finding("res.partner/4", dsar.MatchPartner, "res.partner/5"),
				partner},
			want: []string{"VRACOOP/account.move/301", "VRACOOP/mail.message/9002", "VRACOOP/res.partner/4", "VRACOOP/res.partner/5"}},
		{name: "chain of links to an excluded partner",
			findings: []dsar.Finding{
				homonym,
				finding("res.partner/76", dsar.MatchPartner, "res.partner/77"),
				finding("account.move/310", dsar.MatchPartner, "res.partner/76"),
				finding("mail.message/9003", dsar.MatchPartner, "account.move/310")}},
		{name: "chain whose middle link staff confirmed",
			findings: []dsar.Finding{
				finding("mail.message/9003", dsar.MatchPartner, "account.move/310"),
				finding("account.move/310", dsar.MatchPartner, "res.partner/76"),
				finding("res.partner/76", dsar.MatchPartner, "res.partner/77"),
				homonym},
			confirmed: []string{"VRACOOP/account.move/310"},
			want:      []string{"VRACOOP/mail.message/9003", "VRACOOP/account.move/310"}},
		{name: "contact of the person's company: a colleague",
			findings: []dsar.Finding{
				finding("res.partner/4", dsar.MatchEmail, "", "email", email, "child_ids", "5, 6"),
				finding("res.partner/6", dsar.MatchPartner, "res.partner/4", "name", "Julien Morel", "parent_id", "Épicerie Durand", "parent_id.id", "4"),
				finding("sale.order/50", dsar.MatchPartner, "res.partner/6"),
				finding("mail.message/9004", dsar.MatchPartner, "res.partner/6")},
			want: []string{"VRACOOP/res.partner/4"}},
		{name: "contact of the person's company, confirmed by staff",
			findings: []dsar.Finding{
				finding("res.partner/4", dsar.MatchEmail, "", "email", email),
				finding("res.partner/6", dsar.MatchPartner, "res.partner/4", "parent_id.id", "4"),
				finding("sale.order/50", dsar.MatchPartner, "res.partner/6")},
			confirmed: []string{"VRACOOP/res.partner/6"},
			want:      []string{"VRACOOP/res.partner/4", "VRACOOP/res.partner/6", "VRACOOP/sale.order/50"}},
		{name: "the person's company, parent of their contact",
			findings: []dsar.Finding{
				finding("res.partner/4", dsar.MatchPartner, "res.partner/5", "child_ids", "5"),
				finding("res.partner/5", dsar.MatchEmail, "", "email", email, "parent_id.id", "4")},
			want: []string{"VRACOOP/res.partner/4", "VRACOOP/res.partner/5"}},
		{name: "partner via the same record in another instance",
			findings: []dsar.Finding{
				{Instance: "Épicerie du Port", Model: "pos.order", RecordID: 3, Match: dsar.MatchPartner, Via: "res.partner/5"},
				partner},
			want: []string{"VRACOOP/res.partner/5"}},
		{name: "partner via a record not found",
			findings: []dsar.Finding{finding("sale.order/42", dsar.MatchPartner, "res.partner/999")}},
		{name: "partner via nothing or garbage",
			findings: []dsar.Finding{
				finding("sale.order/43", dsar.MatchPartner, ""),
				finding("sale.order/44", dsar.MatchPartner, "res.partner"),
				finding("sale.order/45", dsar.MatchPartner, "res.partner/x"),
				finding("sale.order/46", dsar.MatchPartner, "a/b/5"),
				partner},
			want: []string{"VRACOOP/res.partner/5"}},
		{name: "loop of links",
			findings: []dsar.Finding{
				finding("res.partner/10", dsar.MatchPartner, "res.partner/11"),
				finding("res.partner/11", dsar.MatchPartner, "res.partner/10"),
				finding("sale.order/47", dsar.MatchPartner, "res.partner/11")}},
		{name: "unknown match", findings: []dsar.Finding{finding("res.partner/12", "guess", "", "email", email)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{
				Lookup:         dsar.Lookup{Findings: tt.findings, Emails: []string{email}, Phones: []string{phone}},
				VerifiedEmails: []string{email},
				VerifiedPhones: tt.verifiedPhones,
				Confirmed:      map[string]bool{},
			}
			if tt.verifiedEmails != nil {
				in.VerifiedEmails = tt.verifiedEmails
			}
			if tt.searchedEmails != nil {
				in.Lookup.Emails = tt.searchedEmails
			}
			if tt.searchedPhones != nil {
				in.Lookup.Phones = tt.searchedPhones
			}
			for _, k := range tt.confirmed {
				in.Confirmed[k] = true
			}
			included, excluded := Select(in)
			if got := keys(included); !slices.Equal(got, tt.want) {
				t.Errorf("included %q, want %q", got, tt.want)
			}
			if got, want := len(included)+len(excluded), len(tt.findings); got != want {
				t.Errorf("%d included + excluded, want %d", got, want)
			}
			for _, f := range excluded {
				if slices.Contains(tt.want, Key(f)) {
					t.Errorf("%s both included and excluded", Key(f))
				}
			}
		})
	}
}

// TestSelectOrderIndependent checks that the verdict on a chain does not
// depend on the order of the findings.
func TestSelectOrderIndependent(t *testing.T) {
	chain := []dsar.Finding{
		finding("mail.message/1", dsar.MatchPartner, "crm.lead/2"),
		finding("crm.lead/2", dsar.MatchPartner, "res.partner/3"),
		finding("res.partner/3", dsar.MatchPartner, "res.partner/4"),
		finding("res.partner/4", dsar.MatchEmail, "", "email", "camille.durand@example.fr"),
		finding("res.partner/9", dsar.MatchName, ""),
		finding("sale.order/8", dsar.MatchPartner, "res.partner/9"),
	}
	want := []string{"VRACOOP/crm.lead/2", "VRACOOP/mail.message/1", "VRACOOP/res.partner/3", "VRACOOP/res.partner/4"}
	for i := range len(chain) {
		rotated := append(slices.Clone(chain[i:]), chain[:i]...)
		for _, fs := range [][]dsar.Finding{rotated, reversed(rotated)} {
			included, _ := Select(Input{Lookup: dsar.Lookup{Findings: fs}, VerifiedEmails: []string{"camille.durand@example.fr"}})
			got := keys(included)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("order %q: included %q, want %q", keys(fs), got, want)
			}
		}
	}
}

func TestSelectCamille(t *testing.T) {
	included, excluded := Select(camilleInput("fr"))
	if got, want := keys(excluded), []string{"VRACOOP/crm.lead/15", "VRACOOP/res.partner/77"}; !slices.Equal(got, want) {
		t.Errorf("excluded %q, want %q", got, want)
	}
	if got, want := len(included), 6; got != want {
		t.Errorf("%d included, want %d", got, want)
	}
}

func keys(fs []dsar.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, Key(f))
	}
	return out
}

func reversed(fs []dsar.Finding) []dsar.Finding {
	out := slices.Clone(fs)
	slices.Reverse(out)
	return out
}
