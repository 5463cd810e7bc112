package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/vigilfiu/vigil"
)

// The kept beneficiaries as blocks (migration 0004): one row per
// benBlock consecutive beneficiaries, each packed as packBeneficiary
// writes it. Reading them a row each, ten columns a row, was ~3 CPU s of
// a correlate at 5M transfers (948,608 beneficiaries); a block is one
// value, decoded into strings that share one copy of it.

// benBlock is the number of beneficiaries per beneficiary_blocks row.
const benBlock = 4096

// packBeneficiary appends b to dst: id, name, names, phones, accounts,
// city, country, birth year, month, day and party id (strings as a
// uvarint length and their bytes, lists as a uvarint count and their
// strings, numbers as uvarints).
func packBeneficiary(dst []byte, b *vigil.Beneficiary) []byte {
	str := func(s string) {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	list := func(xs []string) {
		dst = binary.AppendUvarint(dst, uint64(len(xs)))
		for _, x := range xs {
			str(x)
		}
	}
	str(b.ID)
	str(b.Name)
	list(b.Names)
	list(b.Phones)
	list(b.Accounts)
	str(b.City)
	str(b.Country)
	dst = binary.AppendUvarint(dst, uint64(b.BirthDate.Year))
	dst = binary.AppendUvarint(dst, uint64(b.BirthDate.Month))
	dst = binary.AppendUvarint(dst, uint64(b.BirthDate.Day))
	str(b.PartyID)
	return dst
}

// packBeneficiaries appends ben(lo) … ben(hi-1) to dst as packBeneficiary
// does. A resolution's beneficiaries hold strings from all over the heap
// (the resolver's listing), so copying them waits on a cache miss after
// another; the first byte of each string of a group is read first, in
// loads that do not depend on one another and so overlap, and the group
// is packed from the cache after.
func packBeneficiaries(dst []byte, lo, hi int, ben func(int) *vigil.Beneficiary) []byte {
	for i := lo; i < hi; i += benTouchGroup {
		j := min(i+benTouchGroup, hi)
		var x byte
		for m := i; m < j; m++ {
			x ^= touchBeneficiary(ben(m))
		}
		keepByte(x)
		for m := i; m < j; m++ {
			dst = packBeneficiary(dst, ben(m))
		}
	}
	return dst
}

// benTouchGroup is the number of beneficiaries packBeneficiaries reads
// ahead of packing them.
const benTouchGroup = 16

// touchBeneficiary reads the first byte of each of b's strings.
func touchBeneficiary(b *vigil.Beneficiary) byte {
	var x byte
	str := func(s string) {
		if len(s) > 0 {
			x ^= s[0]
		}
	}
	str(b.ID)
	str(b.Name)
	for _, s := range b.Names {
		str(s)
	}
	for _, s := range b.Phones {
		str(s)
	}
	for _, s := range b.Accounts {
		str(s)
	}
	str(b.City)
	str(b.Country)
	str(b.PartyID)
	return x
}

// keepByte takes a value that must be computed (the reads ahead): not
// inlined, so that the compiler cannot drop the reads as unused.
//
//go:noinline
func keepByte(byte) {}

var errDamagedBlock = errors.New("damaged beneficiary block")

// unpackBeneficiaries decodes len(out) beneficiaries from data, which
// must hold exactly those. The strings share one copy of data; the lists
// share one backing array. Empty lists are nil, as unpackList reads them.
func unpackBeneficiaries(data []byte, out []vigil.Beneficiary) error {
	s := string(data) // one copy: every string of the block is a slice of it
	pool := make([]string, 0, 3*len(out))
	pos := 0
	num := func() (uint64, bool) {
		v, w := binary.Uvarint(data[pos:])
		if w <= 0 {
			return 0, false
		}
		pos += w
		return v, true
	}
	str := func() (string, bool) {
		n, ok := num()
		if !ok || n > uint64(len(data)-pos) {
			return "", false
		}
		x := s[pos : pos+int(n)]
		pos += int(n)
		return x, true
	}
	list := func() ([]string, bool) {
		n, ok := num()
		if !ok || n > uint64(len(data)-pos) { // each value takes a byte at least
			return nil, false
		}
		if n == 0 {
			return nil, true
		}
		lo := len(pool)
		for range n {
			x, ok := str()
			if !ok {
				return nil, false
			}
			pool = append(pool, x)
		}
		return pool[lo:len(pool):len(pool)], true
	}
	for i := range out {
		b := &out[i]
		var ok bool
		var y, m, d uint64
		if b.ID, ok = str(); !ok {
			return errDamagedBlock
		}
		if b.Name, ok = str(); !ok {
			return errDamagedBlock
		}
		if b.Names, ok = list(); !ok {
			return errDamagedBlock
		}
		if b.Phones, ok = list(); !ok {
			return errDamagedBlock
		}
		if b.Accounts, ok = list(); !ok {
			return errDamagedBlock
		}
		if b.City, ok = str(); !ok {
			return errDamagedBlock
		}
		if b.Country, ok = str(); !ok {
			return errDamagedBlock
		}
		if y, ok = num(); !ok || y > 9999 {
			return errDamagedBlock
		}
		if m, ok = num(); !ok || m > 12 {
			return errDamagedBlock
		}
		if d, ok = num(); !ok || d > 31 {
			return errDamagedBlock
		}
		b.BirthDate = vigil.Date{Year: int(y), Month: int(m), Day: int(d)}
		if b.PartyID, ok = str(); !ok {
			return errDamagedBlock
		}
	}
	if pos != len(data) {
		return errDamagedBlock
	}
	return nil
}

// saveBeneficiaryBlocks writes the n beneficiaries ben(0) … ben(n-1) as
// blocks, in tx.
func saveBeneficiaryBlocks(ctx context.Context, tx *sql.Tx, n int, ben func(int) *vigil.Beneficiary) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO beneficiary_blocks (first_ben, n, data) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	return packBeneficiaryBlocks(newKeepInserts(ctx), ins, n, ben)
}

