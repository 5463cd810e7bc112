package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	vcsv "github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/sqlite"
	"golang.org/x/term"
)

// scanInput says where a scan reads from: files, or the store.
type scanInput struct {
	parties, transfers string
	rules, fx          string
	allowExtra         bool
	// keepResolution: a scan of the store keeps its beneficiary
	// resolution for vigil trace and correlate (sqlite.SaveScanResolution).
	keepResolution bool
}

func (in *scanInput) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&in.parties, "parties", "", "parties CSV (KYC of the senders); with --transfers, scan files instead of the store")
	f.StringVar(&in.transfers, "transfers", "", "transfers CSV to scan (time order per sender)")
	f.StringVar(&in.rules, "rules", "", "rule pack YAML (default: the pack shipped with vigil)")
	f.StringVar(&in.fx, "fx", "", "FX rates CSV (currency,rate = EUR per unit) for amount comparisons across currencies")
	f.BoolVar(&in.allowExtra, "allow-extra", false, "accept unknown columns in the CSV files")
}

func (in *scanInput) fromFiles() (bool, error) {
	switch {
	case in.parties == "" && in.transfers == "":
		return false, nil
	case in.transfers == "":
		return false, vigil.Errorf(vigil.EINVALID, "--parties needs --transfers")
	}
	return true, nil
}

// newEngine builds the engine from the rule pack and FX flags.
func (in *scanInput) newEngine() (*detect.Engine, error) {
	var pack *detect.Pack
	var err error
	if in.rules != "" {
		pack, err = detect.LoadPack(in.rules)
	} else {
		pack, err = detect.DefaultPack()
	}
	if err != nil {
		return nil, err
	}
	var rates vigil.FXRates
	if in.fx != "" {
		if rates, err = vcsv.ReadFXRatesFile(in.fx, vcsv.Options{AllowExtra: in.allowExtra}); err != nil {
			return nil, asInvalid(err)
		}
	}
	return detect.NewEngine(pack, detect.Options{Rates: rates})
}

// feed loads the senders and streams the transfers into eng, from the
// files or from the store; also sees every transfer too (may be nil).
func (in *scanInput) feed(ctx context.Context, e *env, eng *detect.Engine, also func(*vigil.Transfer)) (detect.FeedStats, error) {
	files, err := in.fromFiles()
	if err != nil {
		return detect.FeedStats{}, err
	}
	if !files {
		return feedStoreKeep(ctx, e, eng, also, in.keepResolution)
	}
	opt := vcsv.Options{AllowExtra: in.allowExtra}
	var rejected int64
	report := func(re error) {
		rejected++
		if rejected <= 20 {
			fmt.Fprintf(e.stderr, "vigil: rejected %v\n", re)
		} else if rejected == 21 {
			fmt.Fprintf(e.stderr, "vigil: more rejected rows; see the summary for the count\n")
		}
	}
	if in.parties != "" {
		rejects, err := addParties(eng, in.parties, opt)
		if err != nil {
			return detect.FeedStats{}, asInvalid(err)
		}
		for _, r := range rejects {
			report(r)
		}
	}
	f, err := os.Open(in.transfers)
	if err != nil {
		return detect.FeedStats{}, vigil.Errorf(vigil.EINVALID, "--transfers: %v", err)
	}
	defer f.Close()
	// The resolver and the engine make their tables once at about the size
	// the file needs instead of growing them as it streams: the growth
	// copies ran on the stages' serial goroutines and touched fresh memory.
	// No result depends on it.
	eng.Expect(transfersHint(in.transfers))
	tr, err := vcsv.NewTransferReader(f, in.transfers, opt)
	if err != nil {
		return detect.FeedStats{}, asInvalid(err)
	}
	st, err := eng.Feed(ctx, tr, func(err error) error {
		var re *vcsv.RowError
		if errors.As(err, &re) {
			report(re)
			return nil
		}
		return err
	}, also)
	st.Rejected = rejected
	return st, asInvalid(err)
}

// partyBatch is a run of parties read from the file, with the rows their
// strings are views of.
type partyBatch struct {
	ps    []vigil.Party
	names []detect.SenderName // each party's name, folded by the reading goroutine
	rows  []byte
	hint  int // with the first batch: about how many parties the file holds
}

// partyBatchSize is the number of parties handed from the reading
// goroutine to the adding one at a time.
const partyBatchSize = 4096

