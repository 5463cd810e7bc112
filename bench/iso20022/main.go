// Command iso20022 measures streaming import of a large camt.053 statement:
// it generates the statement on the fly (no disk), reads it with
// iso20022.Reader and reports throughput, records, the peak Go heap and the
// peak resident set size of the process.
//
//	go run ./bench/iso20022 -size 1024   # MiB
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/vigilfiu/vigil/iso20022"
)

type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func main() {
	size := flag.Int("size", 1024, "statement size in MiB")
	flag.Parse()
	entries := *size << 20 / 520
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(iso20022.WriteSyntheticStatement(pw, entries)) }()
	c := &counter{r: pr}
	rd := iso20022.NewReader(c, "synthetic.xml")
	start := time.Now()
	var ms runtime.MemStats
	var peakHeap uint64
	records := 0
	for {
		_, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		records++
		if records%100000 == 0 {
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapAlloc)
		}
	}
	el := time.Since(start)
	fmt.Printf("bytes %d (%.0f MiB), records %d, %.1fs, %.1f MB/s, peak heap %.1f MiB, peak RSS %s\n",
		c.n, float64(c.n)/(1<<20), records, el.Seconds(), float64(c.n)/1e6/el.Seconds(), float64(peakHeap)/(1<<20), peakRSS())
}

// peakRSS reads the process's high-water resident set size (Linux).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "unknown"
}
