package ingest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/trace"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/sqlite"
)

// Options configure a load.
type Options struct {
	// Format of every input: FormatCSV (default), FormatISO20022 or FormatGoAML.
	Format string
	// AllowExtra accepts CSV columns the format does not define (ignored).
	AllowExtra bool
	// List names the lead list of leads files ("leads" or "seeds"); when
	// empty a file whose name starts with "seeds" is a seeds list and any
	// other a leads list.
	List string
	// MaxErrors aborts the whole load, leaving the store unchanged, once
	// more than MaxErrors rows are rejected or in conflict. Negative means
	// no limit.
	MaxErrors int
	// RejectDir is where reject files go; empty means beside each input.
	RejectDir string
	// Progress, when not nil, receives a progress bar (give a terminal).
	Progress io.Writer
	// FirstErrors is how many rejects the Report lists (default 10).
	FirstErrors int
}

// Counts say what happened to the records of one file or kind.
// Records = Inserted + Unchanged + Conflicts + Rejected.
type Counts struct {
	Records   int `json:"records"`
	Inserted  int `json:"inserted"`
	Unchanged int `json:"unchanged"` // already stored with the same content
	Conflicts int `json:"conflicts"` // id stored with other content; not written
	Rejected  int `json:"rejected"`  // invalid rows; not written
}

func (c *Counts) add(o Counts) {
	c.Records += o.Records
	c.Inserted += o.Inserted
	c.Unchanged += o.Unchanged
	c.Conflicts += o.Conflicts
	c.Rejected += o.Rejected
}

// Errors is the number of rows that were not stored for a reason to fix.
func (c Counts) Errors() int { return c.Conflicts + c.Rejected }

// FileReport is the outcome of one input.
type FileReport struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	Kind   string `json:"kind"`           // parties, transfers, calls, leads, mixed
	List   string `json:"list,omitempty"` // for leads
	Counts
	RejectFile  string `json:"reject_file,omitempty"`  // rows not stored, with the reasons
	SummaryFile string `json:"summary_file,omitempty"` // the JSON summary beside it

	rejects *rejectLog
	src     Source // given to Sources; Files opens its inputs one at a time
}

// Report is the outcome of a load.
type Report struct {
	Committed bool              `json:"committed"` // false: the store is as it was
	Aborted   string            `json:"aborted,omitempty"`
	Store     string            `json:"store"`
	Journal   string            `json:"journal,omitempty"` // "delete" for a bulk load that had the store to itself, else "wal"
	Files     []*FileReport     `json:"files"`
	Kinds     map[string]Counts `json:"kinds"`
	Totals    Counts            `json:"totals"`
	Errors    []Reject          `json:"first_errors"` // the first rejects, in file order
	Seconds   float64           `json:"seconds"`
	PerSecond float64           `json:"records_per_second"`
}

// Files loads the inputs at paths into db in one transaction and returns
// what happened. The error is nil when the load was committed, even if rows
// were rejected (see Report); it is EINVALID when the load was aborted
// (unreadable input, a bad header, more errors than MaxErrors) and the
// report then says why. Reject files are written in both cases.
func Files(ctx context.Context, db *sqlite.DB, paths []string, opt Options) (*Report, error) {
	start := time.Now()
	if opt.Format == "" {
		opt.Format = FormatCSV
	}
	if opt.FirstErrors == 0 {
		opt.FirstErrors = 10
	}
	switch opt.Format {
	case FormatCSV, FormatISO20022, FormatGoAML:
	default:
		return nil, vigil.Errorf(vigil.EINVALID, "unknown format %q (csv, iso20022 or goaml)", opt.Format)
	}
	if len(paths) == 0 {
		return nil, vigil.Errorf(vigil.EINVALID, "no input files given")
	}
	rep := &Report{Store: db.Path(), Kinds: map[string]Counts{}}
	var total int64
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", p, err)
		}
		if !st.Mode().IsRegular() {
			return nil, vigil.Errorf(vigil.EINVALID, "%s is not a regular file", p)
		}
		total += st.Size()
		fr := &FileReport{Path: p, Format: opt.Format, Kind: KindMixed}
		if opt.Format == FormatCSV {
			if fr.Kind, err = DetectKind(p); err != nil {
				return nil, err
			}
			if fr.Kind == sqlite.KindLeads {
				fr.List = ListFor(p, opt.List)
			}
		}
		fr.RejectFile = rejectPath(p, opt.RejectDir)
		fr.SummaryFile = summaryPath(fr.RejectFile)
		rep.Files = append(rep.Files, fr)
	}
	return load(ctx, db, rep, total, opt, start)
}

