package csv

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
	"time"

	"github.com/vigilfiu/vigil"
)

// fuzzKind describes one reader and writer pair for checkReader.
type fuzzKind[T any] struct {
	open     func(r io.Reader, opt Options) (func(*T) error, error)
	write    func(w io.Writer, rows []T) error
	validate func(*T) error
	// same compares two values read from different files: everything but
	// Source must be equal, timestamps to the instant and offset.
	same func(a, b *T) bool
}

// checkReader reads data and checks the invariants every reader keeps: no
// panic, every error a *RowError with a position, every accepted row valid
// with a source, and a lossless round trip through the writer.
func checkReader[T any](t *testing.T, k fuzzKind[T], data []byte, opt Options) {
	// Inputs of odd length arrive one byte per read, to exercise every
	// place where a record continues past the buffered input.
	var src io.Reader = bytes.NewReader(data)
	if len(data)%2 == 1 {
		src = iotest.OneByteReader(src)
	}
	read, err := k.open(src, opt)
	if err != nil {
		checkRowError(t, err)
		return
	}
	var rows []T
	for n := 0; ; n++ {
		if n > len(data)+1 {
			t.Fatalf("more records (%d) than bytes (%d): the reader does not advance", n, len(data))
		}
		var v T
		err := read(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			checkRowError(t, err)
			continue
		}
		if err := k.validate(&v); err != nil {
			t.Fatalf("accepted row fails Validate: %v (%+v)", err, v)
		}
		rows = append(rows, v)
	}
	var buf bytes.Buffer
	if err := k.write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	read, err = k.open(bytes.NewReader(buf.Bytes()), Options{})
	if err != nil {
		t.Fatalf("reading back the written file: %v\n%s", err, buf.Bytes())
	}
	for i := range rows {
		var v T
		if err := read(&v); err != nil {
			t.Fatalf("row %d written then read: %v\n%s", i, err, buf.Bytes())
		}
		if !k.same(&rows[i], &v) {
			t.Fatalf("row %d changed in the round trip:\n%+v\n%+v", i, rows[i], v)
		}
	}
	var v T
	if err := read(&v); err != io.EOF {
		t.Fatalf("after the written rows: %v", err)
	}
}

func checkRowError(t *testing.T, err error) {
	t.Helper()
	var re *RowError
	if !errors.As(err, &re) {
		t.Fatalf("error is not a *RowError: %v", err)
	}
	if re.Line < 1 || re.Column < 1 || re.File == "" || re.Reason == "" {
		t.Fatalf("RowError without a position or reason: %#v", re)
	}
}

func sameTime(a, b time.Time) bool {
	_, oa := a.Zone()
	_, ob := b.Zone()
	return a.Equal(b) && oa == ob
}

var partyKind = fuzzKind[vigil.Party]{
	open: func(r io.Reader, opt Options) (func(*vigil.Party) error, error) {
		pr, err := NewPartyReader(r, "parties.csv", opt)
		if err != nil {
			return nil, err
		}
		return pr.Read, nil
	},
	write: func(w io.Writer, rows []vigil.Party) error {
		pw := NewPartyWriter(w)
		for i := range rows {
			if err := pw.Write(&rows[i]); err != nil {
				return err
			}
		}
		return pw.Flush()
	},
	validate: func(p *vigil.Party) error {
		if p.Source == "" {
			return errors.New("no source")
		}
		return p.Validate()
	},
	same: func(a, b *vigil.Party) bool {
		x, y := *a, *b
		x.Source, y.Source = "", ""
		return x == y
	},
}

var transferKind = fuzzKind[vigil.Transfer]{
	open: func(r io.Reader, opt Options) (func(*vigil.Transfer) error, error) {
		tr, err := NewTransferReader(r, "transfers.csv", opt)
		if err != nil {
			return nil, err
		}
		return tr.Read, nil
	},
	write: func(w io.Writer, rows []vigil.Transfer) error {
		tw := NewTransferWriter(w)
		for i := range rows {
			if err := tw.Write(&rows[i]); err != nil {
				return err
			}
		}
		return tw.Flush()
	},
	validate: func(t *vigil.Transfer) error {
		if t.Source == "" {
			return errors.New("no source")
		}
		return t.Validate()
	},
	same: func(a, b *vigil.Transfer) bool {
		x, y := *a, *b
		x.Source, y.Source = "", ""
		x.Timestamp, y.Timestamp = time.Time{}, time.Time{}
		return x == y && sameTime(a.Timestamp, b.Timestamp)
	},
}

