package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vracoop/dsar/internal/dsar"
)

// What operators watch: /readyz says whether the service can do its work,
// /metrics gives Prometheus the figures to graph and alert on. Nothing here
// carries personal data: the metrics are counts, ages and durations, and
// HTTP requests are labelled by route pattern ("/c/:token"), never by path.

// Health is what /readyz asks storage.
type Health interface {
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// OldestPendingMail returns when the oldest mail not yet sent was put
	// in the outbox, or false when none waits.
	OldestPendingMail(ctx context.Context) (time.Time, bool, error)
}

// OpsStore is what /readyz and /metrics read from storage, at each call.
type OpsStore interface {
	Health
	CountRequestsByStatus(ctx context.Context) (map[dsar.Status]int, error)
	CountOverdue(ctx context.Context, today dsar.Date) (int, error)
	PendingMail(ctx context.Context) (int, error)
}

// OpsOptions configure Ops. Zero values get defaults.
type OpsOptions struct {
	Store      OpsStore
	MaxMailAge time.Duration // /readyz fails when a mail waits longer to be sent (default 30 minutes)
	Now        func() time.Time
	Logger     *slog.Logger
}

// DefaultMaxMailAge is how long a mail may wait in the outbox before
// /readyz fails. Retries of a temporary failure start at 30 seconds and
// double: a mail still unsent after half an hour has had six attempts.
const DefaultMaxMailAge = 30 * time.Minute

// Ops serves /readyz and /metrics and measures HTTP requests and Odoo
// calls. Its metrics live in a registry of its own. A nil *Ops measures
// nothing and registers no route, so that it may be left out.
type Ops struct {
	opt      OpsOptions
	registry *prometheus.Registry
	metrics  http.Handler

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	odooDuration *prometheus.HistogramVec
	odooErrors   *prometheus.CounterVec
	intakeSize   prometheus.Histogram
	intakeTime   prometheus.Histogram
	intakeFailed prometheus.Counter
}

// latencyBuckets, in seconds, from a page served from memory to an Odoo
// call at its deadline.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// NewOps builds the operators' endpoints and metrics.
func NewOps(opt OpsOptions) *Ops {
	if opt.MaxMailAge <= 0 {
		opt.MaxMailAge = DefaultMaxMailAge
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	o := &Ops{opt: opt, registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dsar_http_requests_total",
			Help: "HTTP requests served, by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dsar_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by method and route pattern.",
			Buckets: latencyBuckets,
		}, []string{"method", "route"}),
		odooDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dsar_odoo_call_duration_seconds",
			Help:    "Duration of calls to Odoo, failed ones included, by instance and method.",
			Buckets: latencyBuckets,
		}, []string{"instance", "method"}),
		odooErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dsar_odoo_call_errors_total",
			Help: "Calls to Odoo that failed, by instance and method.",
		}, []string{"instance", "method"}),
		intakeSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "dsar_intake_batch_size",
			Help:    "Form submissions stored together in one transaction (group commit): mostly 1 means no concurrency, or batches not forming.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64},
		}),
		intakeTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "dsar_intake_batch_duration_seconds",
			Help:    "Time to store one batch of form submissions, COMMIT and its flush to disk included: what every submitter of the batch waits.",
			Buckets: latencyBuckets,
		}),
		intakeFailed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dsar_intake_batch_failures_total",
			Help: "Batches of form submissions that could not be stored (database locked, full or failing): their submitters were asked to try again.",
		}),
	}
	o.registry.MustRegister(o.httpRequests, o.httpDuration, o.odooDuration, o.odooErrors,
		o.intakeSize, o.intakeTime, o.intakeFailed,
		storeCollector{o}, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	o.metrics = promhttp.HandlerFor(o.registry, promhttp.HandlerOpts{
		// A store that fails leaves its figures out; the rest is served.
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      slog.NewLogLogger(opt.Logger.Handler(), slog.LevelWarn),
	})
	return o
}

// Register adds GET and HEAD /readyz and GET /metrics to r.
func (o *Ops) Register(r gin.IRoutes) {
	if o == nil {
		return
	}
	r.GET("/readyz", o.handleReady)
	r.HEAD("/readyz", o.handleReady)
	r.GET("/metrics", gin.WrapH(o.metrics))
}

// Handler serves /readyz and /metrics alone, for a listener of their own
// that the reverse proxy does not expose.
func (o *Ops) Handler() http.Handler {
	e := gin.New()
	e.Use(gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, p any) {
		o.opt.Logger.Error("Panic while serving", "route", c.FullPath(), "panic", p)
		c.AbortWithStatus(http.StatusInternalServerError)
	}))
	o.Register(e)
	return e
}

// Middleware measures each HTTP request by method, route pattern and
// status. Put it first, before the recoverer, so that it sees the 500 of a
// request that panicked.
func (o *Ops) Middleware() gin.HandlerFunc {
	if o == nil {
		return func(c *gin.Context) { c.Next() }
	}
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		method := metricMethod(c.Request.Method)
		o.httpRequests.WithLabelValues(method, route, strconv.Itoa(c.Writer.Status())).Inc()
		o.httpDuration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
	}
}

