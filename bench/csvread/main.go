// Command csvread measures reading and validating an interchange CSV file
// with package csv: rows per second of wall-clock time, rows per second of
// CPU time (what one dedicated core reaches; the figure to read on a shared
// machine) and the peak resident memory of the process.
//
//	go run ./bench/csvread -gen 5000000 -out /tmp/transfers.csv   # make a file
//	go run ./bench/csvread -runs 3 /tmp/transfers.csv              # measure
//
// The generated transfers look like the interchange files vigil reads:
// a few thousand senders, name and phone variants, mostly small and round
// amounts in several currencies and offsets, a share of quoted cells.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/internal/sample"
)

func main() {
	gen := flag.Int("gen", 0, "write this many synthetic transfers to -out and exit")
	out := flag.String("out", "transfers.csv", "file written by -gen")
	kind := flag.String("kind", "", "parties, transfers, calls or leads (default: from the file name)")
	runs := flag.Int("runs", 3, "read the file this many times and report the median")
	flag.BoolVar(&whole, "file", false, "parties, transfers: read the whole file into memory with ReadPartiesFile or ReadTransfersFile (as vigil scan reads parties) instead of row by row")
	flag.BoolVar(&shared, "shared", false, "transfers: read with ReadShared into a buffer emptied every 1024 rows (as vigil scan does) instead of Read")
	flag.IntVar(&bufSize, "bufio", 0, "transfers, parties (row by row): read through a bufio.Reader of this many bytes, as vigil trace and bench/trace wrap the transfers file (1048576)")
	flag.IntVar(&ring, "ring", 0, "with -shared: read into this many buffers in turn, 4,096 rows each, each starting empty (nil) and emptied when its turn comes again, as graph.Builder.Feed and detect.Engine.Feed recycle their batches' rows")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the runs to this file (go tool pprof -sample_index=alloc_space)")
	flag.Parse()
	if *memprofile != "" {
		defer func() {
			runtime.GC() // the profile holds what the last collection saw
			pf, err := os.Create(*memprofile)
			if err == nil {
				pprof.Lookup("allocs").WriteTo(pf, 0)
				pf.Close()
			}
		}()
	}
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	if *gen > 0 {
		if err := generate(*out, *gen); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: csvread [-kind K] [-runs N] FILE.csv  |  csvread -gen N -out FILE.csv")
		os.Exit(2)
	}
	path := flag.Arg(0)
	k := *kind
	if k == "" {
		k = strings.TrimSuffix(filepath.Base(path), ".csv")
		if k == "seeds" {
			k = "leads"
		}
	}
	var wall, cpu []float64
	var rows, rejected int
	for range *runs {
		c0, t0 := cpuTime(), time.Now()
		n, rej, err := read(path, k)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			pprof.StopCPUProfile()
			os.Exit(1)
		}
		el, c := time.Since(t0), cpuTime()-c0
		rows, rejected = n, rej
		wall = append(wall, float64(n+rej)/el.Seconds())
		cpu = append(cpu, float64(n+rej)/c.Seconds())
		fmt.Printf("run: %d rows (%d rejected) in %v wall, %v CPU: %.0f rows/s, %.0f rows/CPU-s\n",
			n+rej, rej, el.Round(time.Millisecond), c.Round(time.Millisecond), wall[len(wall)-1], cpu[len(cpu)-1])
	}
	fmt.Printf("%s: %d rows, %d rejected; median of %d runs: %.0f rows/s wall, %.0f rows/CPU-s; peak RSS %.1f MiB\n",
		path, rows+rejected, rejected, *runs, median(wall), median(cpu), float64(peakRSS())/(1<<20))
}

// shared selects ReadShared for transfers (-shared); whole the
// whole-file readers (-file).
var shared, whole bool

// ring is the number of batch buffers of -shared -ring; bufSize the
// size of the bufio.Reader of -bufio.
var ring, bufSize int

func median(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// read streams the file through the reader of its kind and counts accepted
// and rejected rows; nothing is kept.
func read(path, kind string) (rows, rejected int, err error) {
	if whole && (kind == "parties" || kind == "transfers") {
		var n int
		var rej []*csv.RowError
		var err error
		if kind == "parties" {
			var ps []vigil.Party
			ps, rej, err = csv.ReadPartiesFile(path, csv.Options{})
			n = len(ps)
		} else {
			var ts []vigil.Transfer
			ts, rej, err = csv.ReadTransfersFile(path, csv.Options{})
			n = len(ts)
		}
		return n, len(rej), err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var in io.Reader = f
	if bufSize > 0 {
		in = bufio.NewReaderSize(f, bufSize)
	}
	var next func() error
	switch kind {
	case "transfers":
		r, err := csv.NewTransferReader(in, path, csv.Options{})
		if err != nil {
			return 0, 0, err
		}
		var t vigil.Transfer
		next = func() error { return r.Read(&t) }
		if shared && ring > 0 {
			bufs := make([][]byte, ring)
			cur, n := 0, 0
			next = func() error {
				if n++; n == 4096 {
					n, cur = 0, (cur+1)%ring
					bufs[cur] = bufs[cur][:0]
				}
				return r.ReadShared(&t, &bufs[cur])
			}
		} else if shared {
			buf := make([]byte, 0, 256<<10)
			n := 0
			next = func() error {
				if n++; n == 1024 {
					n, buf = 0, buf[:0]
				}
				return r.ReadShared(&t, &buf)
			}
		}
	case "parties":
		r, err := csv.NewPartyReader(in, path, csv.Options{})
		if err != nil {
			return 0, 0, err
		}
		var p vigil.Party
		next = func() error { return r.Read(&p) }
	case "calls":
		r, err := csv.NewCallReader(f, path, csv.Options{})
		if err != nil {
			return 0, 0, err
		}
		var e vigil.CallEvent
		next = func() error { return r.Read(&e) }
	case "leads":
		r, err := csv.NewLeadReader(f, path, csv.Options{})
		if err != nil {
			return 0, 0, err
		}
		var l vigil.Lead
		next = func() error { return r.Read(&l) }
	default:
		return 0, 0, fmt.Errorf("unknown kind %q (parties, transfers, calls or leads)", kind)
	}
	for {
		err := next()
		if err == io.EOF {
			return rows, rejected, nil
		}
		if _, ok := err.(*csv.RowError); ok {
			rejected++
			continue
		}
		if err != nil {
			return rows, rejected, err
		}
		rows++
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS returns the peak resident set size in bytes (Linux reports KiB).
func peakRSS() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss * 1024
}

func generate(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewTransferWriter(bw)
	if err := sample.Transfers(n, w.Write); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
