package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/correlate"
	"github.com/vigilfiu/vigil/csv"
)

func newCorrelateCmd(e *env) *cobra.Command {
	var nf networkFlags
	var calls, out, cpuprofile string
	var opt correlate.Options
	cmd := &cobra.Command{
		Use:   "correlate",
		Short: "Tie the handles in a seized device's call log to the customers who paid its owner",
		Long: `correlate aligns the incoming calls and videos of the device owner named in
the seeds (the seed's handle column) with the payments to that person, and
attributes each counterpart handle to the customer whose payments
repeatedly come minutes before its sessions, with a confidence that
accounts for chance coincidence. One JSON line per handle; party_id is null
when no payer stands out from chance (foreign buyers, relatives). The
method is in docs/trace.md.`,
		Example: `  vigil correlate --calls calls.csv --seeds seeds.csv --parties parties.csv --transfers transfers.csv --out links.jsonl`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			if cpuprofile != "" {
				stop, err := startCPUProfile(cpuprofile)
				if err != nil {
					return err
				}
				defer stop()
			}
			// The graph is most of the heap and lives to the end: the
			// build's garbage-collection setting is kept through the
			// correlation, so that a collection marking the whole graph
			// does not fall into it (it would cost more CPU than the
			// correlation's own work).
			defer debug.SetGCPercent(debug.SetGCPercent(200))
			nf.fullParties = true
			// The parties are indexed for the correlation on the
			// goroutine that reads them, while the graph is built.
			var prepared *correlate.Parties
			nf.onParties = func(ps []vigil.Party) { prepared = correlate.PrepareParties(ps) }
			nf.oneTrace = true // correlate resolves its seeds through graph.SeedsIndex
			// The correlation and its output overlap the keep of a
			// resolution made from the store; close waits for it.
			nf.keepLater = true
			// The call log is read while the network is built.
			type callsRead struct {
				evs []vigil.CallEvent
				bad []*csv.RowError
				err error
			}
			cc := make(chan callsRead, 1)
			if calls != "" {
				go func() {
					evs, bad, err := csv.ReadCallsFile(calls, csv.Options{AllowExtra: nf.allowExtra})
					cc <- callsRead{evs, bad, err}
				}()
			}
			n, err := loadNetwork(cmd.Context(), e, &nf)
			if err != nil {
				return err
			}
			defer n.close()
			var events []vigil.CallEvent
			if calls != "" {
				cr := <-cc
				evs, bad, err := cr.evs, cr.bad, cr.err
				if err != nil {
					return err
				}
				for _, b := range bad {
					if err := n.rej.add(b); err != nil {
						return err
					}
				}
				events = evs
			} else if n.db != nil {
				n.waitKeep() // the keep may hold the store alone
				if err := n.db.EachCallEvent(cmd.Context(), "", func(ev *vigil.CallEvent) error {
					events = append(events, *ev)
					return nil
				}); err != nil {
					return err
				}
			} else {
				return vigil.Errorf(vigil.EINVALID, "give --calls calls.csv (the seized device's call log)")
			}
			opt.SeedThreshold = nf.seedScore
			opt.Parties = prepared
			res, err := correlate.Correlate(n.g, n.parties, events, n.seeds, opt)
			if err != nil {
				return err
			}
			if err := writeLinks(e, out, res.Links); err != nil {
				return err
			}
			attributed := 0
			for _, l := range res.Links {
				if l.PartyID != nil {
					attributed++
				}
			}
			if e.json {
				w := e.stderr
				if out != "" && out != "-" {
					w = e.stdout
				}
				return json.NewEncoder(w).Encode(map[string]any{
					"events": len(events), "transfers": n.g.NumTransfers(), "handles": len(res.Links),
					"attributed": attributed, "rejected": n.rej.count, "total_s": time.Since(start).Seconds(),
					"learnt": res.Model,
				})
			}
			// One line per handle: written through a buffer, not a
			// write call each.
			w := bufio.NewWriterSize(e.stderr, 1<<16)
			defer w.Flush()
			fmt.Fprintf(w, "vigil correlate: %d event(s), %d transfers; %d handle(s), %d attributed at confidence ≥ %.2f in %s\n",
				len(events), n.g.NumTransfers(), len(res.Links), attributed, opt.MinConfidence, time.Since(start).Round(time.Millisecond))
			fmt.Fprintf(w, "  learnt from the devices: %s\n", res.Model)
			for _, l := range res.Links {
				who := "—"
				if l.PartyID != nil {
					who = *l.PartyID
				}
				fmt.Fprintf(w, "  %-24.24s %-12s %.3f  %d/%d sessions paired\n", l.Handle, who, l.Confidence, l.Matched, l.Sessions)
			}
			return nil
		},
	}
	nf.register(cmd)
	cmd.Flags().StringVar(&calls, "calls", "", "calls.csv: the seized device's call log (default: the call events in the store)")
	cmd.Flags().StringVar(&out, "out", "-", "one JSON line per handle (- for stdout)")
	cmd.Flags().DurationVar(&opt.Before, "before", 60*time.Minute, "a payment may precede a session by up to this")
	cmd.Flags().DurationVar(&opt.After, "after", 15*time.Minute, "or follow its start by up to this")
	cmd.Flags().DurationVar(&opt.AfterEnd, "after-end", 15*time.Minute, "or follow its end (start + duration_s) by up to this")
	cmd.Flags().StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile of the run to this file (performance measurement)")
	cmd.Flags().MarkHidden("cpuprofile")
	cmd.Flags().Float64Var(&opt.MinConfidence, "min-confidence", 0.5, "attribute handles at or above this confidence")
	return cmd
}

// writeLinks writes one JSON line per link, as writeJSONLines does: the
// lines are encoded on every core, in chunks written in order (tens of
// thousands of links with their pairs take a few hundred milliseconds to
// encode on one).
func writeLinks(e *env, path string, links []vigil.HandleLink) error {
	w, done, err := createOut(e, path)
	if err != nil {
		return err
	}
	const chunk = 2048
	n := (len(links) + chunk - 1) / chunk
	type encoded struct {
		b   bytes.Buffer
		err error // the chunk's first encoding error, as writeJSONLines would meet it
	}
	chunks := make([]chan *encoded, n)
	for i := range chunks {
		chunks[i] = make(chan *encoded, 1)
	}
	var next atomic.Int64
	for range min(n, runtime.GOMAXPROCS(0)) {
		go func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				c := &encoded{}
				enc := json.NewEncoder(&c.b)
				for j := i * chunk; j < min((i+1)*chunk, len(links)) && c.err == nil; j++ {
					c.err = enc.Encode(&links[j])
				}
				chunks[i] <- c
			}
		}()
	}
	for i := range chunks {
		c := <-chunks[i]
		if _, err := w.Write(c.b.Bytes()); err != nil {
			done()
			return err
		}
		if c.err != nil {
			done()
			return c.err
		}
	}
	return done()
}

// startCPUProfile writes a CPU profile to path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "cannot write %s: %v", path, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
