package machine

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestLoadAverage(t *testing.T) {
	got := LoadAverage()
	if _, err := os.Stat("/proc/loadavg"); err != nil {
		if got != "unknown" {
			t.Fatalf("without /proc/loadavg: %q, want unknown", got)
		}
		return
	}
	f := strings.Fields(got)
	if len(f) != 3 {
		t.Fatalf("LoadAverage() = %q, want three numbers", got)
	}
	for _, x := range f {
		if v, err := strconv.ParseFloat(x, 64); err != nil || v < 0 {
			t.Fatalf("LoadAverage() = %q: %q is not a load average", got, x)
		}
	}
}