// addParties reads the parties file and adds every party to eng in file
// order, as vcsv.ReadPartiesFile followed by AddParty on each would, with
// the same rejects and errors: the file is read on a goroutine of its own
// while this one adds the parties read so far, so that both cores work
// before the transfers can start (read then added, the 5M world's
// 441,225 parties took ~1 s of one core while the other idled), and
// without the whole file's rows and records in memory (~170 MB, garbage
// once added). The senders are reserved from the first batch's bytes per
// row and the file's size, as ReadPartiesFile sizes its result. The
// reading goroutine also folds the parties' names (detect.FoldSenderName),
// which had the reader idle most of the time.
func addParties(eng *detect.Engine, path string, opt vcsv.Options) ([]*vcsv.RowError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", path, err) // as ReadPartiesFile
	}
	defer f.Close()
	pr, err := vcsv.NewPartyReader(f, path, opt)
	if err != nil {
		return nil, err
	}
	var size int64
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	full := make(chan *partyBatch, 4)
	free := make(chan *partyBatch, 6)
	var rejects []*vcsv.RowError
	var readErr error // set before full is closed
	go func() {
		defer close(full)
		first := true
		for {
			var b *partyBatch
			select {
			case b = <-free:
				b.ps, b.rows = b.ps[:0], b.rows[:0]
			default:
				b = &partyBatch{ps: make([]vigil.Party, 0, partyBatchSize)}
			}
			var err error
			for len(b.ps) < partyBatchSize {
				b.ps = append(b.ps, vigil.Party{})
				if err = pr.ReadShared(&b.ps[len(b.ps)-1], &b.rows); err == nil {
					continue
				}
				b.ps = b.ps[:len(b.ps)-1]
				var re *vcsv.RowError
				if err != io.EOF && errors.As(err, &re) {
					rejects = append(rejects, re)
					err = nil
					continue
				}
				break
			}
			// The names are folded here, beside the reading, instead of
			// by the engine on the goroutine that later updates the
			// senders (AddPartyFolded).
			b.names = b.names[:0]
			for i := range b.ps {
				b.names = append(b.names, detect.FoldSenderName(b.ps[i].FullName))
			}
			if first && size > 0 {
				if at := pr.Offset(); at > 0 {
					b.hint = int(float64(size)/float64(at)*float64(len(b.ps))*1.05) + len(b.ps)
				}
			}
			first = false
			if len(b.ps) > 0 || b.hint > 0 {
				full <- b
			}
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				return
			}
		}
	}()
	for b := range full {
		if b.hint > 0 {
			eng.ReserveSenders(b.hint)
		}
		for i := range b.ps {
			eng.AddPartyFolded(&b.ps[i], b.names[i]) // copies what it keeps of the views
		}
		b.hint = 0
		select {
		case free <- b:
		default:
		}
	}
	if readErr != nil {
		return nil, readErr
	}
	return rejects, nil
}

// asInvalid turns a reader's positioned error into a user error.
func asInvalid(err error) error {
	var re *vcsv.RowError
	if errors.As(err, &re) {
		return vigil.Errorf(vigil.EINVALID, "%s", re.Error())
	}
	return err
}

