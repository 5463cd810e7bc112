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
// Who may do what (the route table in routes.go is the reference):
// analysts, investigators and supervisors triage alerts, read parties, the
// Leads page and the imported findings (lead matches, trace results,
// call-log attributions, duplicate records), and take a finding into a
// case; investigators and analysts start and resume investigations;
// supervisors assign, refer and close, and alone approve and export a
// case's goAML STR (issue 6: supervisors approve reports), always with
// need-to-know of the case; the printable dossier is open to every member
// of the case and their supervisors; auditors read the audit log only;
// admins manage accounts only.
//
// It must not show case content to auditors or admins, nor a case to a user
// without need-to-know, and must never render stored text unescaped.
package http
