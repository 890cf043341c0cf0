package odootest

// Demo datasets. Every address is made up and every email is on the
// example.fr or exemple.fr domains.

// demoBuilder adds records with the bookkeeping fields Odoo always fills.
type demoBuilder struct {
	d     *Dataset
	stamp string
}

func (b *demoBuilder) add(model string, vals map[string]any) int {
	return b.put(model, 0, vals)
}

func (b *demoBuilder) put(model string, id int, vals map[string]any) int {
	v := map[string]any{"create_date": b.stamp, "write_date": b.stamp, "create_uid": 2, "write_uid": 2}
	switch model {
	case "res.partner":
		v["type"], v["active"], v["is_company"] = "contact", true, false
		v["customer_rank"], v["supplier_rank"] = 0, 0
	case "res.users", "crm.lead", "loyalty.program", "loyalty.card":
		v["active"] = true
	}
	for k, x := range vals {
		v[k] = x
	}
	if id == 0 {
		return b.d.Add(model, v)
	}
	b.d.Put(model, id, v)
	return id
}

// base adds what every database has: countries, OdooBot, the company and
// its administrator (uid 2, login "admin", whose partner is named admin).
func (b *demoBuilder) base(company map[string]any, admin map[string]any) {
	for id, c := range map[int][2]string{75: {"France", "FR"}, 68: {"Spain", "ES"}, 20: {"Belgium", "BE"}} {
		b.put("res.country", id, map[string]any{"name": c[0], "code": c[1]})
	}
	company["is_company"] = true
	b.put("res.partner", 1, company)
	b.put("res.partner", 2, map[string]any{"name": "OdooBot", "email": "odoobot@example.fr", "active": false})
	admin["parent_id"] = 1
	b.put("res.partner", 3, admin)
	b.put("res.users", 1, map[string]any{"login": "__system__", "partner_id": 2, "active": false, "share": false})
	b.put("res.users", 2, map[string]any{"login": "admin", "partner_id": 3, "share": false})
	b.put("mail.message.subtype", 1, map[string]any{"name": "Discussions", "internal": false})
	b.put("mail.message.subtype", 2, map[string]any{"name": "Note", "internal": true})
}

// Subtypes of the demo messages.
const (
	subtypeDiscussion = 1
	subtypeNote       = 2
)

