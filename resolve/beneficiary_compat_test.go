package resolve

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/synth"
)

// TestPreparedChecks streams a synth world and a crowded random stream
// (few phones, accounts and names shared by many records: clusters merge
// within a batch, so prepared answers go stale) through ObserveBatch and
// compares every prepared name check and stable-id hash that a commit
// uses with the one made at that moment. Both paths must be taken.
func TestPreparedChecks(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a synth world")
	}
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Config{Customers: 4000, Seed: 7}, dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "transfers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := csv.NewTransferReader(f, "transfers.csv", csv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var world []vigil.Transfer
	for {
		var tr vigil.Transfer
		err := rd.Read(&tr)
		if err == io.EOF {
			break
		}
		var re *csv.RowError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		world = append(world, tr)
	}

	rng := rand.New(rand.NewPCG(7, 5))
	given := []string{"Maria", "Ma.", "Marla", "Jose", "Ana", "Liza", ""}
	family := []string{"Santos", "Reyes", "Cruz", "Garcia", "Santo", ""}
	var crowd []vigil.Transfer
	for i := 0; i < 30000; i++ {
		name := given[rng.IntN(len(given))] + " " + family[rng.IntN(len(family))]
		phone, acct := "", ""
		if rng.IntN(2) == 0 {
			phone = fmt.Sprintf("0917%07d", rng.IntN(300))
		}
		if rng.IntN(3) == 0 {
			acct = fmt.Sprintf("gcash-%d", rng.IntN(200))
		}
		crowd = append(crowd, *benTransfer(fmt.Sprint(i), name, phone, acct, []string{"Manila", "Cebu", ""}[rng.IntN(3)], "PH"))
	}

	for _, c := range []struct {
		name string
		ts   []vigil.Transfer
	}{{"world", world}, {"crowd", crowd}} {
		r := NewBeneficiaryResolver()
		v := &preparedChecks{}
		r.verify = v
		nodes := make([]int32, len(c.ts))
		for lo := 0; lo < len(c.ts); lo += 2048 {
			hi := min(lo+2048, len(c.ts))
			r.ObserveBatch(c.ts[lo:hi], nodes[lo:hi], nil)
		}
		t.Logf("%s: %d transfers, %d records; name checks prepared and used %d, made again %d; ids prepared and used %d, made again %d",
			c.name, len(c.ts), r.Nodes(), v.compatUsed, v.compatAgain, v.idUsed, v.idAgain)
		if v.compatWrong != 0 || v.idWrong != 0 {
			t.Fatalf("%s: %d prepared name checks and %d prepared ids differ from the answer at commit", c.name, v.compatWrong, v.idWrong)
		}
		if v.compatUsed == 0 || v.compatAgain == 0 || v.idUsed == 0 {
			t.Fatalf("%s: a path was never taken: the test checks nothing there", c.name)
		}
	}
}
