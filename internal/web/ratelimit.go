package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ipLimiter gives each client IP a token bucket: limit posts an hour, with
// a burst. Idle buckets are swept so that the map stays small under a
// spray of addresses.
type ipLimiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	now     func() time.Time
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// sweepAfter is how long an idle bucket is kept: by then it is full again.
const sweepAfter = 2 * time.Hour

func newIPLimiter(perHour, burst int, now func() time.Time) *ipLimiter {
	return &ipLimiter{every: rate.Limit(float64(perHour) / 3600), burst: burst, now: now,
		buckets: map[string]*bucket{}, swept: now()}
}

// Allow reports whether ip may post now, and spends a token if so.
func (l *ipLimiter) Allow(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.swept) > sweepAfter/4 {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > sweepAfter {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[ip]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[ip] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}
