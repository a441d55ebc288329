package source

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rowplane/rowplane/provider/source/postgres"
)

// postgresSource reads through the owner's pgx pool; package postgres scrubs its errors.
type postgresSource struct {
	pool *pgxpool.Pool
}

func (s postgresSource) Read(ctx context.Context, q Query) ([]Row, error) {
	rows, err := postgres.Read(ctx, s.pool, postgres.Query(q))
	return rowsOf(rows), err
}

func (s postgresSource) Probe(ctx context.Context, q Query) (Fingerprint, error) {
	f, err := postgres.Probe(ctx, s.pool, postgres.Query(q))
	return Fingerprint(f), err
}
