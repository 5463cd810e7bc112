// Package memory holds what vigil asks of the operating system for its
// large in-memory tables (the graph's, the resolver's and the scan
// engine's): mapping a fresh array's pages in one call, and backing the
// heap with 2 MiB pages where the system leaves that to the program. It
// knows nothing of payments or parties.
package memory