// Sources loads already opened sources of any format (see Source) into db
// in one transaction, like Files: parties-only sources first, then mixed
// ones, then the rest, each in the order given. Sources are closed. Reject
// files hold the error columns only, as the rows' original text is known
// to CSV sources alone.
func Sources(ctx context.Context, db *sqlite.DB, srcs []Source, opt Options) (*Report, error) {
	start := time.Now()
	if opt.FirstErrors == 0 {
		opt.FirstErrors = 10
	}
	rep := &Report{Store: db.Path(), Kinds: map[string]Counts{}}
	for _, src := range srcs {
		fr := &FileReport{Path: src.Name(), Format: opt.Format, Kind: src.Kind(), src: src}
		if fr.Format == FormatCSV {
			fr.Format = ""
		}
		fr.RejectFile = rejectPath(fr.Path, opt.RejectDir)
		fr.SummaryFile = summaryPath(fr.RejectFile)
		rep.Files = append(rep.Files, fr)
	}
	return load(ctx, db, rep, 0, opt, start)
}

// load runs the load planned in rep; total is the input size in bytes for
// the progress bar (0: no bar).
func load(ctx context.Context, db *sqlite.DB, rep *Report, total int64, opt Options, start time.Time) (*Report, error) {
	order := slices.Clone(rep.Files)
	slices.SortStableFunc(order, func(a, b *FileReport) int { return cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)) })
	defer func() {
		for _, fr := range rep.Files {
			if fr.src != nil {
				fr.src.Close()
			}
		}
	}()

	var bar *progressbar.ProgressBar
	if opt.Progress != nil && total > 0 {
		bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(opt.Progress), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription("ingest"), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(), progressbar.OptionSetPredictTime(true))
	}

	begin := db.BeginLoad
	if total >= bulkLoadBytes {
		begin = db.BeginBulkLoad
	}
	l, err := begin(ctx)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("interrupted: nothing was loaded (%w)", ctx.Err())
		}
		rep.Aborted = err.Error()
		return rep, err
	}
	rep.Journal = l.Journal()
	ld := &loader{opt: opt, rep: rep, load: l, bar: bar}
	l.OnConflict = ld.conflict
	err = ld.run(ctx, order)
	if bar != nil {
		bar.Finish()
	}
	if err == nil {
		rep.Seconds = time.Since(start).Seconds()
		summary, _ := json.Marshal(rep)
		err = l.Commit(summary)
		rep.Committed = err == nil
	} else {
		l.Rollback()
	}
	if !rep.Committed && rep.Aborted == "" {
		rep.Aborted = vigil.ErrorMessage(err)
		if vigil.ErrorCode(err) == vigil.EINTERNAL {
			rep.Aborted = err.Error()
		}
	}
	for _, fr := range rep.Files {
		if werr := fr.finishRejects(rep); werr != nil && err == nil {
			err = werr
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	if rep.Seconds > 0 {
		rep.PerSecond = float64(rep.Totals.Records) / rep.Seconds
	}
	return rep, err
}

// bulkLoadBytes is the input size from which a load runs as a bulk load
// (sqlite.DB.BeginBulkLoad): below it, writing pages twice through the WAL
// costs little, and an abandoned load leaves the store file byte for byte
// as it was.
var bulkLoadBytes int64 = 64 << 20

// loader runs one load: it reads sources, adds their records to the store
// and keeps the counts and the rejects.
type loader struct {
	opt  Options
	rep  *Report
	load *sqlite.Load
	bar  *progressbar.ProgressBar

	file    *FileReport
	src     Source
	pending []Reject // rejects since the last flush, sorted before logging
	errs    int      // rejects and conflicts so far
}

// batchSize is the number of records the reading goroutine hands over at a
// time; batchesInFlight batches circulate. The reading goroutine and the
// writing one run at similar mean rates but each stalls now and then (a
// cache spill, a GC cycle, a descheduled thread): with only three batches
// (768 records, well under a millisecond of work) the other side soon
// waits too, and the execution trace of a 1M load showed both goroutines
// blocked on the hand-over for seconds. 8 batches (2,048 records, a few
// MB, made only as the writer falls behind) absorb such stalls.
const (
	batchSize       = 256
	batchesInFlight = 8
)

type batch struct {
	recs []Record
	n    int
	err  error // set on the last batch: io.EOF or the fatal error
}

func (ld *loader) run(ctx context.Context, order []*FileReport) error {
	for _, fr := range order {
		if err := ld.file1(ctx, fr); err != nil {
			return err
		}
	}
	return nil
}

func (ld *loader) open(fr *FileReport) (Source, error) {
	if fr.src != nil {
		src := fr.src
		fr.src = nil // closed by file1
		return src, nil
	}
	var progress func(int)
	if ld.bar != nil {
		progress = func(n int) { ld.bar.Add(n) }
	}
	switch fr.Format {
	case FormatISO20022, FormatGoAML:
		return openXML(fr.Path, fr.Format, progress)
	default:
		return openCSV(fr.Path, fr.Kind, fr.List, csv.Options{AllowExtra: ld.opt.AllowExtra}, progress)
	}
}

// file1 loads one input.
func (ld *loader) file1(ctx context.Context, fr *FileReport) error {
	src, err := ld.open(fr)
	if err != nil {
		return err
	}
	defer src.Close()
	defer trace.StartRegion(ctx, "load "+fr.Kind).End()
	ld.file, ld.src = fr, src
	fr.rejects = &rejectLog{file: fr}
	before := map[string]sqlite.Counts{}
	for _, k := range sqlite.Kinds {
		before[k] = ld.load.Counts(k)
	}

	checkSenders := fr.Kind == sqlite.KindTransfers
	free := make(chan *batch, batchesInFlight)
	full := make(chan *batch, batchesInFlight)
	stop := make(chan struct{})
	go func() {
		defer close(full)
		defer trace.StartRegion(ctx, "read "+fr.Kind).End()
		made := 0 // batches are made as needed: a small file needs one
		for {
			var b *batch
			select {
			case b = <-free:
			case <-stop:
				return
			default:
				if made < batchesInFlight {
					made++
					b = &batch{recs: make([]Record, batchSize)}
					break
				}
				select {
				case b = <-free:
				case <-stop:
					return
				}
			}
			b.n, b.err = 0, nil
			for b.n < len(b.recs) {
				rec := &b.recs[b.n]
				if err := src.Next(rec); err != nil {
					b.err = err
					break
				}
				rec.encode()
				// A file of transfers adds no party: the parties added
				// before it are fixed, and their ids can be looked up here.
				// (A source breaking its Kind stops the lookups before the
				// party it yields is handed to the writing goroutine.)
				if rec.Kind == sqlite.KindParties {
					checkSenders = false
				}
				if checkSenders && rec.invalid == nil && rec.Reject == nil && rec.Kind == sqlite.KindTransfers &&
					ld.load.AddedParty(rec.row.Sender()) {
					rec.row.MarkSenderKnown()
				}
				b.n++
			}
			full <- b
			if b.err != nil {
				return
			}
		}
	}()
	err = ld.consume(ctx, full, free)
	close(stop)
	for range full { // let the reading goroutine finish
	}
	if err == nil {
		err = ld.flush()
	} else {
		// Keep the rejects found before an abort; the abort's error wins.
		ld.logPending()
	}
	// Attribute what the store did to this file.
	for _, k := range sqlite.Kinds {
		a, b := ld.load.Counts(k), before[k]
		c := Counts{Inserted: a.Inserted - b.Inserted, Unchanged: a.Unchanged - b.Unchanged, Conflicts: a.Conflicts - b.Conflicts}
		fr.Inserted += c.Inserted
		fr.Unchanged += c.Unchanged
		fr.Conflicts += c.Conflicts
		kc := ld.rep.Kinds[k]
		kc.add(c)
		ld.rep.Kinds[k] = kc
	}
	fr.Records = fr.Inserted + fr.Unchanged + fr.Conflicts + fr.Rejected
	ld.rep.Totals.add(fr.Counts)
	for k, c := range ld.rep.Kinds {
		c.Records = c.Inserted + c.Unchanged + c.Conflicts + c.Rejected
		ld.rep.Kinds[k] = c
	}
	return err
}

func (ld *loader) consume(ctx context.Context, full <-chan *batch, free chan<- *batch) error {
	for b := range full {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted: the load was abandoned and the store is unchanged (%w)", err)
		}
		for i := range b.recs[:b.n] {
			if err := ld.add(&b.recs[i]); err != nil {
				return err
			}
			// Once the store has written everything added, every conflict
			// so far is known and the rejects can be logged in line order.
			if len(ld.pending) > 0 && ld.load.Buffered() == 0 {
				if err := ld.logPending(); err != nil {
					return err
				}
				if err := ld.checkMax(); err != nil {
					return err
				}
			}
		}
		if b.err != nil && b.err != io.EOF {
			return b.err
		}
		if b.err == io.EOF {
			return nil
		}
		free <- b
	}
	return nil
}

