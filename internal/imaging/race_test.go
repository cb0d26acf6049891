//go:build race

package imaging

// raceEnabled: the race detector slows pixel loops about tenfold, so tests use
// smaller images where the size does not matter.
const raceEnabled = true
