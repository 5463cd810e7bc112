// Package machine reports facts about the machine a benchmark runs on, so
// that every figure is recorded with how busy the machine was.
package machine

import (
	"os"
	"strings"
)

// LoadAverage returns the 1-, 5- and 15-minute load averages separated by
// spaces ("0.71 0.25 0.09"), or "unknown" where /proc/loadavg cannot be read.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
