package goaml

import (
	"strings"
	"testing"
)

func TestReadIdentifications(t *testing.T) {
	docs, err := ReadIdentifications(strings.NewReader("party_id,kind,number,issue_date,expiry_date,issue_country\nP-1,passport,X1,2019-05-01,2029-04-30,NL\nP-1,national_id,N2,2020-01-01,2030-01-01,NL\n"), "docs.csv")
	if err != nil || len(docs["P-1"]) != 2 || docs["P-1"][0].Number != "X1" || docs["P-1"][1].ExpiryDate.Year() != 2030 {
		t.Fatalf("%v %+v", err, docs)
	}
	for in, want := range map[string]string{
		"":                  "docs.csv:1:1: empty file",
		"party_id,number\n": "lacks kind",
		"party_id,kind,number,issue_date,expiry_date,issue_country\nP,passport,X,2019-13-01,2029-01-01,NL\n": "docs.csv:2:14: issue_date: not a date",
		"party_id,kind,number,issue_date,expiry_date,issue_country\nP,passport,X,2019-01-01,2029-01-01,XX\n": "issue_country",
		"party_id,kind,number,issue_date,expiry_date,issue_country\nP,passport,X\n":                          "docs.csv:2:",
	} {
		if _, err := ReadIdentifications(strings.NewReader(in), "docs.csv"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: want %q, got %v", in, want, err)
		}
	}
}

func FuzzIdentifications(f *testing.F) {
	f.Fuzz(func(t *testing.T, in string) {
		docs, err := ReadIdentifications(strings.NewReader(in), "f.csv")
		if err != nil {
			if !strings.Contains(err.Error(), "f.csv") {
				t.Fatalf("error without file: %v", err)
			}
			return
		}
		for id, ds := range docs {
			for _, d := range ds {
				if id == "" || d.Number == "" || d.IssueDate.IsZero() || d.ExpiryDate.IsZero() {
					t.Fatalf("incomplete document accepted: %+v", d)
				}
			}
		}
	})
}