// DemoVRACOOP is VRACOOP's own instance: the cooperative that supplies
// bulk-grocery shops. crm, sale, purchase and account are installed; the
// point of sale and loyalty are not. Its people and records:
//
//   - res.partner 1 VRACOOP (the company, Anglet); 2 OdooBot (archived);
//     3 "Administrateur VRACOOP" <admin.vracoop@example.fr>, the partner of
//     res.users 2 (login admin).
//   - Customer "Épicerie Vrac & Co" (partner 4), 12 rue Port-Neuf, 64100
//     Bayonne, with contact Camille Durand (partner 5,
//     camille.durand@exemple.fr, 06 12 34 56 78), who has a portal user
//     (res.users 3, login camille.durand@exemple.fr). Sales orders S00001
//     (company), S00002 (Camille, confirmed) and S00003 (Camille, quotation);
//     posted invoices INV/2024/00001 (company) and INV/2024/00002 (Camille,
//     so her contact cannot be deleted), and a draft invoice of the company.
//   - Customer "La Cagette Biarritz" (partner 6) with contact Julien
//     Etcheverry (partner 7, julien.etcheverry@example.fr, 0687654321):
//     S00004 and INV/2024/00003.
//   - Supplier "Moulin d'Arrast" (partner 8, bank account FR76 1027 8022
//     0000 0123 4567 890) with contact Camille Durand again (partner 9,
//     Camille.Durand@Exemple.fr, +33 6 12 34 56 78): purchase orders
//     P00001 (confirmed) and P00002 (draft), vendor bill
//     BILL/2024/10/0001.
//   - Prospect Sophie Martin (partner 10, sophie.martin@example.fr,
//     06 98 76 54 32, Hendaye) and her lost, archived opportunity.
//   - A homonym: Camille Durand of Toulouse (partner 11,
//     c.durand@example.fr, 07 11 22 33 44), a different person whom a
//     search by name alone would wrongly take.
//   - "Épicerie du Port" (partner 12), a closed customer, archived.
//   - crm.lead 1 "Ouverture d'une épicerie vrac à Anglet": an opportunity
//     of Camille (partner 5) with email_from " CAMILLE.DURAND@exemple.fr "
//     (spaces and capitals), phone 0612345678; crm.lead 2 lost and archived
//     (Sophie Martin); crm.lead 3 a lead from Lucie Bernard
//     (lucie.bernard@example.fr, +33 7 61 23 45 67) with no partner.
//   - mail.message: notes and emails on Camille's records, some written by
//     her (author partner 5 or 9); mail.followers: Camille follows S00002
//     and her opportunity, her supplier self follows P00001.
func DemoVRACOOP() *Dataset {
	b := &demoBuilder{d: NewDataset(), stamp: "2024-01-15 09:00:00"}
	b.d.Uninstalled = []string{"point_of_sale", "loyalty"}
	b.base(map[string]any{"name": "VRACOOP", "email": "bonjour.vracoop@example.fr", "phone": "05 59 00 11 22",
		"street": "8 allée du Cadran", "zip": "64600", "city": "Anglet", "country_id": 75, "vat": "FR00999999999"},
		map[string]any{"name": "Administrateur VRACOOP", "email": "admin.vracoop@example.fr"})

	p := func(id int, vals map[string]any) { b.put("res.partner", id, vals) }
	p(4, map[string]any{"name": "Épicerie Vrac & Co", "is_company": true, "email": "vracetco.bayonne@example.fr",
		"phone": "05 59 12 34 56", "street": "12 rue Port-Neuf", "zip": "64100", "city": "Bayonne", "country_id": 75,
		"vat": "FR40123456789", "customer_rank": 3, "comment": "<p>Livraison le mardi matin.</p>"})
	p(5, map[string]any{"name": "Camille Durand", "parent_id": 4, "function": "Gérante", "email": "camille.durand@exemple.fr",
		"phone": "06 12 34 56 78", "mobile": "06 12 34 56 78", "street": "12 rue Port-Neuf", "zip": "64100", "city": "Bayonne",
		"country_id": 75, "customer_rank": 1})
	p(6, map[string]any{"name": "La Cagette Biarritz", "is_company": true, "email": "lacagette.biarritz@example.fr",
		"phone": "+33 5 59 24 68 10", "street": "3 avenue de Verdun", "zip": "64200", "city": "Biarritz", "country_id": 75,
		"vat": "FR72987654321", "customer_rank": 1})
	p(7, map[string]any{"name": "Julien Etcheverry", "parent_id": 6, "email": "julien.etcheverry@example.fr",
		"mobile": "0687654321", "city": "Biarritz", "zip": "64200", "country_id": 75})
	p(8, map[string]any{"name": "Moulin d'Arrast", "is_company": true, "email": "moulin.arrast@example.fr",
		"phone": "05.59.28.14.03", "street": "Chemin du Moulin", "zip": "64130", "city": "Arrast-Larrebieu", "country_id": 75,
		"vat": "FR15444555666", "supplier_rank": 2})
	p(9, map[string]any{"name": "Camille Durand", "parent_id": 8, "function": "Commerciale", "email": "Camille.Durand@Exemple.fr",
		"phone": "+33 6 12 34 56 78", "zip": "64130", "city": "Arrast-Larrebieu", "country_id": 75})
	p(10, map[string]any{"name": "Sophie Martin", "email": "sophie.martin@example.fr", "phone": "06 98 76 54 32",
		"street": "21 rue des Pêcheurs", "zip": "64700", "city": "Hendaye", "country_id": 75})
	p(11, map[string]any{"name": "Camille Durand", "email": "c.durand@example.fr", "phone": "07 11 22 33 44",
		"street": "40 allées Jean Jaurès", "zip": "31000", "city": "Toulouse", "country_id": 75, "customer_rank": 1})
	p(12, map[string]any{"name": "Épicerie du Port", "is_company": true, "email": "epicerie.port@example.fr",
		"zip": "64500", "city": "Saint-Jean-de-Luz", "country_id": 75, "active": false, "customer_rank": 1})
	b.put("res.users", 3, map[string]any{"login": "camille.durand@exemple.fr", "partner_id": 5, "share": true})

	b.put("res.partner.bank", 1, map[string]any{"acc_number": "FR76 1027 8022 0000 0123 4567 890", "partner_id": 8,
		"acc_holder_name": "MOULIN D'ARRAST"})
	b.put("res.partner.bank", 2, map[string]any{"acc_number": "FR76 3000 4000 0500 0012 3456 789", "partner_id": 4})

	for id, s := range []struct {
		name string
		seq  int
		won  bool
	}{{"New", 1, false}, {"Qualified", 2, false}, {"Proposition", 3, false}, {"Won", 70, true}} {
		b.put("crm.stage", id+1, map[string]any{"name": s.name, "sequence": s.seq, "is_won": s.won})
	}
	b.put("crm.lead", 1, map[string]any{"name": "Ouverture d'une épicerie vrac à Anglet", "type": "opportunity",
		"partner_id": 5, "contact_name": "Camille Durand", "partner_name": "Le Bocal d'Anglet",
		"email_from": " CAMILLE.DURAND@exemple.fr ", "phone": "0612345678", "mobile": "06 12 34 56 78",
		"street": "5 avenue de l'Adour", "zip": "64600", "city": "Anglet", "country_id": 75, "stage_id": 2,
		"probability": 40.0, "user_id": 2,
		"description": "<p>Camille prépare une seconde boutique ; intéressée par la gamme légumineuses.</p>"})
	b.put("crm.lead", 2, map[string]any{"name": "Dépôt de produits vrac à Hendaye", "type": "opportunity",
		"partner_id": 10, "contact_name": "Sophie Martin", "email_from": "sophie.martin@example.fr",
		"phone": "06 98 76 54 32", "city": "Hendaye", "country_id": 75, "stage_id": 1, "probability": 0.0,
		"active": false, "user_id": 2})
	b.put("crm.lead", 3, map[string]any{"name": "Demande de catalogue - Ciboure", "type": "lead",
		"contact_name": "Lucie Bernard", "email_from": "lucie.bernard@example.fr", "phone": "+33 7 61 23 45 67",
		"city": "Ciboure", "country_id": 75, "probability": 10.0})

	so := func(id int, name string, partner int, state, date string, total float64) {
		b.put("sale.order", id, map[string]any{"name": name, "partner_id": partner, "state": state,
			"date_order": date, "amount_total": total, "user_id": 2})
	}
	so(1, "S00001", 4, "sale", "2024-09-12 10:15:00", 1842.60)
	so(2, "S00002", 5, "sale", "2024-11-05 08:40:00", 356.40)
	so(3, "S00003", 5, "draft", "2025-01-20 15:30:00", 128.00)
	so(4, "S00004", 6, "sale", "2024-10-02 11:00:00", 972.15)
	b.d.table("sale.order").rows[2]["client_order_ref"] = "Commande Camille"

	po := func(id int, name string, state, date string, total float64, ref any) {
		b.put("purchase.order", id, map[string]any{"name": name, "partner_id": 8, "state": state,
			"date_order": date, "amount_total": total, "partner_ref": ref})
	}
	po(1, "P00001", "purchase", "2024-10-01 09:00:00", 2480.00, "DEV-118")
	po(2, "P00002", "draft", "2025-01-10 14:20:00", 640.00, nil)

	mv := func(id int, name, typ, state string, partner int, date string, total float64, origin any, pay string) {
		b.put("account.move", id, map[string]any{"name": name, "move_type": typ, "state": state, "partner_id": partner,
			"invoice_date": date, "date": date, "amount_total": total, "invoice_origin": origin, "payment_state": pay})
	}
	mv(1, "INV/2024/00001", "out_invoice", "posted", 4, "2024-09-13", 1842.60, "S00001", "paid")
	mv(2, "INV/2024/00002", "out_invoice", "posted", 5, "2024-11-06", 356.40, "S00002", "not_paid")
	mv(3, "INV/2024/00003", "out_invoice", "posted", 6, "2024-10-03", 972.15, "S00004", "paid")
	mv(4, "BILL/2024/10/0001", "in_invoice", "posted", 8, "2024-10-15", 2480.00, "P00001", "paid")
	mv(5, "/", "out_invoice", "draft", 4, "2025-01-21", 250.00, nil, "not_paid")
	b.d.table("account.move").rows[4]["ref"] = "FA-2024-118"

	msg := func(model string, resID, author int, body, date, typ string, subtype int, from any) {
		b.add("mail.message", map[string]any{"model": model, "res_id": resID, "author_id": author, "body": body,
			"date": date, "message_type": typ, "subtype_id": subtype, "email_from": from})
	}
	admin := "Administrateur VRACOOP <admin.vracoop@example.fr>"
	msg("res.partner", 5, 3, "<p>Appel de Camille : souhaite recevoir le catalogue d'automne.</p>",
		"2024-09-20 14:02:00", "comment", subtypeNote, admin)
	msg("sale.order", 2, 5, "<p>Bonjour, pourriez-vous livrer mardi matin plutôt que jeudi ? Merci, Camille</p>",
		"2024-11-05 09:12:00", "email", subtypeDiscussion, "Camille Durand <camille.durand@exemple.fr>")
	msg("crm.lead", 1, 3, "<p>Rendez-vous fixé le 14/01 à Anglet avec Camille.</p>",
		"2025-01-08 11:30:00", "comment", subtypeNote, admin)
	msg("res.partner", 9, 9, "<p>Bonjour, voici notre nouvelle grille tarifaire. Camille (Moulin d'Arrast)</p>",
		"2024-10-03 08:05:00", "email", subtypeDiscussion, "Camille Durand <Camille.Durand@Exemple.fr>")
	msg("purchase.order", 1, 9, "<p>La farine T80 partira vendredi.</p>",
		"2024-10-04 16:45:00", "email", subtypeDiscussion, "Camille Durand <Camille.Durand@Exemple.fr>")
	msg("res.partner", 10, 3, "<p>Projet abandonné par Sophie (local trop cher).</p>",
		"2024-06-11 10:00:00", "comment", subtypeNote, admin)
	msg("sale.order", 1, 3, "<p>Commande confirmée.</p>", "2024-09-12 10:16:00", "notification", subtypeDiscussion, admin)

	for _, f := range []struct {
		model   string
		resID   int
		partner int
	}{{"sale.order", 2, 5}, {"crm.lead", 1, 5}, {"purchase.order", 1, 9}, {"res.partner", 5, 3}, {"sale.order", 1, 4}} {
		b.add("mail.followers", map[string]any{"res_model": f.model, "res_id": f.resID, "partner_id": f.partner})
	}
	return b.d
}

