// Package graph holds vigil's payment network: domestic senders and the
// beneficiaries their transfers resolve to, as a weighted bipartite graph
// whose edges carry time, amounts, counts and typology features. It builds
// the graph in one pass over transfers (from files or the store), resolves
// a foreign seed to beneficiaries with an explained score, ranks domestic
// senders from the seeds (trace-back) and exports the network as GEXF 1.3
// and GraphML for the graph tools investigators use.
//
// The graph is compact: node ids are int32, adjacency is CSR, and the
// transfers behind each edge are kept as fixed-size rows so that every
// ranked sender can be explained down to transfer ids. It holds payment
// metadata only.
package graph
