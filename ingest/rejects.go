package ingest

import (
	"bufio"
	stdcsv "encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/vigilfiu/vigil"
)

// rejectColumns are appended to the original columns in a reject file.
var rejectColumns = []string{"error_line", "error_column", "error_field", "error_reason"}

// columnOf returns the column of field in src's input when src knows it.
func columnOf(src Source, field string) int {
	if c, ok := src.(interface{ Column(string) int }); ok && field != "" {
		return c.Column(field)
	}
	return 0
}

// rejectLog collects the rejects of one input in line order in a temporary
// file, so that memory does not grow with the number of rejects; at the end
// of the load it is turned into the reject file.
type rejectLog struct {
	file   *FileReport
	tmp    *os.File
	w      *stdcsv.Writer
	n      int
	fields map[string]int
}

func (l *rejectLog) log(r Reject) error {
	if l.tmp == nil {
		f, err := os.Create(l.file.RejectFile + ".tmp")
		if err != nil {
			return vigil.Errorf(vigil.EINVALID, "cannot write the rejects of %s: %v (choose another place with --rejects DIR)", l.file.Path, err)
		}
		l.tmp, l.w, l.fields = f, stdcsv.NewWriter(bufio.NewWriter(f)), map[string]int{}
	}
	l.n++
	l.fields[r.Field]++
	return l.w.Write([]string{strconv.Itoa(r.Line), strconv.Itoa(r.Column), r.Field, r.Reason})
}

// fileSummary is the JSON written beside a reject file.
type fileSummary struct {
	Input     string         `json:"input"`
	Kind      string         `json:"kind"`
	Store     string         `json:"store"`
	Committed bool           `json:"committed"`
	Aborted   string         `json:"aborted,omitempty"`
	Counts    Counts         `json:"counts"`
	ByField   map[string]int `json:"rejects_by_field"`
	At        string         `json:"at"`
}

// finishRejects writes the reject file and its summary, or removes those of
// an earlier load when this one rejected nothing from the input.
func (fr *FileReport) finishRejects(rep *Report) error {
	l := fr.rejects
	if l == nil || l.n == 0 {
		for _, p := range []string{fr.RejectFile, fr.SummaryFile} {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		if l != nil && l.tmp != nil {
			l.tmp.Close()
			os.Remove(l.tmp.Name())
		}
		fr.RejectFile, fr.SummaryFile = "", ""
		return nil
	}
	l.w.Flush()
	if err := l.w.Error(); err != nil {
		return err
	}
	tmp := l.tmp.Name()
	defer os.Remove(tmp)
	if err := l.tmp.Close(); err != nil {
		return err
	}
	if err := writeRejectFile(fr, tmp); err != nil {
		return err
	}
	s := fileSummary{Input: fr.Path, Kind: fr.Kind, Store: rep.Store, Committed: rep.Committed, Aborted: rep.Aborted,
		Counts: fr.Counts, ByField: l.fields, At: time.Now().UTC().Format(time.RFC3339)}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(fr.SummaryFile, append(b, '\n'), 0o644)
}

// writeRejectFile writes fr.RejectFile: for a CSV input, the header and
// every rejected row as it was read plus the error columns; for other
// formats, the error columns alone.
func writeRejectFile(fr *FileReport, logPath string) error {
	logf, err := os.Open(logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	entries := stdcsv.NewReader(bufio.NewReader(logf))
	entries.ReuseRecord = true

	out, err := os.Create(fr.RejectFile)
	if err != nil {
		return vigil.Errorf(vigil.EINVALID, "cannot write %s: %v", fr.RejectFile, err)
	}
	defer out.Close()
	bw := bufio.NewWriter(out)
	w := stdcsv.NewWriter(bw)

	var in *stdcsv.Reader
	var header []string
	if fr.Format == FormatCSV {
		f, err := os.Open(fr.Path)
		if err != nil {
			return err
		}
		defer f.Close()
		in = stdcsv.NewReader(bufio.NewReaderSize(f, 256<<10))
		in.FieldsPerRecord, in.LazyQuotes = -1, true
		if header, err = in.Read(); err != nil {
			header = nil
		}
		header = append([]string(nil), header...)
	}
	if err := w.Write(append(append([]string(nil), header...), rejectColumns...)); err != nil {
		return err
	}
	var cur []string // the input record at curLine
	curLine, inDone := 0, in == nil
	for {
		e, err := entries.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		line, _ := strconv.Atoi(e[0])
		for !inDone && curLine < line {
			rec, err := in.Read()
			if err == io.EOF {
				inDone = true
				break
			}
			var pe *stdcsv.ParseError
			if errors.As(err, &pe) {
				curLine, cur = pe.StartLine, nil
				continue
			} else if err != nil {
				return err
			}
			l, _ := in.FieldPos(0)
			curLine, cur = l, rec
		}
		row := make([]string, 0, max(len(cur), len(header))+len(rejectColumns))
		if curLine == line {
			row = append(row, cur...)
		}
		for len(row) < len(header) {
			row = append(row, "")
		}
		if err := w.Write(append(row, e...)); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return out.Close()
}
