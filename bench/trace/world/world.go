// Package world prepares and loads the vigil synth world that the trace
// and correlate bench commands measure on.
package world

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/graph"
	"github.com/vigilfiu/vigil/synth"
)

// Ensure generates the world in dir unless its transfers.csv exists.
func Ensure(dir string, customers int, seed int64) error {
	if _, err := os.Stat(filepath.Join(dir, "transfers.csv")); err == nil {
		return nil
	}
	start := time.Now()
	if _, err := synth.Generate(synth.Config{Customers: customers, Seed: seed, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 24}, dir); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "generated %d customers (seed %d) in %s\n", customers, seed, time.Since(start).Round(time.Millisecond))
	return nil
}

// Graph reads parties.csv and transfers.csv of dir into a graph, the way
// vigil trace does (opt: the builder's options, as vigil trace or vigil
// correlate sets them; SizeHint is set from the file).
// parties.csv is read while the transfers are fed, and garbage is
// collected at GOGC=200 during the build and once when the payments are
// laid out (graph.Options.CollectLaidOut), as vigil trace does.
func Graph(dir string, opt ...graph.Options) (*graph.Graph, error) {
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	type partiesRead struct {
		names *graph.PartyNames
		err   error
	}
	pc := make(chan partiesRead, 1)
	go func() {
		ps, bad, err := csv.ReadPartiesFile(filepath.Join(dir, "parties.csv"), csv.Options{})
		if err == nil && len(bad) > 0 {
			err = bad[0]
		}
		var names *graph.PartyNames
		if err == nil {
			names = graph.NewPartyNames(ps) // while the transfers are fed, as vigil trace does
		}
		pc <- partiesRead{names, err}
	}()
	path := filepath.Join(dir, "transfers.csv")
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	var o graph.Options
	if len(opt) > 0 {
		o = opt[0]
	}
	o.SizeHint = int(st.Size() / 128) // as vigil trace
	o.CollectLaidOut = true           // as vigil trace and vigil correlate
	b := graph.NewBuilder(o)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := csv.NewTransferReader(bufio.NewReaderSize(f, 1<<20), path, csv.Options{})
	if err != nil {
		return nil, err
	}
	rejected := 0
	if _, err := b.Feed(context.Background(), r, func(err error) error {
		var re *csv.RowError
		if !errors.As(err, &re) {
			return err
		}
		if rejected++; rejected <= 3 {
			fmt.Fprintln(os.Stderr, "rejected:", re)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if rejected > 0 {
		fmt.Fprintf(os.Stderr, "%d transfer row(s) rejected by the reader\n", rejected)
	}
	pr := <-pc
	if pr.err != nil {
		return nil, pr.err
	}
	b.AddPartyNames(pr.names)
	return b.Build(), nil
}

// Seeds reads seeds.csv of dir.
func Seeds(dir string) ([]vigil.Lead, error) {
	ls, bad, err := csv.ReadLeadsFile(filepath.Join(dir, "seeds.csv"), csv.Options{})
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return nil, bad[0]
	}
	return ls, nil
}

// Usage is the process's CPU time so far and its peak resident set.
type Usage struct {
	CPU     time.Duration // user + system
	PeakRSS int64         // bytes
}

// ReadUsage reads the process's resource usage.
func ReadUsage() Usage {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return Usage{}
	}
	return Usage{
		CPU:     time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		PeakRSS: ru.Maxrss * 1024, // kilobytes on Linux
	}
}
