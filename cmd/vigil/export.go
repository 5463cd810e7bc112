package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vigilfiu/vigil"
	"github.com/vigilfiu/vigil/detect"
	"github.com/vigilfiu/vigil/dossier"
	"github.com/vigilfiu/vigil/ftm"
	"github.com/vigilfiu/vigil/goaml"
	"github.com/vigilfiu/vigil/mapping"
	"github.com/vigilfiu/vigil/sqlite"
)

// newExportCmd wires the exports: goAML reports and FollowTheMoney entities
// from the store, and provider CSV files converted to the interchange format.
func newExportCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write reports and exchange files: goAML, FollowTheMoney, case dossier, interchange CSV",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(newExportGoAMLCmd(e), newExportFtMCmd(e), newExportInterchangeCmd(e), newExportDossierCmd(e))
	return cmd
}

// selection is what an export is about: a case, or parties named one by one.
type selection struct {
	parties []string
	caseID  string
}

func (s *selection) flags(cmd *cobra.Command) {
	cmd.Flags().StringSliceVar(&s.parties, "party", nil, "party id to include (repeatable, or comma-separated)")
	cmd.Flags().StringVar(&s.caseID, "case", "", "case id: its parties, its transfer evidence (or all their transfers) and their alerts")
}

// caseData is the domain values an export needs, read from the store.
type caseData struct {
	c         *vigil.Case
	parties   []*vigil.Party
	transfers []*vigil.Transfer
	alerts    []*vigil.Alert
}

// load reads the selection from the store. all: with neither parties nor a
// case, take every party and transfer (FtM) instead of refusing (goAML).
func (s *selection) load(ctx context.Context, db *sqlite.DB, all bool) (*caseData, error) {
	d := &caseData{}
	ids := slices.Clone(s.parties)
	var evidence map[string]bool // transfer ids named as evidence
	if s.caseID != "" {
		cs := sqlite.NewCaseService(db)
		c, err := cs.FindCaseByID(ctx, s.caseID)
		if err != nil {
			return nil, err
		}
		d.c = c
		ids = append(ids, c.PartyIDs...)
		ev, err := cs.FindEvidence(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, item := range ev {
			if item.Kind == vigil.EvidenceTransfer {
				if evidence == nil {
					evidence = map[string]bool{}
				}
				evidence[item.ObjectID] = true
			}
		}
	}
	if len(ids) == 0 {
		if !all {
			return nil, vigil.Errorf(vigil.EINVALID, "name the parties (--party ID) or the case (--case ID) to report")
		}
		parties, _, err := db.FindParties(ctx, vigil.PartyFilter{})
		if err != nil {
			return nil, err
		}
		d.parties = parties
		err = db.EachTransfer(ctx, func(t *vigil.Transfer) error {
			cp := *t
			d.transfers = append(d.transfers, &cp)
			return nil
		})
		return d, err
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		p, err := db.FindPartyByID(ctx, id)
		if err != nil {
			return nil, err
		}
		d.parties = append(d.parties, p)
		ts, err := db.FindTransfers(ctx, vigil.TransferFilter{SenderID: &p.ID})
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if evidence == nil || evidence[t.ID] {
				d.transfers = append(d.transfers, t)
			}
		}
		as, _, err := db.FindAlerts(ctx, vigil.AlertFilter{PartyID: &p.ID})
		if err != nil {
			return nil, err
		}
		d.alerts = append(d.alerts, as...)
	}
	return d, nil
}

// output opens the -o file, or stdout.
func output(e *env, path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, vigil.Errorf(vigil.EINVALID, "cannot write %s: %v", path, err)
	}
	return f, f.Close, nil
}

