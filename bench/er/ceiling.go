package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/vigilfiu/vigil/resolve"
	"github.com/vigilfiu/vigil/resolve/erdata"
)

// loose is what a pair of records shares under the loosest tests any
// blocking key could use, on the fields the benchmarks have: a name word
// (exact, nickname, within two edits, or the same first three letters),
// a city word (exact or within two edits), the postcode area letters, the
// occupation, an email or phone, a birth year within five years, or the
// birth month and day. Gender alone is not counted: half of all pairs
// share it.
type loose struct {
	nameWord, nameNick, nameEdit2, namePrefix3 bool
	cityWord, cityEdit2, postcodeArea          bool
	occupation, contact, year5, monthDay       bool
}

func (l loose) any() bool {
	return l.nameWord || l.nameNick || l.nameEdit2 || l.namePrefix3 || l.cityWord || l.cityEdit2 ||
		l.postcodeArea || l.occupation || l.contact || l.year5 || l.monthDay
}

// nameWords returns the folded words of a record's name parts.
func nameWords(r *resolve.Record) []string {
	return strings.Fields(resolve.FoldName(r.Name + " " + r.Given + " " + r.Surname))
}

func looseShare(a, b *resolve.Record) loose {
	var l loose
	wa, wb := nameWords(a), nameWords(b)
	for _, x := range wa {
		for _, y := range wb {
			switch {
			case x == y && len(x) >= 2:
				l.nameWord = true
			case resolve.IsNickname(x, y):
				l.nameNick = true
			case len(x) >= 4 && len(y) >= 4 && editsWithin2(x, y):
				l.nameEdit2 = true
			}
			if len(x) >= 3 && len(y) >= 3 && x[:3] == y[:3] {
				l.namePrefix3 = true
			}
		}
	}
	ca, cb := strings.Fields(resolve.FoldName(a.City)), strings.Fields(resolve.FoldName(b.City))
	for _, x := range ca {
		for _, y := range cb {
			if len(x) < 3 || len(y) < 3 {
				continue
			}
			if x == y {
				l.cityWord = true
			} else if len(x) >= 4 && editsWithin2(x, y) {
				l.cityEdit2 = true
			}
		}
	}
	if pa, pb := postcodeArea(a.Postcode), postcodeArea(b.Postcode); pa != "" && pa == pb {
		l.postcodeArea = true
	}
	if a.Occupation != "" && strings.EqualFold(a.Occupation, b.Occupation) {
		l.occupation = true
	}
	if (a.Email != "" && strings.EqualFold(a.Email, b.Email)) || (a.Phone != "" && a.Phone == b.Phone) {
		l.contact = true
	}
	da, db := a.BirthDate, b.BirthDate
	if da.Year != 0 && db.Year != 0 && da.Year-db.Year <= 5 && db.Year-da.Year <= 5 {
		l.year5 = true
	}
	if da.Day != 0 && db.Day != 0 && da.Month == db.Month && da.Day == db.Day {
		l.monthDay = true
	}
	return l
}

// postcodeArea returns the leading letters of a postcode ("tq13 8df" →
// "tq").
func postcodeArea(pc string) string {
	pc = strings.ToLower(strings.TrimSpace(pc))
	i := 0
	for i < len(pc) && pc[i] >= 'a' && pc[i] <= 'z' {
		i++
	}
	return pc[:i]
}

