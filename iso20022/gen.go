package iso20022

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// WriteSyntheticStatement writes a synthetic camt.053.001.02 statement of n
// entries (about 520 bytes each) for tests and benchmarks of streaming:
// alternately debits to creditors in the Philippines and credits from named
// debtors, with 500 distinct counterparties. It is valid against the XSD
// (TestGeneratedValid).
func WriteSyntheticStatement(w io.Writer, n int) error {
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
