package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runVigil(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.Execute()
	return out.String() + errb.String(), err
}

func TestMatchAndDedupeCommands(t *testing.T) {
	dir := t.TempDir()
	parties := filepath.Join(dir, "parties.csv")
	leads := filepath.Join(dir, "leads.csv")
	rows := `party_id,kind,full_name,birth_date,city,phone,email,country
P1,person,François Lefèvre,1975-03-12,Paris,0612345678,f.lefevre@gmail.com,FR
P2,person,Francois Lefevre,1961-09-02,Lille,0698765432,,FR
P3,person,Maria Teresa Santos,1980-05-05,Lyon,+33 6 11 22 33 44,,FR
P4,person,SANTOS Ma. Teresa,1980-05-05,Lyon,0611223344,,FR
`
	// other customers, so that chance agreement (u) can be measured
	given := []string{"Anne", "Luc", "Paul", "Rose", "Marc", "Ines", "Hugo", "Lea"}
	sur := []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Michel"}
	city := []string{"Paris", "Lyon", "Lille", "Nice", "Brest"}
	for i := 0; i < 400; i++ {
		rows += fmt.Sprintf("F%d,person,%s %s,19%02d-%02d-%02d,%s,07%08d,,FR\n", i, given[i%8], sur[(i/8)%12], 40+i%60, 1+i%12, 1+i%28, city[i%5], i*7919)
	}
	os.WriteFile(parties, []byte(rows), 0o600)
	os.WriteFile(leads, []byte(`lead_id,full_name,birth_date,phone,email,city,country
L1,LEFEVRE Francois,1975-12-03,,,Paris,FR
L2,Nobody Known,1990-01-01,,,,
`), 0o600)
	out := filepath.Join(dir, "m.jsonl")
	if msg, err := runVigil(t, "match", "--parties", parties, "--leads", leads, "--out", out); err != nil {
		t.Fatalf("match: %v\n%s", err, msg)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) < 2 || lines[0]["lead_id"] != "L1" || lines[0]["party_id"] != "P1" || lines[0]["decision"] != "match" {
		t.Fatalf("first line %v, want L1 → P1 match", lines)
	}
	if f := lines[0]["fields"].(map[string]any)["birth_date"].(map[string]any); f["level"] != "day and month swapped" {
		t.Errorf("birth_date explanation %v", f)
	}
	for _, l := range lines {
		if l["lead_id"] == "L1" && l["party_id"] == "P2" && l["decision"] == "match" {
			t.Errorf("namesake P2 matched: %v", l)
		}
	}
	last := lines[len(lines)-1]
	if last["lead_id"] != "L2" || last["party_id"] != nil || last["decision"] != "non-match" {
		t.Errorf("L2 line %v, want non-match with null party_id", last)
	}

	clusters := filepath.Join(dir, "c.jsonl")
	if msg, err := runVigil(t, "dedupe", "--parties", parties, "--out", clusters); err != nil {
		t.Fatalf("dedupe: %v\n%s", err, msg)
	}
	b, _ := os.ReadFile(clusters)
	if !strings.Contains(string(b), `"party_ids":["P3","P4"]`) || strings.Contains(string(b), `"P2"`) {
		t.Errorf("clusters:\n%s", b)
	}

	// A bad row is reported with file, line and column, and nothing runs.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("lead_id,full_name,birth_date\nL9,Jean Dupont,1975-13-40\n"), 0o600)
	msg, err := runVigil(t, "match", "--parties", parties, "--leads", bad, "--out", filepath.Join(dir, "x.jsonl"))
	if err == nil || !strings.Contains(err.Error()+msg, "bad.csv:2") {
		t.Errorf("bad lead row: err %v, output %q", err, msg)
	}
}