func newExportGoAMLCmd(e *env) *cobra.Command {
	var (
		sel                                     selection
		entity, profile, out, reference, schema string
		documents                               string
		reason, action                          string
		rates                                   []string
	)
	cmd := &cobra.Command{
		Use:   "goaml --entity entity.yaml (--case ID | --party ID …)",
		Short: "Write a goAML suspicious transaction report (STR) for a case or parties",
		Long: `Write a goAML STR for a case or a set of parties: the reporting entity
and person (from --entity), the reason (every alert and indicator in words),
each transfer as a transaction from the client (t_from_my_client) to the
recipient (t_to), and the report indicators. Code lists come from the
profile: ` + strings.Join(goaml.Profiles(), ", ") + ` (default ` + goaml.DefaultProfile + `) or a YAML file.
With --schema the written file is validated with xmllint.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ent, err := goaml.LoadEntity(entity)
			if err != nil {
				return err
			}
			prof, err := goaml.LoadProfile(profile)
			if err != nil {
				return err
			}
			rateMap := map[string]string{}
			for _, r := range rates {
				k, v, ok := strings.Cut(r, "=")
				if !ok || !vigil.IsCurrencyCode(k) {
					return vigil.Errorf(vigil.EINVALID, "--rate %q: want CUR=rate, e.g. USD=0.92 (local units per unit)", r)
				}
				rateMap[k] = v
			}
			db, err := sqlite.Open(e.db)
			if err != nil {
				return err
			}
			defer db.Close()
			d, err := sel.load(cmd.Context(), db, false)
			if err != nil {
				return err
			}
			rep := &goaml.Report{
				Reference: reference, Date: time.Now(), Parties: d.parties, Transfers: d.transfers, Alerts: d.alerts,
				Reason: reason, Action: action, Rates: rateMap, Catalogue: map[string]vigil.Indicator{},
			}
			if d.c != nil {
				if rep.Reference == "" {
					rep.Reference = d.c.ID
				}
				if rep.Reason == "" {
					rep.Reason = "Case " + d.c.ID + ": " + d.c.Title
				}
			}
			if documents != "" {
				f, err := os.Open(documents)
				if err != nil {
					return vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", documents, err)
				}
				rep.Identifications, err = goaml.ReadIdentifications(f, documents)
				f.Close()
				if err != nil {
					return err
				}
			}
			if defs, err := detect.Catalogue(); err == nil {
				for _, def := range defs {
					rep.Catalogue[def.Code] = def.Indicator
				}
			}
			w, closeOut, err := output(e, out)
			if err != nil {
				return err
			}
			if err := goaml.Write(w, ent, rep, prof); err != nil {
				closeOut()
				return err
			}
			if err := closeOut(); err != nil {
				return err
			}
			if schema != "" {
				if out == "" || out == "-" {
					return vigil.Errorf(vigil.EINVALID, "--schema needs -o FILE: the written file is what xmllint checks")
				}
				if err := goaml.ValidateXSD(cmd.Context(), out, schema); err != nil {
					return err
				}
			}
			if out != "" && out != "-" {
				fmt.Fprintf(e.stderr, "wrote %s: goAML %s (%s), %d transactions, %d parties, %d alerts\n", out, prof.ReportCode, prof.Name, len(d.transfers), len(d.parties), len(d.alerts))
			}
			return nil
		},
	}
	sel.flags(cmd)
	cmd.Flags().StringVar(&entity, "entity", "", "YAML file describing the reporting entity and person (required)")
	cmd.Flags().StringVar(&profile, "profile", "", "goAML profile: an embedded name or a .yaml file")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	cmd.Flags().StringVar(&reference, "reference", "", "the entity's reference for the report (default: the case id)")
	cmd.Flags().StringVar(&reason, "reason", "", "text placed before the generated explanation")
	cmd.Flags().StringVar(&action, "action", "", "what the entity has done")
	cmd.Flags().StringSliceVar(&rates, "rate", nil, "exchange rate into the local currency, CUR=rate (repeatable)")
	cmd.Flags().StringVar(&schema, "schema", "", "validate the written file against this XSD with xmllint")
	cmd.Flags().StringVar(&documents, "documents", "", "CSV of clients' identity documents (party_id,kind,number,issue_date,expiry_date,issue_country), required by some FIUs (UAE)")
	cmd.MarkFlagRequired("entity")
	return cmd
}

func newExportFtMCmd(e *env) *cobra.Command {
	var (
		sel        selection
		model, out string
	)
	cmd := &cobra.Command{
		Use:   "ftm [--case ID | --party ID …]",
		Short: "Write FollowTheMoney entities (JSON lines) for a case, parties or the whole store",
		Long: `Write parties as Person or LegalEntity, transfers as Payment with their
accounts (BankAccount), recipients (LegalEntity) and wallet numbers
(UserAccount), one JSON object per line, for OpenAleph/Aleph and the FtM
tools. Without --case or --party every party and transfer is written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := sqlite.Open(e.db)
			if err != nil {
				return err
			}
			defer db.Close()
			d, err := sel.load(cmd.Context(), db, true)
			if err != nil {
				return err
			}
			w, closeOut, err := output(e, out)
			if err != nil {
				return err
			}
			fw, err := ftm.NewWriter(w, model)
			if err != nil {
				closeOut()
				return err
			}
			written := map[string]bool{}
			for _, p := range d.parties {
				written[p.ID] = true
				if err := fw.WriteParty(p); err != nil {
					closeOut()
					return err
				}
			}
			for _, t := range d.transfers {
				// A payer or known recipient outside the selection is written
				// too, so every reference resolves.
				for _, id := range []string{t.SenderID, t.BeneficiaryID} {
					if id != "" && !written[id] {
						written[id] = true
						p, err := db.FindPartyByID(cmd.Context(), id)
						if err != nil {
							closeOut()
							return err
						}
						if err := fw.WriteParty(p); err != nil {
							closeOut()
							return err
						}
					}
				}
				if err := fw.WriteTransfer(t); err != nil {
					closeOut()
					return err
				}
			}
			if err := fw.Flush(); err != nil {
				closeOut()
				return err
			}
			if err := closeOut(); err != nil {
				return err
			}
			if out != "" && out != "-" {
				fmt.Fprintf(e.stderr, "wrote %s: %d FollowTheMoney entities\n", out, fw.Count())
			}
			return nil
		},
	}
	sel.flags(cmd)
	cmd.Flags().StringVar(&model, "model", "4", "FtM model version: 4 or 3 (3.8)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

func newExportInterchangeCmd(e *env) *cobra.Command {
	var mapFile, out string
	cmd := &cobra.Command{
		Use:   "interchange --mapping map.yaml INPUT.csv",
		Short: "Convert a provider's own CSV export into vigil's interchange CSV with a mapping file",
		Long: `Convert a provider's CSV export into parties.csv, transfers.csv, calls.csv
or leads.csv (docs/format.md) as described by a YAML mapping (docs/formats.md):
renamed, joined or split columns, dates in a given layout, looked-up and
fixed values. Rows that cannot be converted are listed with file:line:column
and left out; then the command fails with exit code 2.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := mapping.Load(mapFile)
			if err != nil {
				return err
			}
			in, err := os.Open(args[0])
			if err != nil {
				return vigil.Errorf(vigil.EINVALID, "cannot read %s: %v", args[0], err)
			}
			defer in.Close()
			w, closeOut, err := output(e, out)
			if err != nil {
				return err
			}
			res, err := m.Convert(in, args[0], w)
			if cerr := closeOut(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			for _, r := range res.Rejected {
				fmt.Fprintln(e.stderr, r.Error())
			}
			fmt.Fprintf(e.stderr, "%d rows read, %d written, %d rejected\n", res.Rows, res.Written, len(res.Rejected))
			if len(res.Rejected) > 0 {
				return vigil.Errorf(vigil.EINVALID, "%d of %d rows of %s could not be converted (listed above)", len(res.Rejected), res.Rows, args[0])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&mapFile, "mapping", "", "YAML mapping file (required)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	cmd.MarkFlagRequired("mapping")
	return cmd
}

func newExportDossierCmd(e *env) *cobra.Command {
	var caseID, format, out, user string
	cmd := &cobra.Command{
		Use:   "dossier --case ID [--format html|pdf] --out FILE",
		Short: "Write a case dossier for a prosecutor: one self-contained HTML file, or PDF",
		Long: `Write the dossier of a case: header and status history, parties with
their identity records, evidence with provenance, alerts with their
indicators and published sources, a timeline chart and a network picture of
the transfers (drawn as SVG, no script), the table of transfers, and who
generated it when. HTML is one file that needs nothing else; PDF is printed
from it by headless chromium, which must be installed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "html" && format != "pdf" {
				return vigil.Errorf(vigil.EINVALID, "--format %q: want html or pdf", format)
			}
			if format == "pdf" {
				if _, err := dossier.Browser(); err != nil {
					return err
				}
			}
			db, err := sqlite.Open(e.db)
			if err != nil {
				return err
			}
			defer db.Close()
			d, err := dossier.Load(cmd.Context(), dossier.NewStore(db), caseID)
			if err != nil {
				return err
			}
			d.GeneratedBy = user
			var doc bytes.Buffer
			if err := dossier.WriteHTML(&doc, d); err != nil {
				return err
			}
			body := doc.Bytes()
			if format == "pdf" {
				if body, err = dossier.PDF(cmd.Context(), body); err != nil {
					return err
				}
			}
			w, closeOut, err := output(e, out)
			if err != nil {
				return err
			}
			_, err = w.Write(body)
			if cerr := closeOut(); err == nil {
				err = cerr
			}
			if err != nil {
				return vigil.Errorf(vigil.EINVALID, "cannot write %s: %v", out, err)
			}
			if out != "" && out != "-" {
				fmt.Fprintf(e.stderr, "wrote %s: dossier of case %s (%s, %d bytes): %d parties, %d evidence items, %d alerts, %d transfers\n",
					out, d.Case.ID, format, len(body), len(d.Parties), len(d.Evidence), len(d.Alerts), len(d.Transfers))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&caseID, "case", "", "case id (required)")
	cmd.Flags().StringVar(&format, "format", "html", "html or pdf (pdf needs chromium)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "write to this file instead of standard output")
	cmd.Flags().StringVar(&user, "user", os.Getenv("USER"), "user named as the dossier's author")
	cmd.MarkFlagRequired("case")
	return cmd
}
