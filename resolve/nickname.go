package resolve

import (
	_ "embed"
	"strings"
	"sync"
)

// names.csv is Carlton Northern's nickname table (Apache-2.0, see
// nicknames/LICENSE and nicknames/SOURCE.txt): "formal,has_nickname,nick".
//
//go:embed nicknames/names.csv
var nicknameCSV string

// extra.csv is vigil's supplement in the same format: hypocorisms the
// table lacks (Gaz for Gary, Pepe for José, Matze for Matthias …).
//
//go:embed nicknames/extra.csv
var nicknameExtraCSV string

var (
	nickOnce   sync.Once
	nickGroup  map[string][]int32 // folded name → ids of the formal names it belongs to
	nickFormal []string           // id → folded formal name
)

func loadNicknames() {
	nickGroup = make(map[string][]int32, 2048)
	ids := make(map[string]int32, 1024)
	add := func(name string, id int32) {
		for _, g := range nickGroup[name] {
			if g == id {
				return
			}
		}
		nickGroup[name] = append(nickGroup[name], id)
	}
	for i, line := range strings.Split(nicknameCSV+"\n"+nicknameExtraCSV, "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		if i == 0 || len(f) != 3 {
			continue
		}
		formal, nick := FoldName(f[0]), FoldName(f[2])
		id, ok := ids[formal]
		if !ok {
			id = int32(len(ids))
			ids[formal] = id
			nickFormal = append(nickFormal, formal)
		}
		add(formal, id)
		add(nick, id)
	}
}

// IsNickname reports whether two folded given names are the same name
// in the nickname table: one is a nickname of the other ("bob", "robert")
// or both are nicknames of one formal name ("bob", "rob").
func IsNickname(a, b string) bool {
	if a == b || a == "" || b == "" {
		return false
	}
	nickOnce.Do(loadNicknames)
	ga, gb := nickGroup[a], nickGroup[b]
	for _, x := range ga {
		for _, y := range gb {
			if x == y {
				return true
			}
		}
	}
	return false
}

// formalNames calls fn with each formal name of the folded given name w
// in the nickname table: those of which it is a nickname, and itself when
// it is a formal name ("fred" → alfred, frederick, wilfred …; "alfred" →
// alfred). Two names share one exactly when they are equal in the table
// or IsNickname holds, which is what blocking on them needs.
func formalNames(w string, fn func(formal string)) {
	nickOnce.Do(loadNicknames)
	for _, g := range nickGroup[w] {
		fn(nickFormal[g])
	}
}
