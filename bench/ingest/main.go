// Command ingest measures `vigil ingest` end to end: it writes (or takes) a
// parties file and a transfers file of N rows, loads them into a fresh store
// with package ingest and reports transfers per second and the peak
// resident memory of the process (getrusage).
//
//	go run ./bench/ingest -n 1000000 -driver mattn
//	go run ./bench/ingest -n 5000000 -runs 3
//	go run ./bench/ingest -transfers transfers.csv -parties parties.csv
//
// With -runs N the files are generated once and each run is a fresh
// process (so that peak RSS is per run) into a fresh store; every run's
// line is printed with the load average before it, then the medians.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"github.com/vigilfiu/vigil/internal/machine"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vigilfiu/vigil/ingest"
	"github.com/vigilfiu/vigil/sqlite"
)

func main() {
	n := flag.Int("n", 1_000_000, "transfers to generate")
	senders := flag.Int("senders", 0, "parties to generate (default n/12)")
	dir := flag.String("dir", "", "working directory (default a temporary one, removed afterwards)")
	parties := flag.String("parties", "", "use this parties file instead of generating one")
	transfers := flag.String("transfers", "", "use this transfers file instead of generating one")
	driver := flag.String("driver", sqlite.DefaultDriver, "SQLite driver: mattn or modernc")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the load to this file")
	traceOut := flag.String("trace", "", "write an execution trace of the load to this file (go tool trace; regions name the phases)")
	runs := flag.Int("runs", 1, "measure this many runs, each in a fresh process and store, and print the medians")
	migrate := flag.String("migrate", "", "only open the store at this path (applying the schema migrations it lacks, e.g. 0002 on a store of an older vigil) and report the time")
	flag.Parse()
	log.SetFlags(0)
	if *migrate != "" {
		t0 := time.Now()
		db, err := sqlite.OpenDriver(*migrate, *driver)
		if err != nil {
			log.Fatal(err)
		}
		db.Close()
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		fmt.Printf("migrated=%s seconds=%.2f cpu_s=%.2f peak_rss_mb=%.0f db_mb=%.0f\n", *migrate, time.Since(t0).Seconds(),
			time.Duration(ru.Utime.Nano()+ru.Stime.Nano()).Seconds(), float64(ru.Maxrss)/1024, float64(fileSize(*migrate))/1e6)
		return
	}

	work := *dir
	if work == "" {
		d, err := os.MkdirTemp("", "vigil-bench-ingest-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		work = d
	}
	if *senders == 0 {
		*senders = max(*n/12, 1)
	}
	if *parties == "" || *transfers == "" {
		*parties, *transfers = filepath.Join(work, "parties.csv"), filepath.Join(work, "transfers.csv")
		t0 := time.Now()
		if err := generate(*parties, *transfers, *senders, *n); err != nil {
			log.Fatal(err)
		}
		log.Printf("generated %d parties and %d transfers in %.1fs", *senders, *n, time.Since(t0).Seconds())
	}
	if *runs > 1 {
		if err := measureRuns(*runs, work, *parties, *transfers); err != nil {
			log.Fatal(err)
		}
		return
	}
	st, _ := os.Stat(*transfers)

	dbPath := filepath.Join(work, "bench.db")
	os.Remove(dbPath)
	db, err := sqlite.OpenDriver(dbPath, *driver)
	if err != nil {
		log.Fatal(err)
	}
	stopProfile, err := machine.StartCPUProfile(*cpuprofile)
	if err != nil {
		log.Fatal(err)
	}
	defer stopProfile()
	if *traceOut != "" {
		f, err := os.Create(*traceOut)
		if err != nil {
			log.Fatal(err)
		}
		if err := trace.Start(f); err != nil {
			log.Fatal(err)
		}
		defer trace.Stop()
	}
	// As `vigil ingest` does (cmd/vigil/ingest.go).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	cpu0 := time.Duration(ru0.Utime.Nano() + ru0.Stime.Nano())
	t0 := time.Now()
	rep, err := ingest.Files(context.Background(), db, []string{*transfers, *parties}, ingest.Options{MaxErrors: -1})
	if err != nil {
		log.Fatal(err)
	}
	secs := time.Since(t0).Seconds()
	db.Close()
	tr := rep.Kinds[sqlite.KindTransfers]
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	dbSize := fileSize(dbPath)
	cpu := time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) - cpu0
	fmt.Printf("driver=%s journal=%s transfers=%d file_mb=%.0f seconds=%.2f transfers_per_s=%.0f records_per_s=%.0f cpu_s=%.2f peak_rss_mb=%.0f db_mb=%.0f inserted=%d rejected=%d gomaxprocs=%d\n",
		*driver, rep.Journal, tr.Records, float64(st.Size())/1e6, secs, float64(tr.Records)/secs, float64(rep.Totals.Records)/secs,
		cpu.Seconds(), float64(ru.Maxrss)/1024, float64(dbSize)/1e6, tr.Inserted, rep.Totals.Rejected, runtime.GOMAXPROCS(0))
}

