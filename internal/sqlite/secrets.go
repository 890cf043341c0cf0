package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// Secret returns the secret stored under name, creating it with gen on
// first use. The service keeps its own keys (such as the CSRF signing key)
// so that they survive restarts without any configuration.
func (db *DB) Secret(ctx context.Context, name string, gen func() ([]byte, error)) ([]byte, error) {
	var v []byte
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM app_secrets WHERE name = ?`, name).Scan(&v)
		if err == nil {
			return nil
		} else if err != sql.ErrNoRows {
			return err
		}
		if v, err = gen(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO app_secrets (name, value) VALUES (?, ?)`, name, v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return v, nil
}
