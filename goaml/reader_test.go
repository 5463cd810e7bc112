package goaml

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
)

// TestImportUAESamples: the UAE reports shipped in the shared folder are
// valid against the patched XSD and import, with the report id as
// provenance and every record valid.
func TestImportUAESamples(t *testing.T) {
	needShared(t)
	needXmllint(t)
	xsd := filepath.Join(sharedDir, schemaOf["uae-5.0.2"])
	files, _ := filepath.Glob(filepath.Join(sharedDir, "uae-fiu-5.0.2_Vyttah", "*", "*.xml"))
	if len(files) == 0 {
		t.Fatal("no UAE samples")
	}
	for _, f := range files {
		im, err := ImportFile(context.Background(), f, xsd)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if len(im.Rejected) > 0 || len(im.Parties) == 0 {
			t.Errorf("%s: %d parties, rejected %v", filepath.Base(f), len(im.Parties), im.Rejected)
		}
		for _, p := range im.Parties {
			if err := p.Validate(); err != nil || !strings.Contains(p.Source, im.Header.ID()) {
				t.Errorf("%s: party %+v: %v", filepath.Base(f), p, err)
			}
		}
		for _, tr := range im.Transfers {
			if err := tr.Validate(); err != nil || !strings.Contains(tr.Source, im.Header.ID()) {
				t.Errorf("%s: transfer %+v: %v", filepath.Base(f), tr, err)
			}
		}
	}
	im, err := ImportFile(context.Background(), filepath.Join(sharedDir, "uae-fiu-5.0.2_Vyttah/generated-golden/STR.xml"), xsd)
	if err != nil {
		t.Fatal(err)
	}
	tr, p := im.Transfers[0], im.Parties[0]
	if im.Header.ReportCode != "STR" || tr.ID != "TXN-987654" || tr.Amount != vigil.NewAmount(120000, 0) || tr.Currency != "AED" ||
		tr.SenderID != p.ID || p.FullName != "Layla Hassan" || p.BirthDate.String() != "1989-07-02" || p.Phone != "+971 509998877" ||
		tr.BeneficiaryName != "John Smith" || tr.BeneficiaryCountry != "GB" || tr.Source != "goAML STR STR-2026-0042 STR.xml:46" {
		t.Errorf("STR: %+v %+v", tr, p)
	}
	im, _ = ImportFile(context.Background(), filepath.Join(sharedDir, "uae-fiu-5.0.2_Vyttah/generated-golden/DPMSR.xml"), xsd)
	if len(im.Parties) != 1 || im.Parties[0].FullName != "Mohamad Ali Al-Jaber" || im.Parties[0].City != "Dubai" {
		t.Errorf("DPMSR: %+v", im.Parties)
	}
}

// TestRejectsInvalidReport: the generic dummy report fails its schema and is
// refused with xmllint's finding.
func TestRejectsInvalidReport(t *testing.T) {
	needShared(t)
	needXmllint(t)
	_, err := ImportFile(context.Background(), filepath.Join(sharedDir, "generic-5.0.1_thecury/report.xml"), filepath.Join(sharedDir, schemaOf["generic-5.0.1"]))
	if vigil.ErrorCode(err) != vigil.EINVALID || !strings.Contains(err.Error(), "report.xml:8: element report_date") || !strings.Contains(err.Error(), "minInclusive") {
		t.Fatalf("want the schema error, got %v", err)
	}
}

// TestRoundTrip: what vigil exports reads back with the same transfers.
func TestRoundTrip(t *testing.T) {
	for _, name := range Profiles() {
		p, _ := LoadProfile(name)
		rep := testReport()
		var buf bytes.Buffer
		ent := loadEntity(t)
		if p.RentityIDMax > 0 {
			ent.ID = 47
		}
		if err := Write(&buf, ent, rep, p); err != nil {
			t.Fatal(err)
		}
		im, err := Import(&buf, "str.xml")
		if err != nil {
			t.Fatal(err)
		}
		if len(im.Rejected) > 0 || len(im.Transfers) != len(rep.Transfers) || len(im.Parties) != 2 {
			t.Fatalf("%s: %d transfers, %d parties, rejected %v", name, len(im.Transfers), len(im.Parties), im.Rejected)
		}
		if im.Header.ReportCode != p.ReportCode || im.Header.ID() != "CASE-2026-17" {
			t.Errorf("%s: header %+v", name, im.Header)
		}
		for i, got := range im.Transfers {
			want := rep.Transfers[i]
			amt := want.Amount
			if want.Currency == "USD" {
				amt = vigil.NewAmount(55, 200000) // 60 × 0.92
			}
			if got.ID != want.ID || got.Amount != amt || got.Currency != "EUR" || got.BeneficiaryCountry != want.BeneficiaryCountry ||
				got.Timestamp.Format("2006-01-02T15:04:05") != want.Timestamp.Format("2006-01-02T15:04:05") || got.SenderID != im.Parties[0].ID && got.SenderID != im.Parties[1].ID {
				t.Errorf("%s: transfer %d: %+v, want %+v", name, i, got, want)
			}
		}
		// Sri Lanka 2.0 carries the identity numbers in comments only (see
		// the profile): the reader cannot key the parties by them.
		structuredIDs := slices.Contains(p.PersonFields, "identification")
		if im.Transfers[1].BeneficiaryName != "Ana" || im.Transfers[1].Purpose != "" || im.Parties[1].Address != "" || structuredIDs && im.Parties[1].ID != "X1234567" {
			t.Errorf("%s: placeholders read back as values: %+v %+v", name, im.Transfers[1], im.Parties[1])
		}
		if structuredIDs && im.Parties[0].IDNumber != "NL-ID-77" || im.Parties[0].BirthDate.String() != "1971-04-09" || im.Parties[0].Nationality != "DE" {
			t.Errorf("%s: party %+v", name, im.Parties[0])
		}
		if name == "generic-5.0.1" && (im.Transfers[0].BeneficiaryName != "Maria Santos" || im.Parties[0].FullName != "José Müller-Åberg" ||
			im.Transfers[0].Purpose != "school fees" || im.Transfers[0].BeneficiaryPhone != "+63 9171234567") {
			t.Errorf("generic: %+v / %+v", im.Transfers[0], im.Parties[0])
		}
	}
}

func TestReaderRefusals(t *testing.T) {
	cases := map[string]string{
		`<?xml version="1.0"?><!DOCTYPE report [<!ENTITY x SYSTEM "file:///etc/passwd">]><report/>`: "DOCTYPE",
		`<report><reason>&x;</reason></report>`:                                                     "XML syntax error",
		`<report>` + strings.Repeat("<a>", 80) + strings.Repeat("</a>", 80) + `</report>`:           "nested deeper",
		`<report><reason>` + strings.Repeat("x", 2<<20) + `</reason></report>`:                      "longer than",
		`<Document/>`: "not a goAML <report>",
		``:            "no goAML <report>",
	}
	for doc, want := range cases {
		_, err := Import(strings.NewReader(doc), "bad.xml")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bad.xml:") {
			t.Errorf("%.40q: want %q, got %v", doc, want, err)
		}
	}
}