// editsWithin2 reports whether the Levenshtein distance of x and y is at
// most 2 (banded dynamic programme).
func editsWithin2(x, y string) bool {
	if len(x)-len(y) > 2 || len(y)-len(x) > 2 {
		return false
	}
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(y); j++ {
			c := prev[j-1]
			if x[i-1] != y[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
			best = min(best, c)
		}
		if best > 2 {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(y)] <= 2
}

// ceiling prints, for the true pairs no block joins, what they share under
// the loosest tests (looseShare), how many share nothing at all, some of
// those, the recall no blocking on these fields can pass, and the share
// of all pairs (estimated on random pairs) that comparing every pair
// sharing anything under those tests would cost.
func ceiling(name string, set *erdata.Set, missed [][2]int, truePairs int) {
	counts := map[string]int{}
	var nothing [][2]int
	for _, p := range missed {
		l := looseShare(&set.Records[p[0]], &set.Records[p[1]])
		if !l.any() {
			nothing = append(nothing, p)
		}
		counts[describe(l)]++
	}
	fmt.Printf("%s: %d true pairs no block joins; what they share under the loosest tests:\n", name, len(missed))
	type kv struct {
		k string
		n int
	}
	var order []kv
	for k, n := range counts {
		order = append(order, kv{k, n})
	}
	for i := range order { // by count, largest first (a handful of rows)
		for j := i + 1; j < len(order); j++ {
			if order[j].n > order[i].n || (order[j].n == order[i].n && order[j].k < order[i].k) {
				order[i], order[j] = order[j], order[i]
			}
		}
	}
	for i, o := range order {
		if i == 15 {
			break
		}
		fmt.Printf("  %7d  %s\n", o.n, o.k)
	}
	fmt.Printf("  %d pairs (%.2f%% of the %d true pairs) share nothing under any of these tests: no blocking on these fields can pass recall %.4f\n",
		len(nothing), 100*float64(len(nothing))/float64(truePairs), truePairs, 1-float64(len(nothing))/float64(truePairs))
	r := rand.New(rand.NewPCG(7, 7))
	for i, k := 0, 0; i < len(nothing) && k < 25; i, k = i+max(1, len(nothing)/25), k+1 {
		a, b := &set.Records[nothing[i][0]], &set.Records[nothing[i][1]]
		fmt.Printf("    %s | %s\n      %s\n", short(a), short(b), whyApart(a, b))
	}
	// the cost of comparing every pair that shares anything loosely
	n := len(set.Records)
	const samples = 200_000
	hit := 0
	for s := 0; s < samples; s++ {
		i, j := r.IntN(n), r.IntN(n)
		for j == i {
			j = r.IntN(n)
		}
		if looseShare(&set.Records[i], &set.Records[j]).any() {
			hit++
		}
	}
	fmt.Printf("  comparing every pair that shares anything under these tests would compare ~%.1f%% of all pairs (%d random pairs sampled)\n",
		100*float64(hit)/samples, samples)
}

func describe(l loose) string {
	var s []string
	for _, f := range []struct {
		on   bool
		name string
	}{{l.nameWord, "name word"}, {l.nameNick, "nickname"}, {l.nameEdit2, "name word ≤2 edits"}, {l.namePrefix3, "name prefix 3"},
		{l.cityWord, "city word"}, {l.cityEdit2, "city ≤2 edits"}, {l.postcodeArea, "postcode area"}, {l.occupation, "occupation"},
		{l.contact, "email/phone"}, {l.year5, "year ±5"}, {l.monthDay, "month+day"}} {
		if f.on {
			s = append(s, f.name)
		}
	}
	if len(s) == 0 {
		return "NOTHING"
	}
	return strings.Join(s, " + ")
}

func short(r *resolve.Record) string {
	var parts []string
	name := strings.TrimSpace(r.Given + " " + r.Surname)
	if r.Name != "" && r.Name != name {
		name = strings.TrimSpace(r.Name + " (" + name + ")")
	}
	for _, f := range []string{name, r.BirthDate.String(), r.Gender, r.City, r.Postcode, r.Occupation, r.Email} {
		if f != "" && f != "()" {
			parts = append(parts, f)
		}
	}
	return strings.Join(parts, ", ")
}

// whyApart says, field by field, why a pair shares nothing.
func whyApart(a, b *resolve.Record) string {
	var s []string
	if len(nameWords(a)) == 0 || len(nameWords(b)) == 0 {
		s = append(s, "one has no name")
	} else {
		s = append(s, "no name word alike (≤2 edits, nickname, first 3 letters)")
	}
	switch {
	case a.BirthDate.Year == 0 || b.BirthDate.Year == 0:
		s = append(s, "a birth date missing")
	default:
		s = append(s, fmt.Sprintf("birth years %d and %d", a.BirthDate.Year, b.BirthDate.Year))
	}
	switch {
	case a.City == "" || b.City == "":
		s = append(s, "a place missing")
	default:
		s = append(s, "places differ")
	}
	if a.Postcode != "" && b.Postcode != "" {
		s = append(s, "postcode areas differ")
	}
	return strings.Join(s, "; ")
}
