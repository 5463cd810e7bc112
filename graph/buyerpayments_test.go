package graph_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// buyerPayments returns a builder resolving recipients by name and city
// (cityResolver) and pay, which adds k payments of sender to the
// recipient fields of to (name, phone, city, country; a birth date only
// on the first of the k): small sums of 30 to 70, late at night from 1
// March 2025, about three days apart — the buyers' way the seed tests
// build their worlds from.
func buyerPayments(t *testing.T) (*graph.Builder, func(sender string, to vigil.Transfer, k int)) {
	t.Helper()
	b := graph.NewBuilder(graph.Options{Resolver: &cityResolver{nodes: map[string]int32{}}})
	start := time.Date(2025, 3, 1, 23, 0, 0, 0, syd)
	n := 0
	return b, func(sender string, to vigil.Transfer, k int) {
		t.Helper()
		for i := range k {
			n++
			tr := vigil.Transfer{ID: fmt.Sprintf("T%04d", n), Timestamp: start.AddDate(0, 0, 3*i+n%7), SenderID: sender,
				BeneficiaryName: to.BeneficiaryName, BeneficiaryPhone: to.BeneficiaryPhone,
				BeneficiaryCity: to.BeneficiaryCity, BeneficiaryCountry: to.BeneficiaryCountry,
				Amount: vigil.NewAmount(int64(30+n%5*10), 0), Currency: "AUD"}
			if i == 0 {
				tr.BeneficiaryBirthDate = to.BeneficiaryBirthDate
			}
			if err := b.Add(&tr); err != nil {
				t.Fatal(err)
			}
		}
	}
}
