package csv

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// checkClassify holds every classify this processor runs (assembly on
// amd64: SSE2, and AVX2 where it is present) to classifyGo.
func checkClassify(t *testing.T, data []byte) {
	t.Helper()
	n := len(data) / 64
	if n == 0 || n > maxBlocks {
		return
	}
	var want [maxBlocks]block
	k2 := classifyGo(data[:64*n], &want[0])
	for name, classify := range classifiers() {
		var got [maxBlocks]block
		k1 := classify(&data[0], n, &got[0])
		if k1 != k2 {
			t.Fatalf("%s read %d blocks, classifyGo %d", name, k1, k2)
		}
		for k := range k1 {
			if got[k] != want[k] {
				t.Fatalf("block %d: %s %+v, classifyGo %+v", k, name, got[k], want[k])
			}
		}
	}
}

func TestClassify(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{',', '\n', '"', '\r', ' ', '\t', 0x20, 0x21, 0x00, 0x7F, 0x80, 0xFF, 0xC3, 'a', '0'}
	for range 2000 {
		data := make([]byte, 64*(1+rng.IntN(8)))
		for i := range data {
			if rng.IntN(3) == 0 {
				data[i] = byte(rng.Uint32())
			} else if rng.IntN(40) > 0 || i < len(data)-64 {
				data[i] = alphabet[rng.IntN(len(alphabet)-2)+2]
				if data[i] == '\n' {
					data[i] = 'x'
				}
			} else {
				data[i] = '\n'
			}
		}
		checkClassify(t, data)
	}
	// Every byte value in every position of a block.
	for c := range 256 {
		data := make([]byte, 128)
		for i := range 64 {
			data[i] = byte(c)
			data[64+(i+c)%64] = byte(c)
		}
		checkClassify(t, data)
	}
}

func FuzzClassify(f *testing.F) {
	f.Add([]byte("T1,2024-01-01T11:00:16+11:00,P0021174,029-105 25547128,,Manoj Reddy,+91 631 4695221,,,IN,,151,AUD,wallet,TapPay Wallet,school fees\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkClassify(t, data) })
}

// TestValidRuns holds validRuns to utf8.Valid on lines of every length up
// to three blocks, with runs of bytes from 0x80 (valid, cut or stray)
// anywhere, block boundaries included.
func TestValidRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := [][]byte{[]byte("a"), []byte(","), []byte("ö"), []byte("€"), []byte("😀"), {0xC3}, {0xB6}, {0xFF}, {0xE2, 0x82}, {0xED, 0xA0, 0x80}, {0xC0, 0xAF}}
	for range 20000 {
		var line []byte
		for want := rng.IntN(190); len(line) < want; {
			line = append(line, pieces[rng.IntN(len(pieces))]...)
		}
		if len(line) == 0 || len(line) > 192 {
			continue
		}
		buf := make([]byte, 192)
		copy(buf, line)
		var blocks [3]block
		nb := (len(line) + 63) / 64
		classifyGo(buf[:64*nb], &blocks[0])
		blocks[nb-1].high &= ^uint64(0) >> (63 - (len(line)-1)%64)
		if got, want := validRuns(line, blocks[:nb]), utf8.Valid(line); got != want {
			t.Fatalf("validRuns(%q) = %v, utf8.Valid %v", line, got, want)
		}
	}
}
