package mapping

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
)

func convertFile(t *testing.T, mappingFile, input string) ([][]string, *Result) {
	t.Helper()
	m, err := Load(mappingFile)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(input)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	res, err := m.Convert(f, "provider.csv", &out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	return rows, res
}

// TestTransfers converts a made-up provider export and checks every written
// row is a valid vigil transfer and every other row is reported with its
// line, column and reason.
func TestTransfers(t *testing.T) {
	rows, res := convertFile(t, "testdata/provider-transfers.yaml", "testdata/provider-transfers.csv")
	want := "transfer_id,timestamp,sender_id,sender_account,beneficiary_name,beneficiary_phone,beneficiary_city,beneficiary_country,amount,currency,channel,provider,purpose"
	if got := strings.Join(rows[0], ","); got != want {
		t.Fatalf("header %s", got)
	}
	if res.Rows != 5 || res.Written != 2 || len(res.Rejected) != 3 {
		t.Fatalf("rows %d written %d rejected %v", res.Rows, res.Written, res.Rejected)
	}
	for _, r := range rows[1:] {
		rec := map[string]string{}
		for i, c := range rows[0] {
			rec[c] = r[i]
		}
		ts, err := time.Parse(time.RFC3339, rec["timestamp"])
		if err != nil {
			t.Fatal(err)
		}
		amt, reason := vigil.ParseAmount(rec["amount"])
		if reason != "" {
			t.Fatal(reason)
		}
		tr := vigil.Transfer{ID: rec["transfer_id"], Timestamp: ts, SenderID: rec["sender_id"], BeneficiaryName: rec["beneficiary_name"],
			BeneficiaryCountry: rec["beneficiary_country"], Amount: amt, Currency: rec["currency"], Channel: vigil.Channel(rec["channel"])}
		if err := tr.Validate(); err != nil {
			t.Errorf("row %v: %v", r, err)
		}
	}
	first := rows[1]
	if first[0] != "R-1001" || first[1] != "2026-10-03T23:41:00+02:00" || first[4] != "Maria Cristina Santos" || first[7] != "PH" || first[8] != "45.50" || first[12] != "Schulgeld" {
		t.Errorf("first row %v", first)
	}
	if second := rows[2]; second[8] != "1200" || second[12] != "Miete; Oktober" || second[1] != "2026-10-06T01:05:00+02:00" {
		t.Errorf("second row %v", second)
	}
	wantErr := []string{
		`provider.csv:6:43: beneficiary_country: "Atlantis" is not in the mapping's values table`,
		`provider.csv:7:8: timestamp: "31.02.2026 12:00" does not match the layout 02.01.2006 15:04`,
		`provider.csv:8:`,
	}
	for i, w := range wantErr {
		if !strings.HasPrefix(res.Rejected[i].Error(), w) {
			t.Errorf("reject %d: %v, want %s…", i, res.Rejected[i], w)
		}
	}
	if !strings.Contains(res.Rejected[2].Error(), "amount: amount \"-5,00\": negative amount") {
		t.Errorf("negative amount: %v", res.Rejected[2])
	}
}

func TestParties(t *testing.T) {
	rows, res := convertFile(t, "testdata/provider-parties.yaml", "testdata/provider-parties.csv")
	if res.Written != 2 || len(res.Rejected) != 0 {
		t.Fatalf("%+v", res)
	}
	if strings.Join(rows[0], ",") != "party_id,kind,full_name,birth_date,gender,country" {
		t.Errorf("header %v", rows[0])
	}
	if strings.Join(rows[1], "|") != "K-17|person|Jan Müller|1971-04-09|M|DE" || strings.Join(rows[2], "|") != "K-18|person|Eva Maria Schmidt|1980|F|AT" {
		t.Errorf("rows %v", rows[1:])
	}
}

func TestBadMappings(t *testing.T) {
	cases := map[string]string{
		"kind: payments\n": "kind must be",
		"kind: parties\ncolumns: {party_id: {from: a}, full_name: {from: b}, shoe_size: {value: 9}}\n": `"shoe_size" is not a column of parties.csv`,
		"kind: parties\ncolumns: {party_id: {from: a}}\n":                                              "needs a rule for full_name",
		"kind: parties\ncolumns: {party_id: {from: a, value: x}, full_name: {from: b}}\n":              "exclude each other",
		"kind: parties\ncolumns: {party_id: {from: a}, full_name: {from: b, layout: x}}\n":             "layout applies",
		"kind: parties\ndelimiter: ab\ncolumns: {party_id: {from: a}, full_name: {from: b}}\n":         "delimiter",
		"kind: parties\ntimezone: Mars/Base\ncolumns: {party_id: {from: a}, full_name: {from: b}}\n":   "timezone",
		"kind: parties\ncolums: {}\n": "field colums not found",
	}
	for y, want := range cases {
		if _, err := Parse([]byte(y), "m.yaml"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: want %q, got %v", y, want, err)
		}
	}
	m, _ := Parse([]byte("kind: parties\ncolumns: {party_id: {from: id}, full_name: {from: name}}\n"), "m.yaml")
	for in, want := range map[string]string{
		"":                      "provider.csv:1:1: the file is empty",
		"id,nom\n1,x\n":         `source column "name" (for full_name) is not in the header`,
		"id,id\n":               `column "id" appears twice`,
		"id,name\n1,\"broken\n": "provider.csv:2:",
	} {
		_, err := m.Convert(strings.NewReader(in), "provider.csv", &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), want) || vigil.ErrorCode(err) != vigil.EINVALID {
			t.Errorf("%q: want %q, got %v", in, want, err)
		}
	}
}

func TestDatePrecision(t *testing.T) {
	for l, want := range map[string]string{"2006": "2006", "01/2006": "2006-01", "Jan 2006": "2006-01", "02.01.2006": "2006-01-02", "2.1.06": "2006-01-02", "20060102": "2006-01-02"} {
		if got := datePrecision(l); got != want {
			t.Errorf("datePrecision(%q) = %q, want %q", l, got, want)
		}
	}
}

func TestRequiredEmpty(t *testing.T) {
	m, _ := Parse([]byte("kind: parties\ncolumns: {party_id: {from: id}, full_name: {from: name}}\n"), "m.yaml")
	res, err := m.Convert(strings.NewReader("id,name\n1,Ana\n2,\n3\n"), "p.csv", &bytes.Buffer{})
	if err != nil || res.Written != 1 || len(res.Rejected) != 2 || res.Rejected[0].Error() != "p.csv:3:3: full_name: required, but the source is empty" {
		t.Fatalf("%v %+v %v", err, res, res.Rejected)
	}
}