// measureRuns runs this command n times on the same files, each in a new
// process with a new store, and prints each run and the medians.
func measureRuns(n int, work, parties, transfers string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var args []string
	flag.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "runs", "parties", "transfers", "dir", "n", "senders", "cpuprofile", "trace":
		default:
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
	})
	args = append(args, "-runs=1", "-dir="+work, "-parties="+parties, "-transfers="+transfers)
	med := map[string][]float64{}
	keys := []string{"seconds", "transfers_per_s", "cpu_s", "peak_rss_mb"}
	for i := range n {
		load := machine.LoadAverage()
		cmd := exec.Command(self, args...)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		line := strings.TrimSpace(string(out))
		fmt.Printf("run=%d loadavg_before=%q %s\n", i+1, load, line)
		for _, kv := range strings.Fields(line) {
			k, v, _ := strings.Cut(kv, "=")
			if slices.Contains(keys, k) {
				f, _ := strconv.ParseFloat(v, 64)
				med[k] = append(med[k], f)
			}
		}
	}
	fmt.Printf("median of %d runs:", n)
	for _, k := range keys {
		v := med[k]
		slices.Sort(v)
		m := v[len(v)/2]
		if len(v)%2 == 0 {
			m = (v[len(v)/2-1] + v[len(v)/2]) / 2
		}
		fmt.Printf(" %s=%.2f", k, m)
	}
	fmt.Printf(" loadavg_after=%q\n", machine.LoadAverage())
	return nil
}

// padded makes transfer ids sort in file order ("T000000042").
var padded = flag.Bool("padded", true, "zero-pad transfer ids so that they sort in file order")

func appendPadded(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

// generate writes simple valid rows in the interchange format: parties with
// names, birth dates and countries; transfers from them to recipients in a
// few corridors, in time order, with small mostly-round amounts.
func generate(partiesPath, transfersPath string, senders, n int) error {
	pf, err := os.Create(partiesPath)
	if err != nil {
		return err
	}
	defer pf.Close()
	w := bufio.NewWriterSize(pf, 1<<20)
	w.WriteString("party_id,kind,full_name,birth_date,gender,country,city,phone,email\n")
	var b []byte
	for i := range senders {
		b = b[:0]
		b = append(b, 'P')
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ",person,Sender "...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(1950+i%50), 10)
		b = append(b, "-0"...)
		b = strconv.AppendInt(b, int64(1+i%9), 10)
		b = append(b, ",M,AU,Sydney,+6140000"...)
		b = strconv.AppendInt(b, int64(1000+i%9000), 10)
		b = append(b, ",s"...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, "@example.org\n"...)
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	tf, err := os.Create(transfersPath)
	if err != nil {
		return err
	}
	defer tf.Close()
	w = bufio.NewWriterSize(tf, 1<<20)
	w.WriteString("transfer_id,timestamp,sender_id,beneficiary_name,beneficiary_phone,beneficiary_city,beneficiary_country,amount,currency,channel,provider,purpose\n")
	names := []string{"Maria Cristina Santos", "SANTOS MARIA CRISTINA", "Ma. Cristina Santos", "Jose Reyes", "Ana Dela Cruz", "Nguyen Van An", "Siti Rahma"}
	cities := []string{"Manila", "Cebu City", "Davao", "Hanoi", "Jakarta"}
	countries := []string{"PH", "PH", "PH", "VN", "ID"}
	purposes := []string{"school fees", "medical", "family support", "", "gift"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("", 10*3600))
	step := 2 * 365 * 24 * time.Hour / time.Duration(n)
	for i := range n {
		b = b[:0]
		b = append(b, 'T')
		if *padded {
			b = appendPadded(b, i, 9)
		} else {
			b = strconv.AppendInt(b, int64(i), 10)
		}
		b = append(b, ',')
		b = start.Add(time.Duration(i)*step).AppendFormat(b, time.RFC3339)
		b = append(b, ",P"...)
		b = strconv.AppendInt(b, int64((i*7919)%senders), 10)
		b = append(b, ',')
		b = append(b, names[i%len(names)]...)
		b = append(b, ",+63917"...)
		b = strconv.AppendInt(b, int64(1000000+(i*31)%9000000), 10)
		b = append(b, ',')
		c := i % len(cities)
		b = append(b, cities[c]...)
		b = append(b, ',')
		b = append(b, countries[c]...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(15+(i*13)%185), 10)
		if i%4 == 0 {
			b = append(b, ".50"...)
		}
		b = append(b, ",AUD,remittance,RemitCo,"...)
		b = append(b, purposes[i%len(purposes)]...)
		b = append(b, '\n')
		w.Write(b)
	}
	return w.Flush()
}