// add stores one record or records why it was rejected.
func (ld *loader) add(rec *Record) error {
	if rec.Reject != nil {
		return ld.reject(rec.Kind, *rec.Reject)
	}
	err := rec.invalid
	if err == nil {
		err = ld.load.Add(&rec.row)
	}
	if err == nil {
		return nil
	}
	if vigil.ErrorCode(err) != vigil.EINVALID {
		return err
	}
	r := Reject{File: ld.src.Name(), Line: lineOf(rec.source()), Reason: vigil.ErrorMessage(err)}
	r.Field = fieldOf(err)
	r.Column = columnOf(ld.src, r.Field)
	return ld.reject(rec.Kind, r)
}

// conflict records a conflict reported by the store.
func (ld *loader) conflict(c *sqlite.Conflict) {
	r := Reject{File: ld.src.Name(), Line: lineOf(c.Source), Reason: c.Error()}
	if len(c.Fields) > 0 {
		r.Field = c.Fields[0]
		r.Column = columnOf(ld.src, r.Field)
	}
	ld.pending = append(ld.pending, r)
	ld.errs++
}

func (ld *loader) reject(kind string, r Reject) error {
	ld.file.Rejected++
	kc := ld.rep.Kinds[kind]
	kc.Rejected++
	ld.rep.Kinds[kind] = kc
	ld.pending = append(ld.pending, r)
	ld.errs++
	return ld.checkMax()
}