// metricMethod keeps the method label to the methods dsar serves, so that
// a client inventing methods cannot create series.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodDelete:
		return m
	}
	return "other"
}

// ObserveOdooCall records one call to an Odoo instance: how long it took
// and whether it failed. method is the RPC method ("search_read",
// "fields_get", ...), never anything a person typed. Safe on a nil *Ops.
func (o *Ops) ObserveOdooCall(instance, method string, d time.Duration, err error) {
	if o == nil {
		return
	}
	o.odooDuration.WithLabelValues(instance, method).Observe(d.Seconds())
	if err != nil {
		o.odooErrors.WithLabelValues(instance, method).Inc()
	}
}

// ObserveIntakeBatch records one batch of form submissions stored
// together: how many, how long, and whether it failed. Safe on a nil *Ops.
func (o *Ops) ObserveIntakeBatch(size int, d time.Duration, err error) {
	if o == nil {
		return
	}
	o.intakeSize.Observe(float64(size))
	o.intakeTime.Observe(d.Seconds())
	if err != nil {
		o.intakeFailed.Inc()
	}
}

// readyTimeout bounds the questions /readyz asks the database.
const readyTimeout = 2 * time.Second

// handleReady answers 200 when the database answers and no mail has waited
// too long to be sent, else 503 with the reason in a line of text; the
// detail of an error goes to the log.
func (o *Ops) handleReady(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request.Context(), readyTimeout)
	defer cancel()
	notReady := func(reason string, err error) {
		o.opt.Logger.Warn("Not ready", "reason", reason, "error", err)
		c.String(http.StatusServiceUnavailable, "not ready: %s\n", reason)
	}
	if err := o.opt.Store.Ping(ctx); err != nil {
		notReady("the database does not answer", err)
		return
	}
	oldest, ok, err := o.opt.Store.OldestPendingMail(ctx)
	if err != nil {
		notReady("the outbox cannot be read", err)
		return
	}
	if age := o.opt.Now().Sub(oldest); ok && age > o.opt.MaxMailAge {
		notReady(fmt.Sprintf("the oldest unsent mail has waited %s (limit %s)",
			age.Round(time.Second), o.opt.MaxMailAge), nil)
		return
	}
	c.String(http.StatusOK, "ok\n")
}

var (
	requestsDesc = prometheus.NewDesc("dsar_requests",
		"Requests stored, by status.", []string{"status"}, nil)
	overdueDesc = prometheus.NewDesc("dsar_requests_overdue",
		"Open requests past their due date (today in Europe/Paris).", nil, nil)
	outboxPendingDesc = prometheus.NewDesc("dsar_outbox_pending",
		"Mails in the outbox not yet sent, waiting for a first attempt or a retry.", nil, nil)
	outboxAgeDesc = prometheus.NewDesc("dsar_outbox_oldest_pending_age_seconds",
		"How long the oldest unsent mail has waited; 0 when none waits.", nil, nil)
)

// scrapeTimeout bounds the store's queries at each scrape.
const scrapeTimeout = 5 * time.Second

// storeCollector reads the request and outbox figures from the store at
// each scrape, so that they are never stale and nothing keeps them up to
// date in between.
type storeCollector struct{ o *Ops }

func (sc storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- requestsDesc
	ch <- overdueDesc
	ch <- outboxPendingDesc
	ch <- outboxAgeDesc
}

func (sc storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	store, now := sc.o.opt.Store, sc.o.opt.Now()
	if counts, err := store.CountRequestsByStatus(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(requestsDesc, err)
	} else {
		// Every status (the dashboard's list), so that a count falling to
		// zero is reported as 0 rather than disappearing.
		for _, s := range allStatuses {
			ch <- prometheus.MustNewConstMetric(requestsDesc, prometheus.GaugeValue, float64(counts[s]), string(s))
			delete(counts, s)
		}
		for s, n := range counts { // a status added since
			ch <- prometheus.MustNewConstMetric(requestsDesc, prometheus.GaugeValue, float64(n), string(s))
		}
	}
	gauge(ch, overdueDesc, func() (float64, error) {
		n, err := store.CountOverdue(ctx, dsar.DateOf(now))
		return float64(n), err
	})
	gauge(ch, outboxPendingDesc, func() (float64, error) {
		n, err := store.PendingMail(ctx)
		return float64(n), err
	})
	gauge(ch, outboxAgeDesc, func() (float64, error) {
		oldest, ok, err := store.OldestPendingMail(ctx)
		if err != nil || !ok {
			return 0, err
		}
		return max(now.Sub(oldest).Seconds(), 0), nil
	})
}

// gauge sends the value that read returns, or its error.
func gauge(ch chan<- prometheus.Metric, desc *prometheus.Desc, read func() (float64, error)) {
	v, err := read()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(desc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v)
}
