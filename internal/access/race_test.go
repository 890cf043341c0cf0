//go:build race

package access

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = true
