package memory

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// anonHuge is the process's memory backed by transparent huge pages, in
// KiB (AnonHugePages of /proc/self/smaps_rollup).
func anonHuge(t *testing.T) int {
	f, err := os.Open("/proc/self/smaps_rollup")
	if err != nil {
		t.Skip("no /proc/self/smaps_rollup:", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "AnonHugePages:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatal("no AnonHugePages line")
	return 0
}

// TestAdviseHugePages: after the advice, a fresh 256 MiB table written in
// full is backed (mostly) by huge pages; without it, on a system set to
// "madvise", it would be backed by none.
//
// It runs in a child process: the advice and the table it writes stay in
// the heap of the process that made them, and the other tests here count
// the faults of fresh arrays.
func TestAdviseHugePages(t *testing.T) {
	if os.Getenv("VIGIL_TEST_HUGEPAGES_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAdviseHugePages$", "-test.v")
		cmd.Env = append(os.Environ(), "VIGIL_TEST_HUGEPAGES_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		if bytes.Contains(out, []byte("--- SKIP")) {
			t.Skipf("child skipped:\n%s", out)
		}
		if !bytes.Contains(out, []byte("--- PASS: TestAdviseHugePages")) {
			t.Fatalf("child did not pass:\n%s", out)
		}
		return
	}
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !strings.Contains(string(b), "[madvise]") {
		t.Skipf("transparent huge pages not set to madvise here (%q, %v): the advice is what decides only then", b, err)
	}
	if strictOvercommit() {
		t.Skip("strict overcommit: AdviseHugePages does nothing by design")
	}
	if AdviseHugePages(1<<20) != 0 {
		t.Fatal("advised a heap under 64 MiB")
	}
	const n = 256 << 20
	if got := AdviseHugePages(1 << 30); got < 1<<30-2*hugePage {
		t.Fatalf("advised %d bytes of 1 GiB", got)
	}
	before := anonHuge(t)
	s := make([]byte, n)
	for i := 0; i < n; i += 4096 {
		s[i] = 1
	}
	after := anonHuge(t)
	// The kernel may fall back to small pages where it has no free 2 MiB
	// page; half the table is a bound that holds on any machine not
	// starved of memory.
	if got := after - before; got < n/1024/2 {
		t.Errorf("AnonHugePages grew by %d KiB for a %d KiB table: the heap was not advised", got, n/1024)
	}
	if s[n-4096] != 1 {
		t.Fatal("table lost a write")
	}
}
