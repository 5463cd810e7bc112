package synth

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vigilfiu/vigil"
)

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }

// FuzzReadTable feeds arbitrary bytes to the truth-table reader: it must
// return rows or a coded error naming the file, never panic, and never
// pass a row with an empty first column.
func FuzzReadTable(f *testing.F) {
	f.Add("transfer_id,recipient_id\nT0000001,R123456\n")
	f.Add("transfer_id,recipient_id\n,R1\n")
	f.Add("transfer_id,recipient_id\nT1\n")
	f.Add("\ufefftransfer_id,recipient_id\r\nT1,\"R,1\"\r\n")
	f.Add("recipient_id,transfer_id\nT1,R1\n")
	f.Add("transfer_id,recipient_id\n\"T1,R1\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows := 0
		err := readTable(strings.NewReader(in), "t.csv", []string{"transfer_id", "recipient_id"}, func(r []string) string {
			if r[0] == "" {
				t.Fatal("row with empty first column passed")
			}
			rows++
			return ""
		})
		if err != nil {
			if vigil.ErrorCode(err) != vigil.EINVALID || !strings.HasPrefix(vigil.ErrorMessage(err), "t.csv") {
				t.Fatalf("error %v is not EINVALID naming the file", err)
			}
		}
	})
}
