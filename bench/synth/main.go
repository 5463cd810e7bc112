// Command synth measures `vigil synth`: it generates the same world several
// times into a temporary directory and reports, per run and as medians,
// the wall-clock time, the CPU time of the process (user + system, from
// getrusage, which stays honest when the machine is shared) and the peak
// resident memory.
//
//	go run ./bench/synth -customers 20000 -runs 5
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"syscall"
	"time"

	"github.com/vigilfiu/vigil/synth"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss // kB on Linux
}

func main() {
	customers := flag.Int("customers", 20000, "domestic customers")
	seed := flag.Int64("seed", 1, "first seed; run i uses seed+i when -vary is set")
	vary := flag.Bool("vary", false, "use a different seed on every run")
	runs := flag.Int("runs", 5, "runs")
	flag.Parse()
	log.SetFlags(0)

	var walls, cpus []time.Duration
	var transfers int
	for i := 0; i < *runs; i++ {
		dir, err := os.MkdirTemp("", "vigil-bench-synth-")
		if err != nil {
			log.Fatal(err)
		}
		s0 := *seed
		if *vary {
			s0 += int64(i)
		}
		c0, t0 := cpu(), time.Now()
		s, err := synth.Generate(synth.Config{Customers: *customers, Seed: s0}, dir)
		wall, c := time.Since(t0), cpu()-c0
		os.RemoveAll(dir)
		if err != nil {
			log.Fatal(err)
		}
		transfers = s.Transfers
		walls, cpus = append(walls, wall), append(cpus, c)
		fmt.Printf("run %d: seed %d, %d parties, %d transfers, %d call events: wall %.2f s, cpu %.2f s\n",
			i+1, s0, s.Parties, s.Transfers, s.Calls, wall.Seconds(), c.Seconds())
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	fmt.Printf("median of %d runs: wall %.2f s, cpu %.2f s (%.0f transfers per wall second); peak RSS %d kB\n",
		*runs, walls[len(walls)/2].Seconds(), cpus[len(cpus)/2].Seconds(), float64(transfers)/walls[len(walls)/2].Seconds(), maxRSS())
}