var callKind = fuzzKind[vigil.CallEvent]{
	open: func(r io.Reader, opt Options) (func(*vigil.CallEvent) error, error) {
		cr, err := NewCallReader(r, "calls.csv", opt)
		if err != nil {
			return nil, err
		}
		return cr.Read, nil
	},
	write: func(w io.Writer, rows []vigil.CallEvent) error {
		cw := NewCallWriter(w)
		for i := range rows {
			if err := cw.Write(&rows[i]); err != nil {
				return err
			}
		}
		return cw.Flush()
	},
	validate: func(e *vigil.CallEvent) error {
		if e.Source == "" {
			return errors.New("no source")
		}
		return e.Validate()
	},
	same: func(a, b *vigil.CallEvent) bool {
		x, y := *a, *b
		x.Source, y.Source = "", ""
		x.Timestamp, y.Timestamp = time.Time{}, time.Time{}
		return x == y && sameTime(a.Timestamp, b.Timestamp)
	},
}

var leadKind = fuzzKind[vigil.Lead]{
	open: func(r io.Reader, opt Options) (func(*vigil.Lead) error, error) {
		lr, err := NewLeadReader(r, "leads.csv", opt)
		if err != nil {
			return nil, err
		}
		return lr.Read, nil
	},
	write: func(w io.Writer, rows []vigil.Lead) error {
		lw := NewLeadWriter(w)
		for i := range rows {
			if err := lw.Write(&rows[i]); err != nil {
				return err
			}
		}
		return lw.Flush()
	},
	validate: func(l *vigil.Lead) error {
		if l.Source == "" {
			return errors.New("no source")
		}
		return l.Validate()
	},
	same: func(a, b *vigil.Lead) bool {
		x, y := *a, *b
		x.Source, y.Source = "", ""
		return x == y
	},
}

func FuzzPartyReader(f *testing.F) {
	f.Add([]byte("party_id,full_name,kind,birth_date,gender,nationality,country,city,phone,email\nP1,John Smith,,1961-05,m,au,AU,Perth,0412 345 678,j@example.org\nP2,\"Acme, \"\"Pty\"\"\nLtd\",organisation,,,,AU,,,\n"), false)
	f.Add([]byte("\xEF\xBB\xBFparty_id,full_name\r\nP1,Jane\r\nP2,Pe\xF1a\r\nP3,\"cut"), false)
	f.Add([]byte("full_name,party_id,extra\nJane,P1,x\n,P2,y\nJane,P3\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, extra bool) {
		checkReader(t, partyKind, data, Options{AllowExtra: extra})
	})
}

func FuzzTransferReader(f *testing.F) {
	f.Add([]byte(transferHeader+
		"T1,2024-03-01T22:15:00+10:00,P1,Maria Cristina Santos,+639171234567,PH,50,AUD,remittance,school fees\n"+
		"T2,2024-03-02T01:05:30.25Z,P1,\"SANTOS, MARIA\",0917 123 4567,ph,49.90,eur,Wallet,\"medical \"\"x\"\"\ny\"\n"+
		"T3,2024-03-03T04:00:00-05:30,P2,Juan,,PH,-5,USD,,\n"), false)
	f.Add([]byte("transfer_id,timestamp,sender_id,beneficiary_id,beneficiary_country,amount,currency,note\r\nT1,2024-03-01T22:15:00+08:00,P1,P2,PH,0.000001,PHP,x\r\nT2,2024-03-01 22:15,P1,P2,PH,1,PHP,\r\n"), true)
	f.Add([]byte(transferHeader+"T1,2024-02-29T23:59:59.999999999+14:00,P1,Mu\xF1oz,,PH,1e3,AUD,,\nT2,2024-03-01T22:15:00+10:00,P1,\"unterminated"), false)
	f.Fuzz(func(t *testing.T, data []byte, extra bool) {
		checkReader(t, transferKind, data, Options{AllowExtra: extra})
	})
}

