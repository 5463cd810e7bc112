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
