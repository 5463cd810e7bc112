package iso20022

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

// sharedDir is the shared ISO 20022 material (XSDs and public samples),
// relative to this package: /work/shared when the repository is /work/main.
const sharedDir = "../../shared/formats/iso20022"

func needShared(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skipf("shared ISO 20022 samples not found at %s (they live beside the repository); skipping", sharedDir)
	}
}

// xmllint returns the path of xmllint. Without it the test is skipped, unless
// CI=true, where its absence is a failure (CI installs libxml2-utils).
func xmllint(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found but CI=true: install libxml2-utils")
		}
		t.Skip("xmllint (libxml2-utils) not installed; XSD validation skipped")
	}
	return p
}

// validXSD reports whether xmllint finds file valid against xsd.
func validXSD(t testing.TB, lint, xsd, file string) (bool, string) {
	out, err := exec.Command(lint, "--noout", "--nonet", "--schema", xsd, file).CombinedOutput()
	return err == nil, string(out)
}

type result struct {
	transfers []*vigil.Transfer
	parties   []*vigil.Party
	rejected  []*RecordError
	msg       Message
}

func readAll(t testing.TB, r io.Reader, name string) (result, error) {
	t.Helper()
	rd := NewReader(r, name)
	var res result
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			res.msg = rd.Message()
			return res, nil
		}
		var re *RecordError
		if errors.As(err, &re) {
			res.rejected = append(res.rejected, re)
			continue
		}
		if err != nil {
			return res, err
		}
		switch rec.Kind {
		case KindParty:
			res.parties = append(res.parties, rec.Party)
		case KindTransfer:
			res.transfers = append(res.transfers, rec.Transfer)
		default:
			t.Fatalf("record of kind %d", rec.Kind)
		}
	}
}

func readFile(t testing.TB, path string) (result, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readAll(t, f, filepath.Base(path))
}

// TestSharedSamples reads every public sample: each one xmllint finds valid
// against its XSD must import without a fatal error, every transfer and party
// must satisfy vigil's invariants, each sender must come with its party, and
// each transaction must either become a transfer or be reported. Each one
// that is invalid must be refused.
func TestSharedSamples(t *testing.T) {
	needShared(t)
	lint := xmllint(t)
	files, err := filepath.Glob(filepath.Join(sharedDir, "samples", "*", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	var valid, invalid, transfers int
	for _, f := range files {
		base := filepath.Base(f)
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ns := namespaceOf(string(raw))
		msg, ok := detect(ns)
		ok = ok && strings.HasPrefix(ns, "urn:iso:std:iso:20022:tech:xsd:")
		xsd := filepath.Join(sharedDir, "xsd", msg.String()+".xsd")
		if _, err := os.Stat(xsd); !ok || err != nil {
			continue // no schema here: TestNoSchemaSamples covers these
		}
		isValid, out := validXSD(t, lint, xsd, f)
		res, err := readFile(t, f)
		if !isValid {
			invalid++
			if err == nil {
				t.Errorf("%s: invalid against %s (%s) but imported", base, filepath.Base(xsd), strings.TrimSpace(out))
			}
			continue
		}
		valid++
		if err != nil {
			t.Errorf("%s: valid against its XSD but refused: %v", base, err)
			continue
		}
		if res.msg != msg {
			t.Errorf("%s: detected %v, namespace says %v", base, res.msg, msg)
		}
		transfers += len(res.transfers)
		checkInvariants(t, base, res)
		want := strings.Count(string(raw), "<TxDtls>") + strings.Count(string(raw), "<CdtTrfTxInf>")
		if strings.HasPrefix(msg.Type, "camt") {
			// an entry without transaction details is one transfer
			want = countEntries(string(raw))
		}
		if got := len(res.transfers) + len(res.rejected); got != want {
			t.Errorf("%s: %d transfers + %d reported = %d, want %d transactions", base, len(res.transfers), len(res.rejected), got, want)
		}
	}
	t.Logf("%d valid samples imported (%d transfers), %d invalid refused", valid, transfers, invalid)
	if valid == 0 || invalid != 1 {
		t.Errorf("expected valid samples and the 1 invalid one of SOURCES.md, got %d valid, %d invalid", valid, invalid)
	}
}

// countEntries counts transactions in a camt document: each entry counts its
// transaction details, or one when it has none.
func countEntries(s string) int {
	n := 0
	for _, e := range strings.Split(s, "<Ntry>")[1:] {
		e, _, _ = strings.Cut(e, "</Ntry>")
		if k := strings.Count(e, "<TxDtls>"); k > 0 {
			n += k
		} else {
			n++
		}
	}
	return n
}

func namespaceOf(s string) string {
	_, after, ok := strings.Cut(s, `xmlns="`)
	if !ok {
		return ""
	}
	ns, _, _ := strings.Cut(after, `"`)
	return ns
}

func checkInvariants(t *testing.T, name string, res result) {
	t.Helper()
	parties := map[string]bool{}
	for _, p := range res.parties {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: party %v", name, err)
		}
		if parties[p.ID] {
			t.Errorf("%s: party %s returned twice", name, p.ID)
		}
		parties[p.ID] = true
	}
	for _, tr := range res.transfers {
		if err := tr.Validate(); err != nil {
			t.Errorf("%s: transfer %v", name, err)
		}
		if !parties[tr.SenderID] {
			t.Errorf("%s: transfer %s: sender %s came without its party", name, tr.ID, tr.SenderID)
		}
		if !strings.HasPrefix(tr.Source, name+":") {
			t.Errorf("%s: transfer %s: source %q", name, tr.ID, tr.Source)
		}
	}
}

func TestRefusesInvalidSample(t *testing.T) {
	needShared(t)
	_, err := readFile(t, filepath.Join(sharedDir, "samples/genkgo-camt/camt053.v2.wrong.xml"))
	if err == nil || vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), "camt053.v2.wrong.xml:") ||
		!strings.Contains(err.Error(), "holds no <Stmt>") {
		t.Fatalf("want an EINVALID error naming the file and the missing <Stmt>, got %v", err)
	}
}

