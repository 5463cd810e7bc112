// Package vigil holds the domain of vigil: the parties, transfers,
// beneficiaries, leads, alerts, cases and indicators that investigators
// speak of, and the service interfaces that storage, detection and the web
// application implement.
//
// vigil handles payments, identities and metadata only. It never stores,
// fetches, describes or generates media or sexual content.
//
// Subpackages are named after what they depend on (sqlite, csv, http, goaml)
// or what they do (detect, resolve, graph, correlate, synth) and import this
// package, never the other way round.
package vigil

// Version is set at build time with -ldflags "-X github.com/vigilfiu/vigil.Version=…".
var Version = "dev"
