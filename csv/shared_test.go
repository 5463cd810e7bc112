package csv

import (
	"bytes"
	"io"
	"testing"
	"unsafe"

	"github.com/vigilfiu/vigil"
)

// FuzzTransferReadShared reads the same input with Read and with
// ReadShared (the shared buffer emptied every three rows, as a caller
// recycling its buffers does) and checks that both give the same rows,
// sources and errors, and that the views of a run stay unchanged until
// the buffer is emptied.
func FuzzTransferReadShared(f *testing.F) {
	f.Add([]byte(transferHeader+
		"T1,2024-03-01T22:15:00+10:00,P1,Maria Cristina Santos,+639171234567,PH,50,AUD,remittance,school fees\n"+
		"T2,2024-03-02T01:05:30.25Z,P1,\"SANTOS, MARIA\",0917 123 4567,ph,49.90,eur,Wallet,\"medical \"\"x\"\"\ny\"\n"+
		"T3,2024-03-03T04:00:00-05:30,P2,Juan,,PH,-5,USD,,\n"+
		"T4,2024-03-03T04:00:00-05:30,P2,Juan,,PH,5,USD,,\nT5,x\n"+
		"T6,2024-03-04T04:00:00-05:30,P3,Ana,,PH,7,USD,,\n"), false)
	f.Add([]byte("transfer_id,timestamp,sender_id,beneficiary_id,beneficiary_country,amount,currency,note\r\nT1,2024-03-01T22:15:00+08:00,P1,P2,PH,0.000001,PHP,x\r\nT2,2024-03-01 22:15,P1,P2,PH,1,PHP,\r\n"), true)
	f.Add([]byte(transferHeader+"T1,2024-02-29T23:59:59.999999999+14:00,P1,Mu\xF1oz,,PH,1e3,AUD,,\nT2,2024-03-01T22:15:00+10:00,P1,\"unterminated"), false)
	f.Fuzz(func(t *testing.T, data []byte, extra bool) {
		opt := Options{AllowExtra: extra}
		plain, err1 := NewTransferReader(bytes.NewReader(data), "t.csv", opt)
		shared, err2 := NewTransferReader(bytes.NewReader(data), "t.csv", opt)
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("header: %v / %v", err1, err2)
		}
		if err1 != nil {
			return
		}
		var buf []byte
		var run, copies []vigil.Transfer
		check := func() {
			for i := range run {
				if run[i] != copies[i] {
					t.Fatalf("row %d changed before the buffer was emptied: %+v, was %+v", i, run[i], copies[i])
				}
			}
		}
		for n := 0; n <= len(data)+1; n++ {
			var a, b vigil.Transfer
			ea := plain.Read(&a)
			eb := shared.ReadShared(&b, &buf)
			if (ea == nil) != (eb == nil) || ea != nil && ea.Error() != eb.Error() {
				t.Fatalf("row %d: Read %v, ReadShared %v", n, ea, eb)
			}
			if ea == io.EOF {
				check()
				return
			}
			if ea != nil {
				continue
			}
			if !transferKind.same(&a, &b) || a.Source != b.Source {
				t.Fatalf("row %d: Read %+v, ReadShared %+v", n, a, b)
			}
			c := b
			c.ID, c.SenderID, c.BeneficiaryName, c.Purpose, c.Source = string([]byte(b.ID)), string([]byte(b.SenderID)),
				string([]byte(b.BeneficiaryName)), string([]byte(b.Purpose)), string([]byte(b.Source))
			run, copies = append(run, b), append(copies, c)
			if len(run) == 3 {
				check()
				run, copies, buf = run[:0], copies[:0], buf[:0]
			}
		}
		t.Fatal("the reader does not advance")
	})
}

