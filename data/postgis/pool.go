package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	pgxgeom "github.com/twpayne/pgx-geom"
)

// pool is a minimal connection pool. pgx's own pgxpool (and pgx/stdlib,
// which imports it) needs github.com/jackc/puddle/v2, a module not in our
// go.mod; a bounded channel of connections is all the store needs. Each
// connection registers the go-geom codec (pgx-geom) for geometry values.
type pool struct {
	cfg  *pgx.ConnConfig
	sem  chan struct{}  // bounds open connections
	idle chan *pgx.Conn // connections ready for reuse
}

func newPool(url string, size int) (*pool, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgis: connection URL: %w", err)
	}
	return &pool{cfg: cfg, sem: make(chan struct{}, size), idle: make(chan *pgx.Conn, size)}, nil
}

func (p *pool) acquire(ctx context.Context) (*pgx.Conn, error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		select {
		case c := <-p.idle:
			if c.IsClosed() {
				continue
			}
			return c, nil
		default:
		}
		break
	}
	c, err := pgx.ConnectConfig(ctx, p.cfg.Copy())
	if err != nil {
		<-p.sem
		return nil, fmt.Errorf("postgis: connect: %w", err)
	}
	if err := pgxgeom.Register(ctx, c); err != nil {
		c.Close(ctx)
		<-p.sem
		return nil, fmt.Errorf("postgis: register geometry codec (is the postgis extension installed?): %w", err)
	}
	return c, nil
}

// release returns c to the pool; a connection left in a transaction or
// closed is dropped.
func (p *pool) release(c *pgx.Conn) {
	if c.IsClosed() || c.PgConn().TxStatus() != 'I' {
		c.Close(context.Background())
	} else {
		select {
		case p.idle <- c:
		default:
			c.Close(context.Background())
		}
	}
	<-p.sem
}

func (p *pool) with(ctx context.Context, fn func(c *pgx.Conn) error) error {
	c, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer p.release(c)
	return fn(c)
}

func (p *pool) close() {
	for {
		select {
		case c := <-p.idle:
			c.Close(context.Background())
		default:
			return
		}
	}
}
