// Package lookups runs the Odoo lookups that requests wait for: it takes
// the due jobs from storage, searches Odoo for the person with the
// identifiers of the request, stores the snapshot, routes the request anew
// from what was found, and, when an instance failed, leaves the job to run
// again later with a backoff. An Odoo outage leaves requests waiting, never
// failed.
package lookups

import (
	"context"
	"log/slog"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// Store is what the runner needs from storage.
type Store interface {
	DueLookups(ctx context.Context, now time.Time, limit int) ([]dsar.LookupJob, error)
	FindRequest(ctx context.Context, id string) (dsar.Request, error)
	FinishLookup(ctx context.Context, requestID string, l dsar.Lookup, routing dsar.Routing, retry time.Time) error
}

// SearchFunc searches the Odoo instances a request concerns (VRACOOP's, and
// the shop's it names when the shop allows it) for the person.
type SearchFunc func(ctx context.Context, r dsar.Request, emails, phones []string, name string) dsar.Lookup

// RouteFunc routes a request from its relationship and the lookup's
// evidence.
type RouteFunc func(rel dsar.Relationship, found []string) dsar.Routing

// Runner runs due lookups.
type Runner struct {
	Store   Store
	Search  SearchFunc
	Route   RouteFunc
	Now     func() time.Time
	Logger  *slog.Logger
	Backoff func(attempts int) time.Duration // delay before the next attempt after attempts failed ones
	Batch   int
}

// DefaultBackoff waits 1, 2, 4... minutes, up to an hour.
func DefaultBackoff(attempts int) time.Duration {
	d := time.Minute
	for i := 0; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Flush runs every lookup due now and returns how many ran.
func (r *Runner) Flush(ctx context.Context) (int, error) {
	batch := r.Batch
	if batch <= 0 {
		batch = 10
	}
	jobs, err := r.Store.DueLookups(ctx, r.Now(), batch)
	if err != nil {
		return 0, err
	}
	for _, j := range jobs {
		if err := r.run(ctx, j); err != nil {
			return 0, err
		}
	}
	return len(jobs), nil
}

func (r *Runner) run(ctx context.Context, j dsar.LookupJob) error {
	req, err := r.Store.FindRequest(ctx, j.RequestID)
	if err != nil {
		return err
	}
	emails, phones, name := identifiers(req)
	l := r.Search(ctx, req, emails, phones, name)
	routing := r.Route(req.Relationship, l.Evidence())
	backoff := r.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	retry := r.Now().Add(backoff(j.Attempts))
	if err := r.Store.FinishLookup(ctx, req.ID, l, routing, retry); err != nil {
		return err
	}
	if l.Complete() {
		r.Logger.Info("Odoo lookup done", "ref", req.Ref, "findings", len(l.Findings))
	} else {
		r.Logger.Warn("Odoo lookup incomplete: the request waits and the lookup will run again",
			"ref", req.Ref, "problems", len(l.Problems), "retry_at", retry, "first_problem", l.Problems[0].Message)
	}
	return nil
}

// identifiers are what the lookup searches for: the request's email (the
// one the person confirmed, or the one staff entered), its phone, its name.
func identifiers(r dsar.Request) (emails, phones []string, name string) {
	if r.Email != "" {
		emails = []string{r.Email}
	}
	if r.Phone != "" {
		phones = []string{r.Phone}
	}
	return emails, phones, r.Name
}

// Run runs due lookups every interval until ctx ends.
func (r *Runner) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := r.Flush(ctx); err != nil && ctx.Err() == nil {
			r.Logger.Error("Running Odoo lookups failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
