// Command scan measures `vigil scan` end to end on CSV files: parse,
// beneficiary resolution, indicators, scoring and writing the alerts.
// It runs the real binary as a child process, so the figures are those a
// user gets: wall-clock time, transfers per second, CPU time and the peak
// resident memory of the process.
//
//	go build -o /tmp/vigil ./cmd/vigil
//	go run ./bench/scan -gen -customers 400000 -dir /tmp/scanworld   # about 5,000,000 transfers
//	go run ./bench/scan -vigil /tmp/vigil -dir /tmp/scanworld -runs 3
//
// -cpuprofile and -memprofile are handed to the first run's vigil scan
// (its hidden flags of the same names). -memlimit runs vigil scan with
// GOMEMLIMIT set (the Go collector's soft memory limit, e.g. 1300MiB),
// which vigil scan then honours instead of its own --memory-limit;
// -scanargs adds arguments to vigil scan (e.g. "--memory-limit 0" for no
// limit at all).
// -parse-only measures the floor instead: reading and validating the
// transfers file in this process, on one core, with nothing else done.
// The load average of the machine is printed with every run: on a shared
// machine it says how far to trust the wall-clock figures.
//
//	go run ./bench/scan -dir /tmp/scanworld -parse-only -runs 3
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/vigilfiu/vigil"
	vcsv "github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/internal/machine"
	"github.com/vigilfiu/vigil/synth"
)

func main() {
	gen := flag.Bool("gen", false, "generate a synth world into -dir and exit")
	customers := flag.Int("customers", 400000, "customers of the generated world")
	seed := flag.Int64("seed", 101, "seed of the generated world")
	dir := flag.String("dir", "/tmp/vigil-scanworld", "world directory (parties.csv, transfers.csv, rates.csv)")
	bin := flag.String("vigil", "vigil", "the vigil binary to measure")
	runs := flag.Int("runs", 3, "runs; the median is reported")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the first run to this file")
	memProfile := flag.String("memprofile", "", "write a heap profile at the end of the first run's scoring to this file")
	memLimit := flag.String("memlimit", "", "GOMEMLIMIT for vigil scan (e.g. 1300MiB); empty: the Go default (none)")
	scanArgs := flag.String("scanargs", "", "extra arguments for vigil scan, separated by spaces (e.g. \"--memory-limit 0\")")
	parseOnly := flag.Bool("parse-only", false, "measure only reading the transfers file (CSV parse and validation), in this process")
	flag.Parse()
	if *gen {
		start := time.Now()
		sum, err := synth.Generate(synth.Config{Customers: *customers, Seed: *seed}, *dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("generated %s in %s: %+v\n", *dir, time.Since(start).Round(time.Second), sum)
		return
	}
	transfers := filepath.Join(*dir, "transfers.csv")
	n, err := countLines(transfers)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *parseOnly {
		parseFloor(transfers, n, *runs)
		return
	}
	out := filepath.Join(os.TempDir(), "vigil-bench-scan-alerts.jsonl")
	defer os.Remove(out)
	if *memLimit != "" {
		fmt.Printf("vigil scan runs with GOMEMLIMIT=%s\n", *memLimit)
	}
	if *scanArgs != "" {
		fmt.Printf("vigil scan runs with %s\n", *scanArgs)
	}
	var walls, cpus, rss []float64
	for r := 0; r < *runs; r++ {
		args := []string{"scan", "--parties", filepath.Join(*dir, "parties.csv"), "--transfers", transfers,
			"--fx", filepath.Join(*dir, "rates.csv"), "--out", out, "--json"}
		args = append(args, strings.Fields(*scanArgs)...)
		if r == 0 && *cpuProfile != "" {
			args = append(args, "--cpuprofile", *cpuProfile)
		}
		if r == 0 && *memProfile != "" {
			args = append(args, "--memprofile", *memProfile)
		}
		cmd := exec.Command(*bin, args...)
		if *memLimit != "" {
			cmd.Env = append(os.Environ(), "GOMEMLIMIT="+*memLimit)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "run %d: %v\n%s", r+1, err, stderr.String())
			os.Exit(1)
		}
		wall := time.Since(start).Seconds()
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
		walls, cpus, rss = append(walls, wall), append(cpus, cpu), append(rss, float64(ru.Maxrss)/1024)
		fmt.Printf("run %d: %d transfers in %.2f s wall = %.0f transfers/s; CPU %.2f s (%.0f transfers per CPU-second); peak RSS %.0f MiB; load average %s\n",
			r+1, n, wall, float64(n)/wall, cpu, float64(n)/cpu, float64(ru.Maxrss)/1024, machine.LoadAverage())
	}
	w, c, m := median(walls), median(cpus), median(rss)
	fmt.Printf("median of %d: %.2f s wall = %.0f transfers/s; CPU %.2f s; peak RSS %.0f MiB\n", *runs, w, float64(n)/w, c, m)
}

// parseFloor reads every transfer of path with the reader vigil scan uses
// and does nothing with it: the most a scan could do on one core.
func parseFloor(path string, n, runs int) {
	var walls, cpus []float64
	for r := 0; r < runs; r++ {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		cpu0 := cpuSeconds()
		start := time.Now()
		tr, err := vcsv.NewTransferReader(f, path, vcsv.Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var t vigil.Transfer
		read := 0
		for {
			t = vigil.Transfer{}
			err := tr.Read(&t)
			if err == io.EOF {
				break
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			read++
		}
		wall, cpu := time.Since(start).Seconds(), cpuSeconds()-cpu0
		f.Close()
		walls, cpus = append(walls, wall), append(cpus, cpu)
		fmt.Printf("parse-only run %d: %d transfers in %.2f s wall = %.0f transfers/s; CPU %.2f s; load average %s\n",
			r+1, read, wall, float64(read)/wall, cpu, machine.LoadAverage())
	}
	w := median(walls)
	fmt.Printf("parse-only median of %d: %.2f s wall = %.0f transfers/s; CPU %.2f s\n", runs, w, float64(n)/w, median(cpus))
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := -1 // header
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
