package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/vracoop/dsar/internal/dsar"
)

const shopColumns = `id, name, legal_entity, town, privacy_email, lang, contract_start, contract_end,
	odoo_url, odoo_db, odoo_login, odoo_protocol, odoo_key, search_allowed, active, created_at, api_key_hash, callback_secret`

func scanShop(row rowScanner) (dsar.Shop, error) {
	var s dsar.Shop
	var start, created string
	var end sql.NullString
	if err := row.Scan(&s.ID, &s.Name, &s.LegalEntity, &s.Town, &s.PrivacyEmail, &s.Lang, &start, &end,
		&s.OdooURL, &s.OdooDB, &s.OdooLogin, &s.OdooProtocol, &s.OdooKeySealed, &s.SearchAllowed, &s.Active, &created,
		&s.APIKeyHash, &s.CallbackSealed); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return s, notFound("shop")
		}
		return s, err
	}
	var errs [3]error
	s.ContractStart, errs[0] = dsar.ParseDate(start)
	s.ContractEnd, errs[1] = scanNullDate(end)
	s.CreatedAt, errs[2] = parseTime(created)
	return s, errors.Join(errs[:]...)
}

// CreateShop stores a client shop; seal encrypts its Odoo API key with a
// label bound to the shop's ID, so the key is sealed after the insert.
func (db *DB) CreateShop(ctx context.Context, s *dsar.Shop, apiKey string, seal func(plain, label string) ([]byte, error), actor string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO shops (name, legal_entity, town, privacy_email, lang, contract_start, contract_end,
			odoo_url, odoo_db, odoo_login, odoo_protocol, search_allowed, active, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			strings.TrimSpace(s.Name), strings.TrimSpace(s.LegalEntity), strings.TrimSpace(s.Town), strings.TrimSpace(s.PrivacyEmail),
			s.Lang, s.ContractStart.String(), nullDate(s.ContractEnd), s.OdooURL, s.OdooDB, s.OdooLogin, orDefault(s.OdooProtocol, "xmlrpc"),
			s.SearchAllowed, true, formatTime(s.CreatedAt))
		var se sqlite3.Error
		if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
			return dsar.Errorf(dsar.ECONFLICT, "a shop with this name already exists")
		} else if err != nil {
			return mapError(fmt.Errorf("insert shop: %w", err))
		}
		if s.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		s.Active = true
		if apiKey != "" {
			if s.OdooKeySealed, err = seal(apiKey, ShopKeyLabel(s.ID)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE shops SET odoo_key = ? WHERE id = ?`, s.OdooKeySealed, s.ID); err != nil {
				return mapError(err)
			}
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: s.CreatedAt, Actor: actor, Action: "shop_add",
			Details: fmt.Sprintf("shop #%d %s", s.ID, s.Name)})
	})
}

// ShopKeyLabel binds a sealed API key to its shop.
func ShopKeyLabel(id int64) string { return fmt.Sprintf("shop:%d:odoo", id) }

// ShopCallbackLabel is the sealing label of shop id's callback secret,
// beside ShopKeyLabel so that no two sealed values share a label.
func ShopCallbackLabel(id int64) string { return fmt.Sprintf("shop:%d:callback", id) }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// Shops returns every shop, active ones first, by name.
func (db *DB) Shops(ctx context.Context) ([]dsar.Shop, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+shopColumns+` FROM shops ORDER BY active DESC, name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("list shops: %w", err)
	}
	return scanAll(rows, scanShop)
}

// Shop returns one shop.
func (db *DB) Shop(ctx context.Context, id int64) (dsar.Shop, error) {
	return scanShop(db.db.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops WHERE id = ?`, id))
}

// SetShopActive enables or disables a shop.
func (db *DB) SetShopActive(ctx context.Context, id int64, active bool, actor string, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE shops SET active = ? WHERE id = ?`, active, id)
		if err != nil {
			return mapError(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return notFound("shop")
		}
		action := "shop_enable"
		if !active {
			action = "shop_disable"
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: actor, Action: action, Details: fmt.Sprintf("shop #%d", id)})
	})
}

// EnsureShop creates the shop named s.Name, or, when it exists, points it
// at s's Odoo instance with a newly sealed key. The demo mode uses it at
// each start, since its Odoo test servers listen on new ports.
func (db *DB) EnsureShop(ctx context.Context, s *dsar.Shop, apiKey string, seal func(plain, label string) ([]byte, error), actor string) error {
	var id int64
	err := db.db.QueryRowContext(ctx, `SELECT id FROM shops WHERE name = ?`, s.Name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return db.CreateShop(ctx, s, apiKey, seal, actor)
	} else if err != nil {
		return err
	}
	sealed, err := seal(apiKey, ShopKeyLabel(id))
	if err != nil {
		return err
	}
	s.ID = id
	_, err = db.db.ExecContext(ctx, `UPDATE shops SET odoo_url = ?, odoo_db = ?, odoo_login = ?, odoo_protocol = ?, odoo_key = ? WHERE id = ?`,
		s.OdooURL, s.OdooDB, s.OdooLogin, orDefault(s.OdooProtocol, "xmlrpc"), sealed, id)
	return mapError(err)
}
