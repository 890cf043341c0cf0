package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// execer is what the statements of a write transaction need: a *sql.Tx, or
// a preparedTx that reuses its statements.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// preparedTx runs a transaction's statements through prepared statements
// instead of parsing each one on every call: mattn/go-sqlite3 keeps no
// statement cache, and parsing took a fifth of the intake writer's time
// when every request of a batch parsed the same dozen statements again.
// The statements are the database's (stmtCache): database/sql prepares
// each once on every pooled connection that runs it and hands the
// transaction that connection's copy, so that a batch parses nothing its
// connection parsed before.
type preparedTx struct {
	*sql.Tx
	cache *stmtCache
	stmts map[string]*sql.Stmt // the transaction's handles, by query
}

func newPreparedTx(tx *sql.Tx, cache *stmtCache) preparedTx {
	return preparedTx{Tx: tx, cache: cache, stmts: map[string]*sql.Stmt{}}
}

// stmtCache holds a database's prepared statements, by query.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns the statement for query, preparing it the first time.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

// close closes every statement of the cache.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
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
	shared, err := p.cache.get(ctx, query)
	if err != nil {
		return nil, mapError(err)
	}
	st := p.Tx.StmtContext(ctx, shared)
	p.stmts[query] = st
	return st, nil
}
