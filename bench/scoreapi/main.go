// Command scoreapi measures POST /api/v1/transfers/score end to end on
// loopback: it builds a synthetic store, starts the workspace server with
// the streaming engine warmed on it, and sends transfers at a fixed rate
// (open loop: latency counts from the scheduled send time, so a slow
// server cannot hide its queue). The run is bounded in count and time.
//
//	go run ./bench/scoreapi -rate 2000 -duration 10s
//	go run ./bench/scoreapi -rate 500 -explain   # with the indicators' details
//	go run ./bench/scoreapi -separate            # load generator in its own process
//
// By default the load generator runs in the server's process, so its
// allocations and goroutines share the server's collector and scheduler.
// With -separate it runs as a child process (this binary again, given the
// URL, the bodies in a file and the token in the environment), as a real
// client on loopback would; both share the machine's cores either way.
//
// It prints one JSON object: achieved rate, p50/p90/p95/p99/p99.9 and the
// load average of the machine during the run.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/detect"
	vhttp "github.com/vigilfiu/vigil/http"
	"github.com/vigilfiu/vigil/internal/machine"
	"github.com/vigilfiu/vigil/sqlite"
)

func main() {
	rate := flag.Int("rate", 2000, "requests per second (max 20000)")
	duration := flag.Duration("duration", 10*time.Second, "measured duration (max 60s)")
	warmup := flag.Duration("warmup", 2*time.Second, "unmeasured warm-up at the same rate")
	parties := flag.Int("parties", 2000, "synthetic parties in the store")
	perParty := flag.Int("transfers", 20, "stored transfers per party")
	workers := flag.Int("workers", 64, "concurrent connections (bounds requests in flight)")
	seed := flag.Uint64("seed", 1, "random seed")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measured run to this file")
	explain := flag.Bool("explain", false, "ask for the indicators' details and transfers (?explain=1)")
	separate := flag.Bool("separate", false, "run the load generator in its own process")
	clientURL := flag.String("client-url", "", "internal: run as the load generator against this URL (token in VIGIL_BENCH_TOKEN)")
	clientBodies := flag.String("client-bodies", "", "internal: file of request bodies, one per line, for -client-url")
	flag.Parse()
	if *clientURL != "" {
		runClient(*clientURL, *clientBodies, *rate, *workers)
		return
	}
	if *rate < 1 || *rate > 20000 || *duration <= 0 || *duration > 60*time.Second || *warmup > 30*time.Second || *workers < 1 || *workers > 1024 {
		log.Fatal("scoreapi: -rate 1..20000, -duration up to 60s, -warmup up to 30s, -workers 1..1024")
	}
	dir, err := os.MkdirTemp("", "scoreapi")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(dir, "bench.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(*seed, 2))
	end, err := seedStore(ctx, db, rng, *parties, *perParty)
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	scorer, err := newScorer(ctx, db)
	if err != nil {
		log.Fatal(err)
	}
	warm := time.Since(t0)
	users := sqlite.NewUserService(db)
	if _, err := vhttp.CreateUser(ctx, users, "bench", vigil.RoleAnalyst, "", "bench-password-not-secret"); err != nil {
		log.Fatal(err)
	}
	token, err := vhttp.NewAPIToken(ctx, users, "bench", "load generator")
	if err != nil {
		log.Fatal(err)
	}
	srv, err := vhttp.NewServer(vhttp.Config{
		Addr: "127.0.0.1:0", Users: users, Audit: sqlite.NewAuditService(db), Cases: sqlite.NewCaseService(db),
		Parties: db, Transfers: db, Alerts: sqlite.NewAlertQueue(db), Network: sqlite.NewNetwork(db), Scorer: scorer,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// Bodies are made before the run so the generator does no JSON work
	// while measuring.
	total := int((*warmup + *duration).Seconds() * float64(*rate))
	bodies := make([][]byte, total)
	for i := range bodies {
		end = end.Add(time.Duration(1+rng.IntN(30)) * time.Second)
		bodies[i] = transferJSON(fmt.Sprintf("L%d", i), end, rng, *parties)
	}
	url := srv.URL() + "/api/v1/transfers/score"
	if *explain {
		url += "?explain=1"
	}
	stopProfile, err := machine.StartCPUProfile(*cpuprofile)
	if err != nil {
		log.Fatal(err)
	}
	defer stopProfile()
	var r load
	if *separate {
		r, err = loadInChild(dir, url, token, bodies, *rate, *workers)
		if err != nil {
			log.Fatal(err)
		}
	} else {
		r = generate(url, token, bodies, *rate, *workers)
	}
	lat, elapsed := r.Lat, r.Elapsed

	first := int(warmup.Seconds() * float64(*rate))
	var ok []time.Duration
	for _, d := range lat[first:] {
		if d >= 0 {
			ok = append(ok, d)
		}
	}
	slices.Sort(ok)
	q := func(p float64) time.Duration {
		if len(ok) == 0 {
			return 0
		}
		return ok[min(len(ok)-1, int(p*float64(len(ok))))]
	}
	out := map[string]any{
		"rate_target": *rate, "measured_requests": total - first, "errors": r.Errors, "queued_behind_busy_connections": r.Queued, "separate_process": *separate,
		"achieved_rate": float64(total) / elapsed.Seconds(),
		"p50_ms":        ms(q(0.50)), "p90_ms": ms(q(0.90)), "p95_ms": ms(q(0.95)), "p99_ms": ms(q(0.99)), "p999_ms": ms(q(0.999)), "max_ms": ms(q(1)),
		"explain": *explain, "load_average": machine.LoadAverage(), "store_parties": *parties, "store_transfers": *parties * *perParty, "engine_warmup_s": warm.Seconds(), "workers": *workers,
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Println(string(b))
	if r.Errors > 0 {
		os.Exit(1)
	}
}

// load is what a load generator measured: each request's latency from its
// scheduled send time (-1 for a failed request), in body order.
type load struct {
	Lat     []time.Duration
	Errors  int64
	Queued  int64 // requests that waited for a free connection
	Elapsed time.Duration
}

// generate sends bodies[i] at start + i/rate on up to workers connections
// (open loop) and returns the latencies.
func generate(url, token string, bodies [][]byte, rate, workers int) load {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
	type job struct {
		i     int
		sched time.Time
	}
	jobs := make(chan job, workers)
	lat := make([]time.Duration, len(bodies))
	var errs, dropped atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				req, _ := http.NewRequest("POST", url, bytes.NewReader(bodies[j.i]))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				lat[j.i] = time.Since(j.sched)
				if err != nil {
					errs.Add(1)
					lat[j.i] = -1
				}
			}
		}()
	}
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	for i := range bodies {
		sched := start.Add(time.Duration(i) * interval)
		if d := time.Until(sched); d > 0 {
			time.Sleep(d)
		}
		select {
		case jobs <- job{i, sched}:
		default:
			// Every connection busy: the request waits, and its latency
			// keeps counting from its scheduled time.
			jobs <- job{i, sched}
			dropped.Add(1)
		}
	}
	close(jobs)
	wg.Wait()
	return load{Lat: lat, Errors: errs.Load(), Queued: dropped.Load(), Elapsed: time.Since(start)}
}

// loadInChild runs generate in a child process of this binary: bodies go
// in a file in dir, the token in the child's environment (not its
// arguments, which other users of the machine can read), the result comes
// back as JSON on the child's standard output.
func loadInChild(dir, url, token string, bodies [][]byte, rate, workers int) (load, error) {
	path := filepath.Join(dir, "bodies.jsonl")
	if err := os.WriteFile(path, bytes.Join(bodies, []byte("\n")), 0o600); err != nil {
		return load{}, err
	}
	self, err := os.Executable()
	if err != nil {
		return load{}, err
	}
	cmd := exec.Command(self, "-client-url", url, "-client-bodies", path, "-rate", fmt.Sprint(rate), "-workers", fmt.Sprint(workers))
	cmd.Env = append(os.Environ(), "VIGIL_BENCH_TOKEN="+token)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return load{}, fmt.Errorf("load generator process: %w", err)
	}
	var r load
	if err := json.Unmarshal(out, &r); err != nil {
		return load{}, fmt.Errorf("load generator output: %w", err)
	}
	if len(r.Lat) != len(bodies) {
		return load{}, fmt.Errorf("load generator returned %d latencies for %d requests", len(r.Lat), len(bodies))
	}
	return r, nil
}

