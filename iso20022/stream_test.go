package iso20022

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// writeStatement writes a camt.053.001.02 statement of n entries, alternately
// debits to creditors in the Philippines and credits from named debtors, with
// 500 distinct counterparties. It is valid against the XSD (TestGeneratedValid).
func writeStatement(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt>
<GrpHdr><MsgId>GEN-STMT</MsgId><CreDtTm>2026-11-29T00:00:00Z</CreDtTm></GrpHdr>
<Stmt><Id>GEN-1</Id><CreDtTm>2026-11-29T00:00:00Z</CreDtTm>
<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ownr><Nm>Jan Example</Nm></Ownr><Svcr><FinInstnId><BIC>ABNANL2A</BIC></FinInstnId></Svcr></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-01</Dt></Dt></Bal>
`)
	var buf []byte
	for i := 0; i < n; i++ {
		k := i % 500
		buf = buf[:0]
		buf = append(buf, "<Ntry><Amt Ccy=\"EUR\">"...)
		buf = strconv.AppendInt(buf, int64(15+i%185), 10)
		buf = append(buf, ".00</Amt><CdtDbtInd>"...)
		if i%2 == 0 {
			buf = append(buf, "DBIT"...)
		} else {
			buf = append(buf, "CRDT"...)
		}
		buf = append(buf, "</CdtDbtInd><Sts>BOOK</Sts><BookgDt><DtTm>2026-11-01T22:"...)
		buf = append(buf, fmt.Sprintf("%02d:%02d", i/60%60, i%60)...)
		buf = append(buf, "+01:00</DtTm></BookgDt><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>XBCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>E2E-"...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, "</EndToEndId></Refs><RltdPties>"...)
		if i%2 == 0 {
			buf = append(buf, "<Cdtr><Nm>Recipient "...)
			buf = strconv.AppendInt(buf, int64(k), 10)
			buf = append(buf, "</Nm><PstlAdr><TwnNm>Cebu</TwnNm><Ctry>PH</Ctry></PstlAdr></Cdtr><CdtrAcct><Id><Othr><Id>PH-"...)
		} else {
			buf = append(buf, "<Dbtr><Nm>Sender "...)
			buf = strconv.AppendInt(buf, int64(k), 10)
			buf = append(buf, "</Nm><PstlAdr><Ctry>DE</Ctry></PstlAdr></Dbtr><DbtrAcct><Id><Othr><Id>DE-"...)
		}
		buf = strconv.AppendInt(buf, int64(k), 10)
		if i%2 == 0 {
			buf = append(buf, "</Id></Othr></Id></CdtrAcct>"...)
		} else {
			buf = append(buf, "</Id></Othr></Id></DbtrAcct>"...)
		}
		buf = append(buf, "</RltdPties><RmtInf><Ustrd>school fees</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n"...)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	bw.WriteString("</Stmt></BkToCstmrStmt></Document>\n")
	return bw.Flush()
}

// entryBytes is the size of one generated entry, near enough for sizing.
const entryBytes = 520

func TestGeneratedValid(t *testing.T) {
	needShared(t)
	lint := xmllint(t)
	f := filepath.Join(t.TempDir(), "gen.xml")
	w, _ := os.Create(f)
	if err := writeStatement(w, 20); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if ok, out := validXSD(t, lint, filepath.Join(sharedDir, "xsd/camt.053.001.02.xsd"), f); !ok {
		t.Fatal(out)
	}
}

// TestStreamBoundedMemory reads a 50 MB statement produced on the fly and
// checks that the live heap stays a small constant while it does: memory
// does not grow with the document, so a 1 GB statement needs no more (the
// benchmark and bench/formats measure larger runs).
func TestStreamBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB stream skipped in -short mode")
	}
	const size = 50 << 20
	n := size / entryBytes
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeStatement(pw, n)) }()
	cr := &countingReader{r: pr}
	rd := NewReader(cr, "gen.xml")
	var ms runtime.MemStats
	var peak uint64
	transfers, parties := 0, 0
	for i := 0; ; i++ {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Kind == KindTransfer {
			transfers++
		} else {
			parties++
		}
		if i%20000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	t.Logf("%d bytes, %d transfers, %d parties, peak live heap %d KiB", cr.n, transfers, parties, peak>>10)
	if transfers != n || parties != 251 { // 250 named debtors + the statement owner
		t.Errorf("got %d transfers and %d parties, want %d and 251", transfers, parties, n)
	}
	if cr.n < size*9/10 {
		t.Errorf("generated only %d bytes", cr.n)
	}
	if peak > 8<<20 {
		t.Errorf("live heap reached %d MiB while streaming %d MiB", peak>>20, cr.n>>20)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// BenchmarkCamt053 reads a generated statement of 20000 entries (about 12 MB).
func BenchmarkCamt053(b *testing.B) {
	f := filepath.Join(b.TempDir(), "gen.xml")
	w, _ := os.Create(f)
	if err := writeStatement(w, 20000); err != nil {
		b.Fatal(err)
	}
	w.Close()
	st, _ := os.Stat(f)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		fh, _ := os.Open(f)
		rd := NewReader(fh, "gen.xml")
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		fh.Close()
	}
}
