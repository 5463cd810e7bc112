package graph_test

import (
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/graph"
)

// strangerTownWorld: the seed's recipient "Rowena Santos" in General
// Santos City is paid at her phone by buyers B0–B3, small sums late at
// night. Another woman of her name and town is paid at another phone:
// by X k times, and by Y twice, Y's three other payments writing the
// city alone. When vouched, B3 also writes that other phone once.
func strangerTownWorld(t *testing.T, k int, vouched bool) []vigil.TracedParty {
	t.Helper()
	return rowenaWorld(t, k, vouched, true)
}

func saysStrangerTown(p vigil.TracedParty) bool {
	f := strings.Join(p.Evidence.Facts, "\n")
	return strings.Contains(f, "at which another person of her name and town is paid") || strings.Contains(f, "her town is that person's too")
}

// TestTraceStrangerTownPayer: X, eight payments at the other phone, is
// another person's of her name and town; Y pays that phone too and never
// hers, so his payments with her city alone are that person's as well
// (the town is both women's): Y no longer ranks above any buyer, and his
// line says why.
func TestTraceStrangerTownPayer(t *testing.T) {
	parties := strangerTownWorld(t, 8, false)
	y, ok := notAboveBuyers(t, parties, "Y", true, "B0", "B1", "B2", "B3")
	if ok && !saysStrangerTown(y) {
		t.Errorf("Y's line does not say why: %q", y.Evidence.Facts)
	}
}

// TestTraceStrangerTownNoStranger: must not fire when no payer writes
// the other phone FamilyPayments times (X four times: perhaps a buyer
// who reached her at another number): Y's city-alone payments stay hers,
// and on five payments he ranks above B0, who paid twice.
func TestTraceStrangerTownNoStranger(t *testing.T) {
	parties := strangerTownWorld(t, graph.FamilyPayments-1, false)
	y, ok := rankOf(parties, "Y")
	b0, _ := rankOf(parties, "B0")
	if !ok || y.Evidence.Relation != graph.RelationDirect || saysStrangerTown(y) || y.Rank > b0.Rank {
		t.Errorf("Y: listed %v, rank %d (B0 %d), facts %q", ok, y.Rank, b0.Rank, y.Evidence.Facts)
	}
}

// TestTraceStrangerTownVouched: must not fire when one of her buyers
// writes the other phone too (perhaps a second one of hers): Y keeps
// his place above B0.
func TestTraceStrangerTownVouched(t *testing.T) {
	parties := strangerTownWorld(t, 8, true)
	y, ok := rankOf(parties, "Y")
	b0, _ := rankOf(parties, "B0")
	if !ok || y.Evidence.Relation != graph.RelationDirect || saysStrangerTown(y) || y.Rank > b0.Rank {
		t.Errorf("Y: listed %v, rank %d (B0 %d), facts %q", ok, y.Rank, b0.Rank, y.Evidence.Facts)
	}
}
