// Package http serves the investigators' workspace: the web pages (alert
// queue, party page, cases, dossier, audit log, accounts) and the JSON API
// under /api/v1 that does the same for machine clients, with /metrics for
// Prometheus.
//
// It owns authentication (argon2id passwords, session cookies, CSRF tokens,
// lock-out, optional TOTP), authorisation (roles and need-to-know) and the
// recording of every sign-in, view, export and change in the audit log. It
// reads and writes only through the root service interfaces; cmd/vigil
// wires the sqlite implementations in.
//
// It must not show case content to auditors or admins, nor a case to a user
// without need-to-know, and must never render stored text unescaped.
package http