// TestNoSchemaSamples: the SIX Swiss variant of pain.001.001.03 is read by its
// embedded identifier; a Document without namespace is refused.
func TestNoSchemaSamples(t *testing.T) {
	needShared(t)
	res, err := readFile(t, filepath.Join(sharedDir, "samples/moov-iso20022/musterfile_pain.001_Nov2020.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if res.msg.String() != "pain.001.001.03" || len(res.transfers) == 0 {
		t.Errorf("SIX pain.001: message %v, %d transfers", res.msg, len(res.transfers))
	}
	checkInvariants(t, "musterfile_pain.001_Nov2020.xml", res)
	_, err = readFile(t, filepath.Join(sharedDir, "samples/moov-iso20022/invalid_pain_v11.xml"))
	if err == nil || !strings.Contains(err.Error(), "no namespace") {
		t.Errorf("Document without namespace: got %v", err)
	}
}

// TestVersions reads the synthetic messages in testdata, one per supported
// pacs.008 and pain.001 version; each is first checked valid against the
// official XSD, then its fields are compared with what was written.
func TestVersions(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.xml")
	if len(files) != 8 {
		t.Fatalf("want 8 version files in testdata, found %d", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".xml")
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(sharedDir); err == nil {
				lint := xmllint(t)
				if ok, out := validXSD(t, lint, filepath.Join(sharedDir, "xsd", name+".xsd"), f); !ok {
					t.Fatalf("testdata invalid against its XSD: %s", out)
				}
			}
			res, err := readFile(t, f)
			if err != nil {
				t.Fatal(err)
			}
			if res.msg.String() != name {
				t.Fatalf("detected %v", res.msg)
			}
			checkInvariants(t, filepath.Base(f), res)
			if len(res.parties) != 1 {
				t.Fatalf("%d parties", len(res.parties))
			}
			p := res.parties[0]
			if p.ID != "NL91ABNA0417164300" || p.FullName != "Jan Example" || p.Country != "NL" || p.Kind != vigil.PartyPerson {
				t.Errorf("party %+v", p)
			}
			tr := res.transfers[0]
			if tr.SenderID != p.ID || tr.SenderAccount != p.ID || tr.BeneficiaryName != "Maria Santos" ||
				tr.BeneficiaryAccount != "001234567890" || tr.BeneficiaryCountry != "PH" || tr.Provider != "ABNANL2A" ||
				tr.Channel != vigil.ChannelBank || tr.Currency != "EUR" {
				t.Errorf("transfer %+v", tr)
			}
			if strings.HasPrefix(name, "pacs") {
				want := time.Date(2026, 11, 1, 23, 5, 0, 0, time.FixedZone("", 3600))
				if len(res.transfers) != 1 || tr.ID != "E2E-1" || tr.Amount != vigil.NewAmount(45, 500000) ||
					!tr.Timestamp.Equal(want) || tr.Purpose != "school fees" || tr.BeneficiaryCity != "Cebu" {
					t.Errorf("pacs.008 transfer %+v", tr)
				}
				return
			}
			if len(res.transfers) != 2 || tr.ID != "E2E-P1" || tr.Amount != vigil.NewAmount(30, 0) || tr.Purpose != "medical" {
				t.Errorf("pain.001 transfer %+v", tr)
			}
			wantTime := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
			if name != "pain.001.001.03" {
				wantTime = time.Date(2026, 11, 2, 8, 30, 0, 0, time.FixedZone("", 3600))
			}
			if !tr.Timestamp.Equal(wantTime) {
				t.Errorf("timestamp %v, want %v", tr.Timestamp, wantTime)
			}
			// NOTPROVIDED end-to-end id: the fallback is the message id and
			// the transaction's position; the creditor's address country (PH)
			// wins over its IBAN's (DE).
			t2 := res.transfers[1]
			if t2.ID != "MSG-P1/2" || t2.Amount != vigil.NewAmount(75, 250000) || t2.BeneficiaryCountry != "PH" ||
				t2.BeneficiaryAccount != "DE89370400440532013000" || t2.SenderID != p.ID {
				t.Errorf("second pain.001 transfer %+v", t2)
			}
		})
	}
}

