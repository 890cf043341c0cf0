package mail

import (
	"math/rand/v2"
	"time"
)

// Bounds of DefaultBackoff.
const (
	firstRetry = 30 * time.Second
	lastRetry  = time.Hour
)

// DefaultBackoff returns how long to wait before the next attempt at a mail
// after attempts failed ones: 30s, 1m, 2m, ... up to 1h.
func DefaultBackoff(attempts int) time.Duration {
	return Backoff(firstRetry, lastRetry)(attempts)
}

// Backoff returns an exponential backoff that starts at first and doubles
// up to last, each delay lengthened by up to a tenth at random so that
// mails that failed together do not all come back in the same second.
func Backoff(first, last time.Duration) func(attempts int) time.Duration {
	return func(attempts int) time.Duration {
		d := first
		for i := 1; i < attempts && d < last; i++ {
			d *= 2
		}
		d = min(d, last)
		return d + rand.N(d/10+1)
	}
}
