package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"

	"github.com/spf13/cobra"

	"github.com/vigilfiu/vigil"
	vcsv "github.com/vigilfiu/vigil/csv"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/dossier"
	"github.com/vigilfiu/vigil/goaml"
	vhttp "github.com/vigilfiu/vigil/http"
	"github.com/vigilfiu/vigil/sqlite"
)

// serveOptions are the flags of vigil serve; vigil demo uses them too.
type serveOptions struct {
	addr, cert, key string
	insecure        bool
	noScore         bool
	engine          scanInput // --rules and --fx of the scoring engine
	goamlEntity     string    // reporting entity YAML: enables the goAML export
	goamlProfile    string
}

func newServeCmd(e *env) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the investigators' workspace and its API",
		Long: `serve runs the web workspace (alert queue, parties, cases, dossiers,
audit log) and the JSON API (/api/v1, documented at /api/v1/openapi.yaml)
on the store given by --db. It listens on 127.0.0.1:8080 unless told
otherwise, and refuses a non-loopback address without TLS (--cert and
--key) unless --insecure. Create the first account with vigil user add.
The Leads and party pages show the results brought in with vigil findings
import. --fx gives the scoring engine its FX rates; --goaml-entity lets
supervisors approve and export a case's goAML STR from the case page.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := sqlite.Open(e.db)
			if err != nil {
				return err
			}
			defer db.Close()
			return serveStore(cmd.Context(), e, db, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port)")
	f.StringVar(&o.cert, "cert", "", "TLS certificate file (PEM)")
	f.StringVar(&o.key, "key", "", "TLS private key file (PEM)")
	f.BoolVar(&o.insecure, "insecure", false, "allow a non-loopback address without TLS (behind a TLS proxy only)")
	f.BoolVar(&o.noScore, "no-score", false, "do not load the scoring engine (POST /api/v1/transfers/score answers 501)")
	f.StringVar(&o.goamlEntity, "goaml-entity", "", "reporting entity YAML (as for vigil export goaml): lets supervisors approve and export a case's goAML STR from the case page")
	f.StringVar(&o.goamlProfile, "goaml-profile", "", "goAML profile for that export: an embedded name or a .yaml file (default "+goaml.DefaultProfile+")")
	f.StringVar(&o.engine.rules, "rules", "", "rule pack YAML of the scoring engine (default: the pack shipped with vigil)")
	f.StringVar(&o.engine.fx, "fx", "", "FX rates CSV (currency,rate = EUR per unit) for the scoring engine's amount comparisons across currencies")
	return cmd
}

// newWorkspace builds the workspace server on an open store, with the
// streaming engine warmed on the stored transfers unless o.noScore.
func newWorkspace(ctx context.Context, e *env, db *sqlite.DB, o serveOptions) (*vhttp.Server, error) {
	cfg := vhttp.Config{
		Addr: o.addr, CertFile: o.cert, KeyFile: o.key, Insecure: o.insecure,
		Users:     sqlite.NewUserService(db),
		Audit:     sqlite.NewAuditService(db),
		Cases:     sqlite.NewCaseService(db),
		Parties:   db,
		Transfers: db,
		Alerts:    sqlite.NewAlertQueue(db),
		Network:   sqlite.NewNetwork(db),
		Findings:  sqlite.NewFindingService(db),
		Leads:     db,
		Logger:    slog.New(slog.NewJSONHandler(e.stderr, nil)),
	}
	cfg.Dossier = &dossierRenderer{src: dossier.NewStore(db)}
	if o.goamlEntity != "" {
		w, err := newGoAMLWriter(o.goamlEntity, o.goamlProfile, o.engine.fx)
		if err != nil {
			return nil, err
		}
		cfg.STR = w
	}
	if !o.noScore {
		sc, err := newEngineScorer(ctx, db, &o.engine)
		if err != nil {
			return nil, err
		}
		cfg.Scorer = sc
	}
	return vhttp.NewServer(cfg)
}

// serveStore serves the workspace on db until ctx ends. vigil demo calls
// it after building the demo world.
func serveStore(ctx context.Context, e *env, db *sqlite.DB, o serveOptions) error {
	s, err := newWorkspace(ctx, e, db, o)
	if err != nil {
		return err
	}
	if err := s.Open(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "vigil workspace on %s (Ctrl-C to stop)\n", s.URL())
	<-ctx.Done()
	return s.Close()
}

// ensureDemoUser creates a supervisor account when the store has no
// account of that name yet, so that vigil demo can print how to sign in.
// A supervisor may triage alerts, open and work cases, refer and close
// them: one account can walk the whole way from alert to referred case.
// It reports whether the account was created.
func ensureDemoUser(ctx context.Context, db *sqlite.DB, name, password string) (bool, error) {
	users := sqlite.NewUserService(db)
	if _, err := users.FindUserByName(ctx, name); err == nil {
		return false, nil
	} else if vigil.ErrorCode(err) != vigil.ENOTFOUND {
		return false, err
	}
	_, err := vhttp.CreateUser(ctx, users, name, vigil.RoleSupervisor, "", password)
	return err == nil, err
}

// engineScorer serialises the streaming engine (not safe for concurrent
// use) behind the API's Scorer interface.
type engineScorer struct {
	mu sync.Mutex
	e  *detect.Engine
}

// newEngineScorer builds the engine with the rule pack and FX rates of in
// (the shipped pack and no rates by default) and feeds it the stored
// parties and transfers, so that a scored transfer is seen in the context
// of its sender's history.
func newEngineScorer(ctx context.Context, db *sqlite.DB, in *scanInput) (*engineScorer, error) {
	eng, err := in.newEngine()
	if err != nil {
		return nil, err
	}
	for off := 0; ; off += 10000 {
		ps, _, err := db.FindParties(ctx, vigil.PartyFilter{Offset: off, Limit: 10000})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			eng.AddParty(p)
		}
		if len(ps) < 10000 {
			break
		}
	}
	if err := db.EachTransfer(ctx, func(t *vigil.Transfer) error { eng.Observe(t); return nil }); err != nil {
		return nil, err
	}
	return &engineScorer{e: eng}, nil
}

func (s *engineScorer) ScoreTransfer(ctx context.Context, t *vigil.Transfer) (*vigil.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Score explains the sender's hits (details and transfers) itself;
	// calling Explain again would only repeat the work.
	return s.e.ObserveAndScore(t)
}

// ScoreTransferOnly is the scoring API's path when the caller did not ask
// for ?explain=1: the same score, typology and contributions, without the
// hits' details and transfer ids (about half of a call's CPU).
func (s *engineScorer) ScoreTransferOnly(ctx context.Context, t *vigil.Transfer) (*vigil.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.e.ObserveAndScoreOnly(t)
}

// goamlWriter writes a case's STR with package goaml, as vigil export
// goaml --case does, for the workspace's case page.
type goamlWriter struct {
	entity    *goaml.Entity
	profile   *goaml.Profile
	catalogue map[string]vigil.Indicator
	rates     map[string]string // currency → local units per unit, from --fx
}

// newGoAMLWriter loads the entity and profile; with fx (EUR per unit) the
// transfers in other currencies are converted into the entity's local
// currency, which goAML requires.
func newGoAMLWriter(entity, profile, fx string) (*goamlWriter, error) {
	ent, err := goaml.LoadEntity(entity)
	if err != nil {
		return nil, err
	}
	prof, err := goaml.LoadProfile(profile)
	if err != nil {
		return nil, err
	}
	w := &goamlWriter{entity: ent, profile: prof, catalogue: map[string]vigil.Indicator{}, rates: map[string]string{}}
	if fx != "" {
		eur, err := vcsv.ReadFXRatesFile(fx, vcsv.Options{})
		if err != nil {
			return nil, asInvalid(err)
		}
		eur["EUR"] = 1
		if local, ok := eur[ent.LocalCurrency]; ok {
			for cur, r := range eur {
				if cur != ent.LocalCurrency {
					w.rates[cur] = strconv.FormatFloat(r/local, 'f', -1, 64)
				}
			}
		}
	}
	if defs, err := detect.Catalogue(); err == nil {
		for _, def := range defs {
			w.catalogue[def.Code] = def.Indicator
		}
	}
	return w, nil
}

func (g *goamlWriter) WriteSTR(ctx context.Context, w *bytes.Buffer, r *vhttp.STR) error {
	rep := &goaml.Report{
		Reference: r.Case.ID, Date: r.At, Parties: r.Parties, Transfers: r.Transfers, Alerts: r.Alerts,
		Reason: "Case " + r.Case.ID + ": " + r.Case.Title + " (approved by " + r.By + ")", Catalogue: g.catalogue, Rates: g.rates,
	}
	return goaml.Write(w, g.entity, rep, g.profile)
}

// dossierRenderer renders the case file with package dossier for the
// workspace's downloads.
type dossierRenderer struct{ src dossier.Source }

func (d *dossierRenderer) HTML(ctx context.Context, caseID, by string) ([]byte, error) {
	ds, err := dossier.Load(ctx, d.src, caseID)
	if err != nil {
		return nil, err
	}
	ds.GeneratedBy = by
	var b bytes.Buffer
	if err := dossier.WriteHTML(&b, ds); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (d *dossierRenderer) PDF(ctx context.Context, html []byte) ([]byte, error) {
	return dossier.PDF(ctx, html)
}