// Names of the shops DemoShop knows.
const (
	ShopVracEtCo  = "Vrac & Co Bayonne"
	ShopLaCagette = "La Cagette Biarritz"
)

// DemoShop is the instance of one of VRACOOP's client shops: point of sale,
// loyalty and account installed; crm, sale and purchase not. Its
// res.partner 1 is the shop, 3 the manager (partner of res.users 2, login
// admin).
//
// "Vrac & Co Bayonne" (ShopVracEtCo), managed by Mathieu Larralde
// (mathieu.larralde@example.fr), has the loyalty program "Carte fidélité
// Vrac & Co" and these customers:
//   - Camille Durand (partner 4, camille.durand@EXEMPLE.fr, 06 12 34 56 78):
//     loyalty card VRAC-0042 (128.5 points), point-of-sale orders
//     Vrac & Co/0012 and Vrac & Co/0031, the latter invoiced
//     (INV/2025/00001, posted, so her partner cannot be deleted);
//   - Maite Irigoyen (partner 5, maite.irigoyen@example.fr, 0559876543):
//     card VRAC-0043, order Vrac & Co/0013;
//   - Pierre Lambert (partner 6, no email, 06 45 67 89 01): card VRAC-0051;
//   - Anne-Marie Dufau (partner 7, am.dufau@example.fr), archived;
//   - an anonymous order (Vrac & Co/0014) and an unassigned card VRAC-0060.
//
// "La Cagette Biarritz" (ShopLaCagette), managed by Julien Etcheverry
// (julien.etcheverry@example.fr, also VRACOOP's contact there), has the
// program "Fidélité La Cagette" and these customers:
//   - Ainhoa Bidart (partner 4, ainhoa.bidart@example.fr, +33 6 23 45 67 89):
//     card CAG-1001, orders La Cagette/0101 and /0104;
//   - Lucas Moreau (partner 5, lucas.moreau@example.fr, 0623456789): card
//     CAG-1002;
//   - Élodie Garat (partner 6, Elodie.Garat@Example.fr): card CAG-1003,
//     order La Cagette/0102;
//   - Sophie Martin (partner 7, sophie.martin@example.fr, 06 98 76 54 32),
//     VRACOOP's former prospect: card CAG-1004, order La Cagette/0103.
//
// Any other name gives a shop with only its company, manager and an empty
// loyalty program.
func DemoShop(name string) *Dataset {
	b := &demoBuilder{d: NewDataset(), stamp: "2024-03-01 08:00:00"}
	b.d.Uninstalled = []string{"crm", "sale", "purchase"}
	switch name {
	case ShopVracEtCo:
		demoVracEtCo(b)
	case ShopLaCagette:
		demoLaCagette(b)
	default:
		b.base(map[string]any{"name": name, "country_id": 75}, map[string]any{"name": "Gérant " + name})
		b.put("loyalty.program", 1, map[string]any{"name": "Carte fidélité " + name, "program_type": "loyalty"})
	}
	return b.d
}