// TestReadSharedGrowsOnce reads batches of rows with ReadShared into
// buffers that start empty, as graph.Builder.Feed and detect.Engine.Feed
// do with each new batch: after the first, a buffer is made once, at the
// size the first one needed, instead of growing a quarter at a time; and
// every row stays what Read gives.
func TestReadSharedGrowsOnce(t *testing.T) {
	const batch = 1000
	data := sampleTransfersCSV(t, 3*batch)
	plain, err := NewTransferReader(bytes.NewReader(data), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	shared, err := NewTransferReader(bytes.NewReader(data), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for b := range 3 {
		var buf []byte
		arrays := 0
		var last *byte
		for range batch {
			var x, y vigil.Transfer
			if err := plain.Read(&x); err != nil {
				t.Fatal(err)
			}
			if err := shared.ReadShared(&y, &buf); err != nil {
				t.Fatal(err)
			}
			if !transferKind.same(&x, &y) || x.Source != y.Source {
				t.Fatalf("batch %d: Read %+v, ReadShared %+v", b, x, y)
			}
			if p := unsafe.SliceData(buf); p != last {
				arrays, last = arrays+1, p
			}
		}
		if b > 0 && arrays != 1 {
			t.Errorf("batch %d: the buffer was made %d times (len %d, cap %d)", b, arrays, len(buf), cap(buf))
		}
		if b == 0 && arrays > 8 {
			t.Errorf("first batch: the buffer was made %d times for %d bytes", arrays, len(buf))
		}
	}
}

// FuzzPartyReadShared is FuzzTransferReadShared for parties (vigil scan
// reads the parties file with ReadShared, its buffer emptied every batch).
func FuzzPartyReadShared(f *testing.F) {
	f.Add([]byte("party_id,full_name,kind,birth_date,gender,nationality,country,city,phone,email\nP1,John Smith,,1961-05,m,au,AU,Perth,0412 345 678,j@example.org\nP2,\"Acme, \"\"Pty\"\"\nLtd\",organisation,,,,AU,,,\nP3,,,,,,,,,\nP4,Ana Reyes,person,1990-02-30,F,PH,PH,Cebu,,\nP5,x\n"), false)
	f.Add([]byte("\xEF\xBB\xBFparty_id,full_name\r\nP1,Jane\r\nP2,Pe\xF1a\r\nP3,\"cut"), false)
	f.Add([]byte("full_name,party_id,extra\nJane,P1,x\n,P2,y\nJane,P3\n"), true)
	f.Add([]byte("party_id,kind,full_name,birth_date,gender,nationality,country,city,address,postcode,phone,email,id_number\nP1,person,Maria Santos,1988-04-12,F,PH,AU,Sydney,1 Main St,2000,+61 412 345 678,m@example.org,X123\nP2,organisation,\"Acme, Pty\",,,,AU,,,,,,\nP3,person,Jo,1988-13-01,F,PH,AU,,,,,,\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, extra bool) {
		opt := Options{AllowExtra: extra}
		plain, err1 := NewPartyReader(bytes.NewReader(data), "p.csv", opt)
		shared, err2 := NewPartyReader(bytes.NewReader(data), "p.csv", opt)
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("header: %v / %v", err1, err2)
		}
		if err1 != nil {
			return
		}
		var buf []byte
		var run, copies []vigil.Party
		check := func() {
			for i := range run {
				if run[i] != copies[i] {
					t.Fatalf("row %d changed before the buffer was emptied: %+v, was %+v", i, run[i], copies[i])
				}
			}
		}
		for n := 0; n <= len(data)+1; n++ {
			var a, b vigil.Party
			ea := plain.Read(&a)
			eb := shared.ReadShared(&b, &buf)
			if (ea == nil) != (eb == nil) || ea != nil && ea.Error() != eb.Error() {
				t.Fatalf("row %d: Read %v, ReadShared %v", n, ea, eb)
			}
			if plain.Offset() != shared.Offset() {
				t.Fatalf("row %d: offset %d after Read, %d after ReadShared", n, plain.Offset(), shared.Offset())
			}
			if ea == io.EOF {
				check()
				return
			}
			if ea != nil {
				continue
			}
			if !partyKind.same(&a, &b) || a.Source != b.Source {
				t.Fatalf("row %d: Read %+v, ReadShared %+v", n, a, b)
			}
			c := b
			c.ID, c.FullName, c.City, c.Address, c.Postcode, c.Phone, c.Email, c.IDNumber, c.Source =
				string([]byte(b.ID)), string([]byte(b.FullName)), string([]byte(b.City)), string([]byte(b.Address)),
				string([]byte(b.Postcode)), string([]byte(b.Phone)), string([]byte(b.Email)), string([]byte(b.IDNumber)), string([]byte(b.Source))
			run, copies = append(run, b), append(copies, c)
			if len(run) == 3 {
				check()
				run, copies, buf = run[:0], copies[:0], buf[:0]
			}
		}
		t.Fatal("the reader does not advance")
	})
}

// TestOffsetCountsRows: Offset is the bytes the rows read so far took,
// header included, so that a whole file read gives the file's size.
func TestOffsetCountsRows(t *testing.T) {
	data := []byte("party_id,full_name\nP1,Jane\nP2,\"Pe, Ana\"\n")
	r, err := NewPartyReader(bytes.NewReader(data), "p.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var p vigil.Party
	var buf []byte
	if err := r.ReadShared(&p, &buf); err != nil || r.Offset() != int64(len("party_id,full_name\nP1,Jane\n")) {
		t.Fatalf("after the first row: %v, offset %d", err, r.Offset())
	}
	for r.ReadShared(&p, &buf) == nil {
	}
	if r.Offset() != int64(len(data)) {
		t.Fatalf("at the end: offset %d, want %d", r.Offset(), len(data))
	}
}
