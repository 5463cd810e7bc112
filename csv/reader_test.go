package csv

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/vigilfiu/vigil"
)

const transferHeader = "transfer_id,timestamp,sender_id,beneficiary_name,beneficiary_phone,beneficiary_country,amount,currency,channel,purpose\n"

// readTransfers reads every row of a transfers file given as text.
func readTransfers(t *testing.T, text string, opt Options) ([]vigil.Transfer, []*RowError, error) {
	t.Helper()
	r, err := NewTransferReader(strings.NewReader(text), "transfers.csv", opt)
	if err != nil {
		return nil, nil, err
	}
	var out []vigil.Transfer
	var rej []*RowError
	for {
		var tr vigil.Transfer
		err := r.Read(&tr)
		if err == io.EOF {
			return out, rej, nil
		}
		var re *RowError
		if errors.As(err, &re) {
			rej = append(rej, re)
			continue
		}
		if err != nil {
			return out, rej, err
		}
		out = append(out, tr)
	}
}

func TestTransferReaderAcceptsValidRows(t *testing.T) {
	text := transferHeader +
		"T1,2024-03-01T22:15:00+10:00,P1,Maria Cristina Santos,+639171234567,PH,50,AUD,remittance,school fees\n" +
		"T2,2024-03-02T01:05:30.25Z,P1,\"SANTOS, MARIA CRISTINA\",0917 123 4567,ph,49.90,eur,Wallet,\"medical, \"\"urgent\"\"\nsecond line\"\n" +
		"T3,2024-03-03T04:00:00-05:30,P2,Juan,,PH,0.5,USD,,\n"
	got, rej, err := readTransfers(t, text, Options{})
	if err != nil || len(rej) != 0 {
		t.Fatalf("err=%v rejected=%v", err, rej)
	}
	if len(got) != 3 {
		t.Fatalf("got %d transfers, want 3", len(got))
	}
	t1 := got[0]
	want := time.Date(2024, 3, 1, 12, 15, 0, 0, time.UTC)
	if !t1.Timestamp.Equal(want) {
		t.Errorf("T1 timestamp %v, want %v", t1.Timestamp, want)
	}
	if _, off := t1.Timestamp.Zone(); off != 10*3600 {
		t.Errorf("T1 offset %d, want +10:00 kept", off)
	}
	if t1.Amount != vigil.NewAmount(50, 0) || t1.Currency != "AUD" || t1.Channel != vigil.ChannelRemittance {
		t.Errorf("T1 = %+v", t1)
	}
	if t1.Source != "transfers.csv:2" {
		t.Errorf("T1 source %q", t1.Source)
	}
	t2 := got[1]
	if t2.BeneficiaryName != "SANTOS, MARIA CRISTINA" || t2.Purpose != "medical, \"urgent\"\nsecond line" {
		t.Errorf("T2 quoted cells: name %q purpose %q", t2.BeneficiaryName, t2.Purpose)
	}
	if t2.BeneficiaryCountry != "PH" || t2.Currency != "EUR" || t2.Channel != vigil.ChannelWallet {
		t.Errorf("T2 codes not normalised: %q %q %q", t2.BeneficiaryCountry, t2.Currency, t2.Channel)
	}
	if t2.Amount != vigil.NewAmount(49, 900000) || t2.Timestamp.Nanosecond() != 250000000 {
		t.Errorf("T2 amount %v time %v", t2.Amount, t2.Timestamp)
	}
	// The embedded newline in T2 makes T3 start on line 5.
	if got[2].Source != "transfers.csv:5" {
		t.Errorf("T3 source %q, want transfers.csv:5", got[2].Source)
	}
	if _, off := got[2].Timestamp.Zone(); off != -(5*3600 + 30*60) {
		t.Errorf("T3 offset %d", off)
	}
}