func TestSampleFields(t *testing.T) {
	needShared(t)
	// pacs.008.001.08 (Fedwire): clearing member id as provider, structured
	// remittance reference as purpose, date-only settlement at UTC midnight.
	res, err := readFile(t, filepath.Join(sharedDir, "samples/fedwire-wire20022/CustomerCreditTransfer_Variation3_pacs.008.xml"))
	if err != nil {
		t.Fatal(err)
	}
	tr := res.transfers[0]
	if tr.ID != "Variation3EtoEId001" || tr.Amount != vigil.NewAmount(510000, 740000) || tr.Currency != "USD" ||
		tr.SenderID != "5647772655" || res.parties[0].FullName != "Corporation A" || tr.BeneficiaryName != "Corporation B" ||
		tr.BeneficiaryAccount != "567876543" || tr.BeneficiaryCountry != "US" || tr.Provider != "011104238" ||
		tr.Purpose != "INV34563" || !tr.Timestamp.Equal(time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("pacs.008 Variation3: %+v", tr)
	}
	// camt.053.001.02 credit with a private debtor: the debtor's IBAN is the
	// sender, with birth date and national id; the owner of the statement's
	// account is the creditor.
	res, err = readFile(t, filepath.Join(sharedDir, "samples/genkgo-camt/camt053.v2.with-party-ids.xml"))
	if err != nil {
		t.Fatal(err)
	}
	p, tr := res.parties[0], res.transfers[0]
	if p.ID != "NL56AGDH9619008421" || p.FullName != "NAME NAME" || p.BirthDate.String() != "1912-12-12" ||
		p.IDNumber != "19121212-1212" || p.Country != "NL" || p.Address != "ADDR ADDR 10, 2000 ANTWERPEN" {
		t.Errorf("camt.053 debtor %+v", p)
	}
	if tr.Amount != vigil.NewAmount(8, 850000) || tr.Currency != "EUR" || tr.BeneficiaryName != "Company Name" ||
		tr.Purpose != "4654654654654654" || !tr.Timestamp.Equal(time.Date(2014, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("camt.053 transfer %+v", tr)
	}
	// camt.054.001.08 wraps parties in <Pty> and carries BICFI agents.
	res, err = readFile(t, filepath.Join(sharedDir, "samples/genkgo-camt/camt054.v8.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.transfers) != 3 || res.transfers[0].ID != "UXC06170000006PI00001EE00001" || res.transfers[0].BeneficiaryName == "" ||
		res.transfers[0].Purpose != "Unstructured Remittance Information V1" {
		t.Errorf("camt.054 v8: %d transfers, first %+v", len(res.transfers), res.transfers[0])
	}
}

// TestRefusals: hostile or broken documents end with a clear fatal error.
func TestRefusals(t *testing.T) {
	ns := `xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"`
	deep := "<Document " + ns + "><BkToCstmrStmt>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</BkToCstmrStmt></Document>"
	cases := []struct{ name, doc, want string }{
		{"doctype", `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document ` + ns + `/>`, "DOCTYPE"},
		{"entity", `<Document ` + ns + `><BkToCstmrStmt><GrpHdr><MsgId>&x;</MsgId></GrpHdr></BkToCstmrStmt></Document>`, "XML syntax error"},
		{"deep", deep, "nested deeper than 64"},
		{"huge text", `<Document ` + ns + `><BkToCstmrStmt><GrpHdr><MsgId>` + strings.Repeat("A", 2<<20) + `</MsgId></GrpHdr></BkToCstmrStmt></Document>`, "longer than"},
		{"huge comment", `<Document ` + ns + `><!--` + strings.Repeat("<", 2<<20) + `--></Document>`, "longer than"},
		{"unknown version", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.13"/>`, "not a version vigil reads"},
		{"other message", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10"/>`, "not a version vigil reads"},
		{"foreign", `<Document xmlns="urn:example"/>`, "not an ISO 20022 message"},
		{"wrong root", `<Document ` + ns + `><FIToFICstmrCdtTrf/></Document>`, "expected <BkToCstmrStmt>"},
		{"truncated", `<Document ` + ns + `><BkToCstmrStmt><Stmt>`, "XML syntax error"},
		{"empty", ``, "no ISO 20022 Document"},
		{"latin1", `<?xml version="1.0" encoding="ISO-8859-1"?><Document ` + ns + `/>`, "UTF-8 documents only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := readAll(t, strings.NewReader(c.doc), "hostile.xml")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "hostile.xml:") {
				t.Fatalf("want error containing %q naming the file, got %v (%d transfers)", c.want, err, len(res.transfers))
			}
			if vigil.ErrorCode(err) != vigil.EINVALID {
				t.Errorf("code %s", vigil.ErrorCode(err))
			}
		})
	}
}

func TestFatalErrorRepeats(t *testing.T) {
	rd := NewReader(strings.NewReader(`<Document xmlns="urn:x"/>`), "x.xml")
	_, err1 := rd.Next()
	_, err2 := rd.Next()
	if err1 == nil || err1 != err2 {
		t.Fatalf("a fatal error must repeat, got %v then %v", err1, err2)
	}
}

// TestCRLineEnds: a document whose lines end with a lone '\r' (allowed by
// XML, used by old Mac tools) gets the right line numbers in provenance.
func TestCRLineEnds(t *testing.T) {
	b, err := os.ReadFile("testdata/pain.001.001.03.xml")
	if err != nil {
		t.Fatal(err)
	}
	lf, err := readAll(t, strings.NewReader(string(b)), "lf.xml")
	if err != nil {
		t.Fatal(err)
	}
	cr, err := readAll(t, strings.NewReader(strings.ReplaceAll(string(b), "\n", "\r")), "cr.xml")
	if err != nil {
		t.Fatal(err)
	}
	crlf, err := readAll(t, strings.NewReader(strings.ReplaceAll(string(b), "\n", "\r\n")), "crlf.xml")
	if err != nil {
		t.Fatal(err)
	}
	for i := range lf.transfers {
		l := strings.TrimPrefix(lf.transfers[i].Source, "lf.xml:")
		if l == "1" || strings.TrimPrefix(cr.transfers[i].Source, "cr.xml:") != l || strings.TrimPrefix(crlf.transfers[i].Source, "crlf.xml:") != l {
			t.Errorf("transfer %d: lines %s, %s, %s", i, lf.transfers[i].Source, cr.transfers[i].Source, crlf.transfers[i].Source)
		}
	}
}
