package register

import (
	"strings"
	"testing"
)

// text returns everything a notice says, for searching, with French
// non-breaking spaces as plain ones.
func text(n Notice) string {
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(renderText(n))
}

func TestNoticeFrenchTypography(t *testing.T) {
	fr := renderText(Default().PrivacyNotice("fr"))
	for _, bad := range []string{" :", " ;", "« ", " »"} {
		if strings.Contains(fr, bad) {
			t.Errorf("French notice has a breaking space in %q", bad)
		}
	}
	if !strings.Contains(fr, "Contact\u00a0: ") {
		t.Error("French notice has no non-breaking space before a colon")
	}
	en := renderText(Default().PrivacyNotice("en"))
	if strings.ContainsAny(en, "\u00a0\u202f") {
		t.Error("English notice has French spaces")
	}
}

func TestPrivacyNotice(t *testing.T) {
	tests := []struct {
		lang string
		want []string
	}{
		{"fr", []string{
			"Qui traite vos données",
			"VRACOOP est responsable du traitement pour : Gestion des clients ; Gestion des prospects ; Gestion des fournisseurs.",
			"Contact : Sébastien LEFLOND, sebastien@vracoop.fr, 05.59.43.84.46.",
			"Finalités : Les coordonnées pour la gestion clients nous permet de générer des bons de commande et des factures",
			"Données : Identité (nom, prénom, adresse) ; Coordonnées (mail, téléphone) ; Données bancaires ; Boutique ou société",
			"Destinataires internes : Service comptabilité VRACOOOP ; Service technique VRACOOOP",
			"Organismes externes : Bureau comptable Aeviso Biarritz",
			"Sous-traitants : HODEI administrateur et développeur du logiciel utilisé ; OVH So You Start, hébergeur",
			"Durée de conservation : 10 ans après la fin du contrat (Code de commerce, art. L123-22)",
			"Coordonnées : effacées après la fin du contrat",
			"Durée de conservation : 2 ans après le dernier contact",
			"Durée de conservation : 1 an après la fin du contrat de la boutique",
			"Origine des données : vous-même",
			"Origine des données : la boutique, qui les recueille auprès de vous",
			"Pour cette activité, VRACOOP agit en tant que sous-traitant pour le compte de la boutique qui utilise le logiciel de VRACOOP, qui est le responsable du traitement. Vos demandes concernant ces données lui sont transmises",
			"Aucune donnée n'est transférée hors de l'Union européenne pour : Gestion des clients ; Gestion des fournisseurs",
			"Le registre ne précise pas encore si des données quittent l'Union européenne pour : Gestion des prospects.",
			"aucune décision fondée exclusivement sur un traitement automatisé",
			"d'accès", "de rectification", "à l'effacement", "à la limitation", "d'opposition", "à la portabilité",
			"réclamation à la Commission nationale de l'informatique et des libertés (CNIL) : www.cnil.fr, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07.",
		}},
		{"en", []string{
			"Who processes your data",
			"VRACOOP is the controller for: Customer management; Prospect management; Supplier management.",
			"Contact: Sébastien LEFLOND, sebastien@vracoop.fr, 05.59.43.84.46.",
			"Purposes: The contact details for customer management allow us to generate purchase orders and invoices",
			"Data: Identity (surname, first name, address); Contact details (email, telephone)",
			"Internal recipients: VRACOOOP accounting department",
			"External bodies: Aeviso Biarritz accounting firm",
			"Retention: 10 years after the end of the contract (French Commercial Code, art. L123-22)",
			"Retention: 2 years after the last contact",
			"Retention: 1 year after the end of the shop's contract",
			"Where the data come from: yourself",
			"For this activity, VRACOOP acts as processor on behalf of the shop that uses VRACOOP's software, which is the controller. Your requests about these data are forwarded to it",
			"No data are transferred outside the European Union for: Customer management",
			"The register does not yet say whether data leave the European Union for: Prospect management.",
			"no decision about you based solely on automated processing",
			"of access", "to rectification", "to erasure", "to restriction", "to object", "to portability",
			"www.cnil.fr, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07.",
		}},
	}
	r := Default()
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			n := r.PrivacyNotice(tt.lang)
			if n.Lang != tt.lang || n.Title == "" {
				t.Errorf("got lang %q, title %q", n.Lang, n.Title)
			}
			got := text(n)
			for _, want := range tt.want {
				if !strings.Contains(got, want) {
					t.Errorf("notice does not say %q", want)
				}
			}
			for _, a := range r.Activities {
				if !hasHeading(n, a.Name.In(tt.lang)) {
					t.Errorf("activity %s has no section", a.ID)
				}
			}
			if strings.ContainsAny(got, "<>") {
				t.Error("notice holds markup")
			}
			golden(t, "privacy_notice."+tt.lang+".golden", renderText(n))
		})
	}
}

func hasHeading(n Notice, s string) bool {
	for _, sec := range n.Sections {
		if strings.Contains(sec.Heading, s) {
			return true
		}
	}
	return false
}

func TestArticle15(t *testing.T) {
	r := Default()
	tests := []struct {
		name       string
		lang       string
		activities []string
		headings   []string // in order
		want       []string
		notWant    []string
	}{
		{
			name:       "supplier",
			lang:       "fr",
			activities: []string{"suppliers"},
			headings:   []string{"Qui traite vos données", "Activité 3\u00a0: Gestion des fournisseurs", "Transferts hors de l'Union européenne", "Décisions automatisées", "Vos droits", "Exercer vos droits", "Réclamation"},
			want:       []string{"l'article 15 du RGPD", "Aucune donnée n'est transférée hors de l'Union européenne.", "10 ans après la fin du contrat (Code de commerce, art. L123-22)", "www.cnil.fr"},
			notWant:    []string{"sous-traitant", "Gestion des clients"},
		},
		{
			name:       "app user, in register order, unknown IDs ignored",
			lang:       "en",
			activities: []string{"mobile_app", "bogus", "shop_pos"},
			headings:   []string{"Who processes your data", "Activity 4: Point-of-sale software, bulk dispenser and mobile app solutions", "Activity 5: Mobile app", "Transfers outside the European Union", "Automated decisions", "Your rights", "Exercising your rights", "Complaint"},
			want: []string{
				"acts as processor on behalf of the shop that uses VRACOOP's software, which is the controller",
				"your request is forwarded to the shop, which is the controller and answers it",
				"Device ID",
				"See also: activity 4",
			},
			notWant: []string{"VRACOOP is the controller"},
		},
		{
			name:       "prospect: transfers not stated",
			lang:       "fr",
			activities: []string{"prospects"},
			want:       []string{"Le registre ne précise pas encore si des données quittent l'Union européenne pour : Gestion des prospects."},
		},
		{
			name:     "no activity",
			lang:     "en",
			headings: []string{"Who processes your data", "Your rights", "Exercising your rights", "Complaint"},
			want:     []string{"Contact: Sébastien LEFLOND"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := r.Article15(tt.lang, tt.activities)
			if tt.headings != nil {
				var got []string
				for _, s := range n.Sections {
					got = append(got, s.Heading)
				}
				if strings.Join(got, "|") != strings.Join(tt.headings, "|") {
					t.Errorf("headings:\n got %q\nwant %q", got, tt.headings)
				}
			}
			all := text(n)
			for _, s := range tt.want {
				if !strings.Contains(all, s) {
					t.Errorf("notice does not say %q:\n%s", s, all)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(all, s) {
					t.Errorf("notice says %q", s)
				}
			}
		})
	}
}