// shopOrder adds a point-of-sale order and its lines.
func (b *demoBuilder) shopOrder(id int, name string, partner any, date, state string, lines ...posLine) {
	total := 0.0
	for _, l := range lines {
		total += l.qty * l.price
	}
	b.put("pos.order", id, map[string]any{"name": name, "pos_reference": "Commande " + name[len(name)-4:],
		"partner_id": partner, "date_order": date, "state": state, "amount_total": round2(total)})
	for _, l := range lines {
		b.add("pos.order.line", map[string]any{"order_id": id, "full_product_name": l.product, "qty": l.qty,
			"price_unit": l.price, "price_subtotal_incl": round2(l.qty * l.price)})
	}
}

type posLine struct {
	product    string
	qty, price float64
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

func demoVracEtCo(b *demoBuilder) {
	b.base(map[string]any{"name": ShopVracEtCo, "email": "vracetco.bayonne@example.fr", "phone": "05 59 12 34 56",
		"street": "12 rue Port-Neuf", "zip": "64100", "city": "Bayonne", "country_id": 75},
		map[string]any{"name": "Mathieu Larralde", "email": "mathieu.larralde@example.fr"})
	p := func(id int, vals map[string]any) { b.put("res.partner", id, vals) }
	p(4, map[string]any{"name": "Camille Durand", "email": "camille.durand@EXEMPLE.fr", "phone": "06 12 34 56 78",
		"zip": "64100", "city": "Bayonne", "country_id": 75, "customer_rank": 1})
	p(5, map[string]any{"name": "Maite Irigoyen", "email": "maite.irigoyen@example.fr", "phone": "0559876543",
		"city": "Bayonne", "country_id": 75})
	p(6, map[string]any{"name": "Pierre Lambert", "mobile": "06 45 67 89 01", "city": "Anglet", "country_id": 75})
	p(7, map[string]any{"name": "Anne-Marie Dufau", "email": "am.dufau@example.fr", "active": false})
	b.put("loyalty.program", 1, map[string]any{"name": "Carte fidélité Vrac & Co", "program_type": "loyalty"})
	for i, c := range []struct {
		partner any
		code    string
		points  float64
	}{{4, "VRAC-0042", 128.5}, {5, "VRAC-0043", 40}, {6, "VRAC-0051", 12.5}, {nil, "VRAC-0060", 0}} {
		b.put("loyalty.card", i+1, map[string]any{"program_id": 1, "partner_id": c.partner, "code": c.code, "points": c.points})
	}
	b.shopOrder(1, "Vrac & Co/0012", 4, "2024-11-02 10:32:00", "done",
		posLine{"Lentilles vertes (vrac, kg)", 0.5, 6.40}, posLine{"Huile d'olive (consigne, L)", 1, 14.90}, posLine{"Savon de Marseille", 1, 5.70})
	b.shopOrder(2, "Vrac & Co/0013", 5, "2024-11-02 11:05:00", "done", posLine{"Riz complet (vrac, kg)", 2, 3.80})
	b.shopOrder(3, "Vrac & Co/0014", nil, "2024-11-03 17:20:00", "done", posLine{"Café moulu (vrac, kg)", 0.25, 24.00})
	b.shopOrder(4, "Vrac & Co/0031", 4, "2025-01-11 16:05:00", "invoiced",
		posLine{"Farine T80 (vrac, kg)", 3, 2.60}, posLine{"Pois chiches (vrac, kg)", 1, 5.20}, posLine{"Miel de montagne (pot)", 1, 12.90})
	b.put("account.move", 1, map[string]any{"name": "INV/2025/00001", "move_type": "out_invoice", "state": "posted",
		"partner_id": 4, "invoice_date": "2025-01-11", "date": "2025-01-11", "amount_total": 25.90,
		"invoice_origin": "Vrac & Co/0031", "payment_state": "paid"})
	b.add("mail.message", map[string]any{"model": "res.partner", "res_id": 4, "author_id": 3,
		"body": "<p>Cliente fidèle, préfère être contactée par SMS.</p>", "date": "2024-11-02 10:40:00",
		"message_type": "comment", "subtype_id": subtypeNote, "email_from": "Mathieu Larralde <mathieu.larralde@example.fr>"})
}

func demoLaCagette(b *demoBuilder) {
	b.base(map[string]any{"name": ShopLaCagette, "email": "lacagette.biarritz@example.fr", "phone": "+33 5 59 24 68 10",
		"street": "3 avenue de Verdun", "zip": "64200", "city": "Biarritz", "country_id": 75},
		map[string]any{"name": "Julien Etcheverry", "email": "julien.etcheverry@example.fr"})
	p := func(id int, vals map[string]any) { b.put("res.partner", id, vals) }
	p(4, map[string]any{"name": "Ainhoa Bidart", "email": "ainhoa.bidart@example.fr", "phone": "+33 6 23 45 67 89",
		"city": "Biarritz", "country_id": 75})
	p(5, map[string]any{"name": "Lucas Moreau", "email": "lucas.moreau@example.fr", "mobile": "0623456789",
		"city": "Bidart", "country_id": 75})
	p(6, map[string]any{"name": "Élodie Garat", "email": "Elodie.Garat@Example.fr", "city": "Biarritz", "country_id": 75})
	p(7, map[string]any{"name": "Sophie Martin", "email": "sophie.martin@example.fr", "phone": "06 98 76 54 32",
		"city": "Hendaye", "country_id": 75})
	b.put("loyalty.program", 1, map[string]any{"name": "Fidélité La Cagette", "program_type": "loyalty"})
	for i, points := range []float64{86, 15, 230.5, 8} {
		b.put("loyalty.card", i+1, map[string]any{"program_id": 1, "partner_id": i + 4,
			"code": "CAG-100" + string(rune('1'+i)), "points": points})
	}
	b.shopOrder(1, "La Cagette/0101", 4, "2024-12-03 09:45:00", "done", posLine{"Flocons d'avoine (vrac, kg)", 1, 4.10})
	b.shopOrder(2, "La Cagette/0102", 6, "2024-12-03 10:12:00", "done", posLine{"Amandes (vrac, kg)", 0.3, 21.50})
	b.shopOrder(3, "La Cagette/0103", 7, "2024-12-04 18:30:00", "paid", posLine{"Thé vert (vrac, 100 g)", 2, 6.20})
	b.shopOrder(4, "La Cagette/0104", 4, "2025-01-15 12:00:00", "done", posLine{"Lessive (consigne, L)", 2, 7.90})
}