func TestTransferReaderRejectsBadCells(t *testing.T) {
	cases := []struct {
		name, row string
		col       int
		field     string
		reason    string
	}{
		{"negative amount", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,-50,AUD,,", 7, "amount", "negative"},
		{"non-numeric amount", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,fifty,AUD,,", 7, "amount", "not a decimal number"},
		{"decimal comma", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,\"50,5\",AUD,,", 7, "amount", "not a decimal number"},
		{"zero amount", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,0.00,AUD,,", 7, "amount", "greater than zero"},
		{"empty amount", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,,AUD,,", 7, "amount", "required"},
		{"no offset", "T1,2024-03-01T22:15:00,P1,Maria,,PH,50,AUD,,", 2, "timestamp", "RFC 3339"},
		{"date only", "T1,2024-03-01,P1,Maria,,PH,50,AUD,,", 2, "timestamp", "RFC 3339"},
		{"bad day", "T1,2024-02-30T22:15:00+10:00,P1,Maria,,PH,50,AUD,,", 2, "timestamp", "RFC 3339"},
		{"bad currency", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,EURO,,", 8, "currency", "ISO 4217"},
		{"bad country", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PHL,50,AUD,,", 6, "beneficiary_country", "ISO 3166"},
		{"missing country", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,,50,AUD,,", 6, "beneficiary_country", "required"},
		{"bad channel", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,AUD,cash,", 9, "channel", "must be remittance, bank, wallet, card or crypto"},
		{"no id", ",2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,AUD,,", 1, "transfer_id", "required"},
		{"no beneficiary", "T1,2024-03-01T22:15:00+10:00,P1,,,PH,50,AUD,,", 4, "beneficiary_name", "required when beneficiary_id is empty"},
		{"too few cells", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,AUD", 9, "", "8 cells, but the header has 10"},
		{"too many cells", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,AUD,,,x", 11, "", "11 cells"},
		{"bare quote", "T1,2024-03-01T22:15:00+10:00,P1,Ma\"ria,,PH,50,AUD,,", 4, "", "quote"},
		{"text after quote", "T1,2024-03-01T22:15:00+10:00,P1,\"Maria\"x,,PH,50,AUD,,", 4, "", "after the closing quote"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// A good row after the bad one shows that reading goes on.
			text := transferHeader + c.row + "\nT9,2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,AUD,,\n"
			got, rej, err := readTransfers(t, text, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rej) != 1 {
				t.Fatalf("rejected %v, want one", rej)
			}
			e := rej[0]
			if e.File != "transfers.csv" || e.Line != 2 || e.Column != c.col || e.Field != c.field || !strings.Contains(e.Reason, c.reason) {
				t.Errorf("got %q (line %d col %d field %q), want line 2 col %d field %q reason containing %q",
					e.Error(), e.Line, e.Column, e.Field, c.col, c.field, c.reason)
			}
			if len(got) != 1 || got[0].ID != "T9" || got[0].Source != "transfers.csv:3" {
				t.Errorf("following row: %+v", got)
			}
		})
	}
}

func TestRowErrorFormat(t *testing.T) {
	e := &RowError{File: "t.csv", Line: 3, Column: 7, Field: "amount", Reason: "negative amount"}
	if e.Error() != "t.csv:3:7: amount: negative amount" {
		t.Error(e.Error())
	}
	e.Field = ""
	if e.Error() != "t.csv:3:7: negative amount" {
		t.Error(e.Error())
	}
}

func TestHeaderErrors(t *testing.T) {
	cases := []struct {
		name, header string
		opt          Options
		col          int
		reason       string
	}{
		{"empty file", "", Options{}, 1, "empty"},
		{"unknown column", "transfer_id,timestamp,sender_id,beneficiary_name,beneficiary_country,amount,currency,colour\n", Options{}, 8, "unknown column \"colour\""},
		{"no header", "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,AUD,,\n", Options{}, 1, "unknown column \"t1\""},
		{"duplicate", "transfer_id,timestamp,sender_id,beneficiary_name,beneficiary_country,amount,currency,amount\n", Options{}, 8, "appears twice (columns 6 and 8)"},
		{"duplicate extra", "transfer_id,timestamp,sender_id,beneficiary_name,beneficiary_country,amount,currency,x,x\n", Options{AllowExtra: true}, 9, "appears twice"},
		{"missing", "transfer_id,sender_id,beneficiary_name,beneficiary_country\n", Options{}, 1, "missing required columns timestamp, amount, currency"},
		{"no beneficiary columns", "transfer_id,timestamp,sender_id,beneficiary_country,amount,currency\n", Options{}, 1, "beneficiary_id or beneficiary_name"},
		{"unnamed", "transfer_id,,timestamp\n", Options{}, 2, "has no name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewTransferReader(strings.NewReader(c.header), "transfers.csv", c.opt)
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want a *RowError", err)
			}
			if re.Line != 1 || re.Column != c.col || !strings.Contains(re.Reason, c.reason) {
				t.Errorf("got %q, want column %d and %q", re.Error(), c.col, c.reason)
			}
		})
	}
}

func TestAllowExtraAndColumnOrder(t *testing.T) {
	text := "Currency, amount ,note,beneficiary_country,beneficiary_name,sender_id,timestamp,transfer_id\n" +
		"PHP,1500,whatever,PH,Maria,P1,2024-03-01T22:15:00+08:00,T1\n"
	if _, _, err := readTransfers(t, text, Options{}); err == nil || !strings.Contains(err.Error(), "unknown column \"note\"") {
		t.Fatalf("without AllowExtra: %v", err)
	}
	got, rej, err := readTransfers(t, text, Options{AllowExtra: true})
	if err != nil || len(rej) != 0 || len(got) != 1 {
		t.Fatalf("got %v %v %v", got, rej, err)
	}
	if got[0].Amount != vigil.NewAmount(1500, 0) || got[0].Currency != "PHP" || got[0].ID != "T1" {
		t.Errorf("%+v", got[0])
	}
	r, _ := NewTransferReader(strings.NewReader(text), "x", Options{AllowExtra: true})
	if cols := r.Columns(); len(cols) != 8 || cols[0] != "currency" || cols[1] != "amount" {
		t.Errorf("Columns() = %q", cols)
	}
}

func TestCRLFAndBOM(t *testing.T) {
	text := "\xEF\xBB\xBF" + strings.ReplaceAll(transferHeader, "\n", "\r\n") +
		"T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,AUD,,\r\n" +
		"\r\n" +
		"T2,2024-03-01T22:15:00+10:00,P1,\"Maria\r\nSantos\",,PH,50,AUD,,\"x\"\r\n" +
		"T3,2024-03-01T22:15:00+10:00,P1,Maria,,PH,-1,AUD,,\r\n"
	got, rej, err := readTransfers(t, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "T1" || got[1].Purpose != "x" || got[1].BeneficiaryName != "Maria\r\nSantos" {
		t.Fatalf("got %+v", got)
	}
	if got[1].Source != "transfers.csv:4" {
		t.Errorf("T2 source %q", got[1].Source)
	}
	if len(rej) != 1 || rej[0].Line != 6 || rej[0].Field != "amount" {
		t.Errorf("rejected %v, want line 6 amount", rej)
	}
}

func TestTruncatedLastLine(t *testing.T) {
	good := transferHeader + "T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,AUD,,\n"
	// Complete final line without a newline: fine.
	got, rej, err := readTransfers(t, strings.TrimSuffix(good, "\n"), Options{})
	if err != nil || len(rej) != 0 || len(got) != 1 {
		t.Fatalf("no final newline: %v %v %v", got, rej, err)
	}
	// Cut in the middle of a row.
	got, rej, err = readTransfers(t, good+"T2,2024-03-01T22:15:00+10:00,P1,Mar", Options{})
	if err != nil || len(got) != 1 || len(rej) != 1 {
		t.Fatalf("cut row: %v %v %v", got, rej, err)
	}
	if rej[0].Line != 3 || !strings.Contains(rej[0].Reason, "cut off") {
		t.Errorf("cut row: %v", rej[0])
	}
	// Cut inside a quoted cell.
	got, rej, err = readTransfers(t, good+"T2,2024-03-01T22:15:00+10:00,P1,\"Maria\nSan", Options{})
	if err != nil || len(got) != 1 || len(rej) != 1 {
		t.Fatalf("cut quote: %v %v %v", got, rej, err)
	}
	if rej[0].Line != 3 || rej[0].Column != 4 || !strings.Contains(rej[0].Reason, "never closed, so lines 3 to 4 were read as part of it") {
		t.Errorf("cut quote: %v", rej[0])
	}
	// An unclosed quote in the middle swallows the rows after it; the
	// error says which lines.
	_, rej, _ = readTransfers(t, good+"T2,2024-03-01T22:15:00+10:00,P1,\"Maria,,PH,50,AUD,,\n"+strings.TrimPrefix(good, transferHeader)+strings.TrimPrefix(good, transferHeader), Options{})
	if len(rej) != 1 || rej[0].Line != 3 || !strings.Contains(rej[0].Reason, "lines 3 to 5") {
		t.Errorf("unclosed quote in the middle: %v", rej)
	}
}

func TestWrongEncoding(t *testing.T) {
	// "Peña" and "Muñoz" in Latin-1: ñ is the single byte 0xF1.
	text := transferHeader +
		"T1,2024-03-01T22:15:00+10:00,P1,Maria,,PH,50,AUD,,\n" +
		"T2,2024-03-01T22:15:00+10:00,P1,Pe\xF1a,,PH,50,AUD,,\n" +
		"T3,2024-03-01T22:15:00+10:00,P1,\"Mu\n\xF1oz\",,PH,50,AUD,,\n" +
		"T4,2024-03-01T22:15:00+10:00,P1,Peña,,PH,50,AUD,,\n"
	got, rej, err := readTransfers(t, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].BeneficiaryName != "Peña" {
		t.Errorf("accepted %+v", got)
	}
	if len(rej) != 2 {
		t.Fatalf("rejected %v", rej)
	}
	off := strings.Index(text, "\xF1") + 1
	if e := rej[0]; e.Line != 3 || e.Column != 4 || !strings.Contains(e.Reason, "wrong encoding: invalid UTF-8 at byte ") ||
		!strings.Contains(e.Reason, "byte "+strconv.Itoa(off)+" ") || !strings.Contains(e.Reason, "save the file as UTF-8") {
		t.Errorf("first: %v (byte %d)", e, off)
	}
	if e := rej[1]; e.Line != 5 || e.Column != 4 {
		t.Errorf("second (inside a quoted cell on the record's second line): %v", e)
	}
}

// A reader that returns one byte at a time exercises every refill path.
func TestOneByteReads(t *testing.T) {
	text := "\xEF\xBB\xBF" + transferHeader +
		"T1,2024-03-01T22:15:00+10:00,P1,\"Maria \"\"Ma\"\"\r\nSantos\",,PH,50,AUD,,\r\n" +
		"\n" +
		"T2,2024-03-01T22:15:00+10:00,P1,Maria,,PH,x,AUD,,\n" +
		"T3,2024-03-01T22:15:00+10:00,P1,Maria,,PH,1,AUD,,"
	r, err := NewTransferReader(iotest.OneByteReader(strings.NewReader(text)), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids, lines []string
	for {
		var tr vigil.Transfer
		err := r.Read(&tr)
		if err == io.EOF {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			lines = append(lines, re.Error())
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tr.ID+"@"+tr.Source)
	}
	if strings.Join(ids, " ") != "T1@t.csv:2 T3@t.csv:6" || len(lines) != 1 || !strings.HasPrefix(lines[0], "t.csv:5:7: amount:") {
		t.Errorf("ids %v errors %v", ids, lines)
	}
}

func TestPartyReader(t *testing.T) {
	text := "party_id,full_name,kind,birth_date,gender,nationality,country,city,phone,email\n" +
		"P1,John Smith,,1961-05,m,au,AU,Perth,0412 345 678,j@example.org\n" +
		"P2,Acme Pty Ltd,Organisation,,,,AU,,,\n" +
		"P3,Jane,person,1961-13,F,,AU,,,\n" +
		"P4,Jane,person,1961,Q,,AU,,,\n" +
		"P5,Jane,robot,,,,AU,,,\n" +
		"P6,Jane,,,,,AUS,,,\n" +
		"P7,,,,,,AU,,,\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "parties.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	got, rej, err := ReadPartiesFile(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("accepted %+v", got)
	}
	p := got[0]
	if p.Kind != vigil.PartyPerson || p.Gender != "M" || p.Nationality != "AU" || p.BirthDate != (vigil.Date{Year: 1961, Month: 5}) || p.Source != path+":2" {
		t.Errorf("P1 %+v", p)
	}
	if got[1].Kind != vigil.PartyOrganisation {
		t.Errorf("P2 kind %q", got[1].Kind)
	}
	want := []string{"birth_date month out of range", "gender must be F, M or X", "kind must be person or organisation", "country not an ISO 3166-1", "full_name required"}
	if len(rej) != len(want) {
		t.Fatalf("rejected %v", rej)
	}
	for i, w := range want {
		field, reason, _ := strings.Cut(w, " ")
		if rej[i].Field != field || !strings.Contains(rej[i].Reason, reason) || rej[i].Line != i+4 {
			t.Errorf("rejection %d: %v, want %s on line %d", i, rej[i], w, i+4)
		}
	}
}

func TestCallReader(t *testing.T) {
	text := "event_id,timestamp,account,counterpart,platform,direction,kind,duration_s\n" +
		"E1,2024-03-01T22:15:00+08:00,fac01,buyer77,Skype,IN,video,1260\n" +
		"E2,2024-03-01T22:15:00+08:00,fac01,buyer77,Skype,sideways,video,1\n" +
		"E3,2024-03-01T22:15:00+08:00,fac01,buyer77,Skype,in,audio,1\n" +
		"E4,2024-03-01T22:15:00+08:00,fac01,buyer77,Skype,in,chat,-5\n" +
		"E5,2024-03-01T22:15:00+08:00,fac01,,Skype,in,chat,0\n" +
		"E6,2024-03-01T22:15:00+08:00,fac01,b,,,,\n"
	r, err := NewCallReader(strings.NewReader(text), "calls.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ok []vigil.CallEvent
	var rej []string
	for {
		var e vigil.CallEvent
		err := r.Read(&e)
		if err == io.EOF {
			break
		}
		if re, isRow := err.(*RowError); isRow {
			rej = append(rej, re.Error())
			continue
		}
		ok = append(ok, e)
	}
	if len(ok) != 2 || ok[0].Direction != vigil.DirectionIn || ok[0].Kind != vigil.KindVideo || ok[0].DurationS != 1260 || ok[1].DurationS != 0 {
		t.Errorf("accepted %+v", ok)
	}
	want := []string{"calls.csv:3:6: direction: must be in or out", "calls.csv:4:7: kind: must be call, video or chat", "calls.csv:5:8: duration_s: not a whole number", "calls.csv:6:4: counterpart: required"}
	if len(rej) != len(want) {
		t.Fatalf("rejected %q", rej)
	}
	for i := range want {
		if !strings.HasPrefix(rej[i], want[i]) {
			t.Errorf("got %q, want %q…", rej[i], want[i])
		}
	}
}

func TestLeadReader(t *testing.T) {
	text := "lead_id,full_name,birth_date,phone,email,handle,account,city,country,note\n" +
		"L1,\"SANTOS, Ma. Cristina\",1985,0917 123 4567,,mcs_live,,Cebu,ph,from partner list\n" +
		"L2,,,,,,,Cebu,PH,nothing to match on\n" +
		"L3,Someone,85-01-01,,,,,,,\n"
	r, err := NewLeadReader(strings.NewReader(text), "seeds.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var l vigil.Lead
	if err := r.Read(&l); err != nil {
		t.Fatal(err)
	}
	if l.FullName != "SANTOS, Ma. Cristina" || l.Country != "PH" || l.BirthDate.Year != 1985 || l.Handle != "mcs_live" || l.Source != "seeds.csv:2" {
		t.Errorf("L1 %+v", l)
	}
	err = r.Read(&l)
	if re, ok := err.(*RowError); !ok || re.Line != 3 || !strings.Contains(re.Reason, "at least one of") {
		t.Errorf("L2: %v", err)
	}
	err = r.Read(&l)
	if re, ok := err.(*RowError); !ok || re.Field != "birth_date" || re.Column != 3 {
		t.Errorf("L3: %v", err)
	}
	if err := r.Read(&l); err != io.EOF {
		t.Errorf("end: %v", err)
	}
	if _, err := NewLeadReader(strings.NewReader("lead_id,city\n"), "leads.csv", Options{}); err == nil || !strings.Contains(err.Error(), "at least one of the columns") {
		t.Errorf("lead header without identifiers: %v", err)
	}
}

func TestSplitCommas(t *testing.T) {
	alphabet := []byte(",,a-b,\x2d\x2c\xff ")
	for n := 0; n < 40; n++ {
		for seed := 0; seed < 50; seed++ {
			line := make([]byte, n)
			x := uint32(seed*7919 + n)
			for i := range line {
				x = x*1103515245 + 12345
				line[i] = alphabet[int(x>>16)%len(alphabet)]
			}
			from := seed % (n + 1)
			got, ascii := splitCommas(nil, line, from, 1)
			if ascii != !bytes.ContainsFunc(line[from:], func(r rune) bool { return r >= 0x80 }) {
				t.Fatalf("%q from %d: ascii %v", line, from, ascii)
			}
			want := strings.Split(string(line[from:]), ",")
			if len(got) != len(want) {
				t.Fatalf("%q from %d: %d cells, want %d", line, from, len(got), len(want))
			}
			for i, f := range got {
				if string(line[f.start:f.end]) != want[i] || (i == 0 && int(f.start) != from) {
					t.Fatalf("%q cell %d: %q, want %q", line, i, line[f.start:f.end], want[i])
				}
			}
		}
	}
}