func FuzzCallReader(f *testing.F) {
	f.Add([]byte("event_id,timestamp,account,counterpart,platform,direction,kind,duration_s\nE1,2024-03-01T22:15:00+08:00,fac01,buyer77,Skype,IN,video,1260\nE2,2024-03-01T22:15:00+08:00,fac01,b,,sideways,,\nE3,2024-03-01T22:15:00Z,fac01,b,,,chat,-1\n"), false)
	f.Add([]byte("counterpart,account,timestamp,event_id\r\nb,a,2024-03-01T22:15:00.5-03:00,E1\r\n\r\nb,a,2024-13-01T22:15:00Z,E2"), false)
	f.Fuzz(func(t *testing.T, data []byte, extra bool) {
		checkReader(t, callKind, data, Options{AllowExtra: extra})
	})
}

func FuzzLeadReader(f *testing.F) {
	f.Add([]byte("lead_id,full_name,birth_date,phone,email,handle,account,city,country,note\nL1,\"SANTOS, Ma. Cristina\",1985,0917 123 4567,,mcs_live,,Cebu,ph,from partner\nL2,,,,,,,Cebu,PH,nothing\nL3,Someone,85-01-01,,,,,,,\n"), false)
	f.Add([]byte("lead_id,handle,x\nL1,h1,\nL1,h2,\"a\"\"b\"\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, extra bool) {
		checkReader(t, leadKind, data, Options{AllowExtra: extra})
	})
}

func FuzzRates(f *testing.F) {
	f.Add([]byte("currency,rate\nAUD,0.61\nphp,0.0155\nEUR,1\n"))
	f.Add([]byte("rate,currency\r\n0.0000571,IDR\r\n0.61,AUD\r\n0.62,AUD\r\n"))
	f.Add([]byte("currency,rate\nAUD,-1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rates, err := ReadFXRates(bytes.NewReader(data), "rates.csv", Options{})
		if err != nil {
			checkRowError(t, err)
			return
		}
		if err := rates.Validate(); err != nil {
			t.Fatalf("accepted table fails Validate: %v", err)
		}
		var buf bytes.Buffer
		if err := WriteFXRates(&buf, rates); err != nil {
			t.Fatal(err)
		}
		back, err := ReadFXRates(&buf, "back.csv", Options{})
		if err != nil {
			t.Fatalf("written table read back: %v", err)
		}
		if len(back) != len(rates) {
			t.Fatalf("round trip: %v, want %v", back, rates)
		}
		for c, r := range rates {
			if back[c] != r {
				t.Fatalf("round trip of %s: %v, want %v", c, back[c], r)
			}
		}
	})
}

// FuzzTimestamp checks the hand-written timestamp parser, with its caches,
// against time.Parse: the same inputs accepted, the same instant and
// offset returned.
func FuzzTimestamp(f *testing.F) {
	f.Add("2024-03-01T22:15:00+10:00", "2024-03-01T23:59:59.5+10:00")
	f.Add("2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z")
	f.Add("2024-03-01T22:15:00-05:30", "2024-03-01T22:15:00+24:00")
	f.Add("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-23:59")
	f.Add("2024-03-01 22:15:00+10:00", "2024-03-01T22:15:00")
	f.Fuzz(func(t *testing.T, a, b string) {
		var c stamps
		for _, s := range []string{a, b, a} {
			got, ok := parseTimestamp([]byte(s), &c)
			want, err := time.Parse(time.RFC3339, s)
			if ok != (err == nil) {
				t.Fatalf("%q: accepted %v, time.Parse error %v", s, ok, err)
			}
			if ok && !sameTime(got, want) {
				t.Fatalf("%q: %v, time.Parse %v", s, got, want)
			}
		}
	})
}
