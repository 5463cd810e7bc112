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

func TestStartCPUProfile(t *testing.T) {
	path := t.TempDir() + "/cpu.pprof"
	stop, err := StartCPUProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A second profile cannot start while one runs: the error is returned,
	// not dropped, and the file it opened is closed.
	if _, err := StartCPUProfile(t.TempDir() + "/second.pprof"); err == nil {
		t.Fatal("a second concurrent CPU profile started")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 {
		t.Fatalf("profile file: %v, %v", fi, err)
	}
	none, err := StartCPUProfile("")
	if err != nil || none() != nil {
		t.Fatalf("empty path: %v", err)
	}
	if _, err := StartCPUProfile(t.TempDir() + "/no/such/dir/cpu.pprof"); err == nil {
		t.Fatal("profile in a missing directory: no error")
	}
}