// runClient is the child side of -separate.
func runClient(url, bodiesPath string, rate, workers int) {
	b, err := os.ReadFile(bodiesPath)
	if err != nil {
		log.Fatal(err)
	}
	token := os.Getenv("VIGIL_BENCH_TOKEN")
	if token == "" {
		log.Fatal("scoreapi -client-url: VIGIL_BENCH_TOKEN is empty")
	}
	r := generate(url, token, bytes.Split(b, []byte("\n")), rate, workers)
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		log.Fatal(err)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

var names = []string{"Maria Santos", "Jun Reyes", "Ana Cruz", "Rosa Dela Cruz", "Jose Garcia", "Liza Ramos", "Mark Bautista", "Grace Mendoza"}

// recipient picks the recipient of a transfer from sender p: most senders
// pay their own three relatives; one transfer in fifty goes to one of a
// few shared recipients (the facilitators' pattern), as in the synthetic
// world, so that no beneficiary has thousands of unrelated senders.
func recipient(rng *rand.Rand, p int) (name, country string) {
	if rng.IntN(50) == 0 {
		k := rng.IntN(len(names))
		return names[k], "PH"
	}
	k := rng.IntN(3)
	return fmt.Sprintf("Relative %d-%d", p, k), countries[(p+k)%len(countries)]
}

var countries = []string{"PH", "PH", "PH", "PH", "TH", "VN", "GB", "IN"}
var purposes = []string{"school fees", "medical", "gift", "family support", "", "rent"}

func transferJSON(id string, at time.Time, rng *rand.Rand, parties int) []byte {
	p := 1 + rng.IntN(parties)
	name, country := recipient(rng, p)
	t := vigil.Transfer{ID: id, Timestamp: at, SenderID: fmt.Sprintf("P%d", p),
		BeneficiaryName: name, BeneficiaryCountry: country,
		Amount: vigil.NewAmount(int64(10+rng.IntN(190)), 0), Currency: "AUD", Channel: vigil.ChannelRemittance,
		Purpose: purposes[rng.IntN(len(purposes))]}
	b, _ := json.Marshal(&t)
	return b
}

// seedStore writes a synthetic world and returns the time of its last transfer.
func seedStore(ctx context.Context, db *sqlite.DB, rng *rand.Rand, parties, per int) (time.Time, error) {
	l, err := db.BeginLoad(ctx)
	if err != nil {
		return time.Time{}, err
	}
	for i := 1; i <= parties; i++ {
		if err := l.AddParty(&vigil.Party{ID: fmt.Sprintf("P%d", i), Kind: vigil.PartyPerson, FullName: fmt.Sprintf("Person %d", i), Country: "AU"}); err != nil {
			return time.Time{}, err
		}
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < parties*per; i++ {
		at = at.Add(time.Duration(rng.IntN(60)) * time.Second)
		p := 1 + rng.IntN(parties)
		name, country := recipient(rng, p)
		t := vigil.Transfer{ID: fmt.Sprintf("T%d", i), Timestamp: at, SenderID: fmt.Sprintf("P%d", p),
			BeneficiaryName: name, BeneficiaryCountry: country,
			Amount: vigil.NewAmount(int64(10+rng.IntN(190)), 0), Currency: "AUD", Channel: vigil.ChannelRemittance}
		if err := l.AddTransfer(&t); err != nil {
			return time.Time{}, err
		}
	}
	return at, l.Commit([]byte(`{"bench":"scoreapi"}`))
}

// scorer is the engine behind a mutex, as vigil serve wires it.
type scorer struct {
	mu sync.Mutex
	e  *detect.Engine
}

func newScorer(ctx context.Context, db *sqlite.DB) (*scorer, error) {
	pack, err := detect.DefaultPack()
	if err != nil {
		return nil, err
	}
	e, err := detect.NewEngine(pack, detect.Options{})
	if err != nil {
		return nil, err
	}
	ps, _, err := db.FindParties(ctx, vigil.PartyFilter{Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		e.AddParty(p)
	}
	return &scorer{e: e}, db.EachTransfer(ctx, func(t *vigil.Transfer) error { e.Observe(t); return nil })
}

func (s *scorer) ScoreTransfer(ctx context.Context, t *vigil.Transfer) (*vigil.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Score explains the sender's hits (details and transfers) itself;
	// calling Explain again would only repeat the work.
	return s.e.ObserveAndScore(t)
}

// ScoreTransferOnly is the scoring API's path when the caller did not ask
// for ?explain=1: the same score, typology and contributions, without the
// hits' details and transfer ids (about half of a call's CPU).
func (s *scorer) ScoreTransferOnly(ctx context.Context, t *vigil.Transfer) (*vigil.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.e.ObserveAndScoreOnly(t)
}