// packBeneficiaryBlocks packs the n beneficiaries ben(0) … ben(n-1) into
// blocks of benBlock and inserts each through ins.
func packBeneficiaryBlocks(k *keepInserts, ins *sql.Stmt, n int, ben func(int) *vigil.Beneficiary) error {
	for lo := 0; lo < n; lo += benBlock {
		hi := min(lo+benBlock, n)
		data := packBeneficiaries(k.buf(4*assignBlock), lo, hi, ben) // 256 KiB, about a block's size
		if err := k.exec(ins, int64(lo), int64(hi-lo), data); err != nil {
			return fmt.Errorf("save resolution: %w", err)
		}
	}
	return nil
}

// beneficiaryBlocks reads the kept beneficiaries from their blocks; ok
// is false when the store keeps none there (a resolution kept before
// migration 0004, in the beneficiaries table). Two connections read and
// decode half the blocks each.
func (db *DB) beneficiaryBlocks(ctx context.Context) (out []vigil.Beneficiary, ok bool, err error) {
	var blocks, n int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(n), 0) FROM beneficiary_blocks`).Scan(&blocks, &n); err != nil {
		return nil, false, err
	}
	if blocks == 0 {
		return nil, false, nil
	}
	out = make([]vigil.Beneficiary, n)
	half := (blocks + 1) / 2 * benBlock // the first block of the second half
	parts := [][2]int64{{0, half}, {half, n}}
	errs := make([]error, len(parts))
	covered := make([]int64, len(parts))
	var wg sync.WaitGroup
	for k, pr := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := pr[0]
			errs[k] = db.rawRows(ctx, `SELECT first_ben, n, data FROM beneficiary_blocks WHERE first_ben >= ? AND first_ben < ? ORDER BY first_ben`,
				[]any{pr[0], pr[1]}, 3, func(v []driver.Value) error {
					first, m := i64(v[0]), i64(v[1])
					if first != next || m <= 0 || m > benBlock || first+m > n {
						return vigil.Errorf(vigil.EINTERNAL, "store %s: kept beneficiaries from %d: expected block %d of at most %d (damaged resolution)", db.path, first, next, benBlock)
					}
					if err := unpackBeneficiaries(bytesOf(v[2]), out[first:first+m]); err != nil {
						return vigil.Errorf(vigil.EINTERNAL, "store %s: kept beneficiaries %d to %d: %v (damaged resolution)", db.path, first, first+m-1, err)
					}
					next = first + m
					return nil
				})
			covered[k] = next
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, false, err
		}
	}
	if covered[0] != min(half, n) || (n > half && covered[1] != n) {
		return nil, false, vigil.Errorf(vigil.EINTERNAL, "store %s: kept beneficiary blocks cover %d and %d of %d (damaged resolution)", db.path, covered[0], covered[1], n)
	}
	return out, true, nil
}