func (ld *loader) checkMax() error {
	if ld.opt.MaxErrors >= 0 && ld.errs > ld.opt.MaxErrors {
		ld.rep.Aborted = fmt.Sprintf("%d rows rejected or in conflict, more than --max-errors %d: the load was abandoned and the store is unchanged", ld.errs, ld.opt.MaxErrors)
		return vigil.Errorf(vigil.EINVALID, "%s", ld.rep.Aborted)
	}
	return nil
}

// flush writes buffered records so that every conflict up to here is
// known, then logs the pending rejects in line order.
func (ld *loader) flush() error {
	if err := ld.load.Flush(); err != nil {
		return err
	}
	if err := ld.logPending(); err != nil {
		return err
	}
	return ld.checkMax()
}

func (ld *loader) logPending() error {
	if len(ld.pending) == 0 {
		return nil
	}
	slices.SortStableFunc(ld.pending, func(a, b Reject) int { return cmp.Compare(a.Line, b.Line) })
	for _, r := range ld.pending {
		if len(ld.rep.Errors) < ld.opt.FirstErrors {
			ld.rep.Errors = append(ld.rep.Errors, r)
		}
		if err := ld.file.rejects.log(r); err != nil {
			return err
		}
	}
	ld.pending = ld.pending[:0]
	return nil
}

// fieldOf guesses the field a validation message is about from the
// wording of the root package's Validate methods and the store's checks.
func fieldOf(err error) string {
	msg := vigil.ErrorMessage(err)
	for _, f := range fieldNames {
		if containsWord(msg, f) {
			return f
		}
	}
	return ""
}

var fieldNames = []string{
	"sender_id", "beneficiary_name", "beneficiary_country", "beneficiary_id", "transfer_id", "party_id",
	"event_id", "lead_id", "full_name", "timestamp", "amount", "currency", "channel", "kind", "gender",
	"nationality", "country", "account", "counterpart", "direction", "duration_s",
}

func containsWord(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i:i+len(w)] == w && (i == 0 || !isWordByte(s[i-1])) && (i+len(w) == len(s) || !isWordByte(s[i+len(w)])) {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// rejectPath is where the rejects of input go.
func rejectPath(input, dir string) string {
	if dir == "" {
		return input + ".rejects.csv"
	}
	return filepath.Join(dir, filepath.Base(input)+".rejects.csv")
}

func summaryPath(rejectFile string) string {
	return rejectFile[:len(rejectFile)-len(".csv")] + ".json"
}
