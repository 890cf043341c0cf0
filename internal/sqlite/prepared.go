package sqlite

import (
	"context"
	"database/sql"
)

// execer is what the statements of a write transaction need: a *sql.Tx, or
// a preparedTx that reuses its statements.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// preparedTx runs a transaction's statements through statements prepared
// once for the transaction, instead of parsing each one on every call:
// mattn/go-sqlite3 keeps no statement cache, and parsing took a fifth of the
// intake writer's time when every request of a batch parsed the same
// dozen statements again. The statements live as long as the transaction,
// on its connection, so that no statement outlives it or waits for another
// connection of the pool.
type preparedTx struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
}

func newPreparedTx(tx *sql.Tx) preparedTx {
	return preparedTx{Tx: tx, stmts: map[string]*sql.Stmt{}}
}

// ExecContext runs query as a statement of the transaction.
func (p preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryRowContext runs query as a statement of the transaction; a
// statement that does not prepare is run unprepared, to report why.
func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.prepared(ctx, query)
	if err != nil {
		return p.Tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// prepared returns the statement for query, preparing it the first time.
func (p preparedTx) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	st, err := p.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, mapError(err)
	}
	p.stmts[query] = st
	return st, nil
}