func newScanCmd(e *env) *cobra.Command {
	var in scanInput
	var out string
	var all bool
	var top int
	var cpuProfile, memProfile string
	var memLimit int
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Score senders against the typology indicators and write alerts",
		Long: `vigil scan streams the transfers once, in time order, resolves their
recipients into beneficiaries and scores every sender with the rule pack's
indicators (docs/typologies.md). Each alert says which indicators fired,
with their contributions to the score and the transfers behind them.

With --parties and --transfers it scans those files and touches no store;
without them it scans the store (--db) and saves the alerts there, and
keeps its resolution of the recipients into beneficiaries for vigil trace
and correlate (--keep-resolution; docs/trace.md).
Alerts are written as JSON Lines to --out (or to standard output).`,
		Example: `  vigil scan --parties parties.csv --transfers transfers.csv --out alerts.jsonl
  vigil scan --db vigil.db --all --out everyone.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if limit, ok := scanMemoryLimit(memLimit, cmd.Flags().Changed("memory-limit")); ok {
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
			}
			if cpuProfile != "" {
				pf, err := os.Create(cpuProfile)
				if err != nil {
					return vigil.Errorf(vigil.EINVALID, "--cpuprofile: %v", err)
				}
				defer pf.Close()
				if err := pprof.StartCPUProfile(pf); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			files, err := in.fromFiles()
			if err != nil {
				return err
			}
			eng, err := in.newEngine()
			if err != nil {
				return err
			}
			start := time.Now()
			st, err := in.feed(ctx, e, eng, nil)
			if err != nil {
				return err
			}
			// Alerts are built only for the senders written (every one
			// with --all), with their ranks among all senders.
			sel, scored := eng.ScoreSelected(func(_ float64, t vigil.Typology) bool { return all || t != vigil.TypologyNone })
			if memProfile != "" {
				writeHeapProfile(memProfile) // the engine's state is live here
			}
			var w io.Writer = e.stdout
			summaryTo := e.stderr
			if out != "" {
				f, err := os.Create(out)
				if err != nil {
					return vigil.Errorf(vigil.EINVALID, "--out: %v", err)
				}
				defer f.Close()
				w, summaryTo = f, e.stdout
			}
			// Each alert is explained, written, and — when it is not
			// reported (a sender --all writes) — its explanation dropped:
			// the summary and the store read only reported alerts, and
			// holding every sender's explanation until the last line
			// took the 5M-transfer scan --all over 1.5 GB.
			aw := detect.NewAlertWriter(w)
			for _, a := range sel {
				eng.Explain(a)
				if err := aw.Write(a); err != nil {
					return err
				}
				if !detect.Reported(a) {
					a.Hits = nil
				}
			}
			if err := aw.Flush(); err != nil {
				return err
			}
			if !files {
				var rep []*vigil.Alert
				for _, a := range sel {
					if detect.Reported(a) {
						rep = append(rep, a)
					}
				}
				if err := saveAlerts(ctx, e.db, rep); err != nil {
					return err
				}
			}
			sum := eng.Summarise(sel, scored, st, len(sel), top)
			if e.json {
				enc := json.NewEncoder(summaryTo)
				enc.SetIndent("", "  ")
				return enc.Encode(sum)
			}
			if out == "" && !isTerminal(e.stderr) {
				return nil // a pipe gets the alerts only
			}
			sum.WriteTable(summaryTo)
			fmt.Fprintf(summaryTo, "\nscanned in %s\n", time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	in.flags(cmd)
	cmd.Flags().BoolVar(&in.keepResolution, "keep-resolution", true, "scanning the store, keep the recipients' resolution into beneficiaries in it, so that the next vigil trace or correlate need not resolve them again")
	cmd.Flags().StringVar(&out, "out", "", "write the alerts (JSON Lines) to this file instead of standard output")
	cmd.Flags().BoolVar(&all, "all", false, "write every scored sender, not only those alerted")
	cmd.Flags().IntVar(&top, "top", 10, "alerts to show in the summary table")
	cmd.Flags().IntVar(&memLimit, "memory-limit", defaultScanMemoryLimit,
		"soft limit of the scan's memory in MiB (the Go collector works harder near it, up to half the CPU when the data needs more: raise it for larger files; 0: none); GOMEMLIMIT in the environment wins unless this flag is given")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the scan to this file (for developers)")
	cmd.Flags().StringVar(&memProfile, "memprofile", "", "write a heap profile at the end of the scan to this file (for developers)")
	_ = cmd.Flags().MarkHidden("cpuprofile")
	_ = cmd.Flags().MarkHidden("memprofile")
	return cmd
}

// defaultScanMemoryLimit is the scan's soft memory limit in MiB. With the
// collector's default alone, the heap may grow to twice the live state
// before a collection: a 5,000,000-transfer scan whose state is about
// 1 GB live peaked near 1.8 GB resident. Below the limit nothing changes
// (small scans run as before); near it the collector runs more often,
// which costs CPU (docs/performance.md, "Scan, session 4"). Resident
// memory runs about 100 MiB above the limit (the binary, and memory the
// runtime has not yet returned), so 1,200 MiB keeps the 5 M scan under
// 1.5 GB.
const defaultScanMemoryLimit = 1200

// scanMemoryLimit is the limit to set in bytes, if any: the flag's when
// given; else none when GOMEMLIMIT is set (the runtime already applies
// it); else the default. 0 MiB means no limit.
func scanMemoryLimit(mib int, given bool) (int64, bool) {
	if !given && os.Getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	if mib <= 0 {
		return math.MaxInt64, true
	}
	return int64(mib) << 20, true
}

// writeHeapProfile writes the live heap (after a collection) to path.
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	runtime.GC()
	_ = pprof.WriteHeapProfile(f)
}

func saveAlerts(ctx context.Context, path string, alerts []*vigil.Alert) error {
	db, err := sqlite.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now().UTC()
	for _, a := range alerts {
		a.CreatedAt, a.Status = now, vigil.AlertNew
	}
	return db.ReplaceAlerts(ctx, alerts)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
