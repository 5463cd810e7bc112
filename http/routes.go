package http

import (
	"net/http"

	"github.com/vigilfiu/vigil"
)

// Who may do what. Need-to-know on cases is checked in the handlers on top
// of these roles.
var (
	workRoles  = []vigil.Role{vigil.RoleAnalyst, vigil.RoleInvestigator, vigil.RoleSupervisor}
	caseRoles  = []vigil.Role{vigil.RoleAnalyst, vigil.RoleInvestigator, vigil.RoleSupervisor}
	superRoles = []vigil.Role{vigil.RoleSupervisor}
	auditRoles = []vigil.Role{vigil.RoleAuditor}
	adminRoles = []vigil.Role{vigil.RoleAdmin}
)

// routeTable lists every route with the roles allowed to call it.
func (s *Server) routeTable() []route {
	return []route{
		{method: "GET", pattern: "/login", public: true, h: s.handleLoginPage},
		{method: "POST", pattern: "/login", public: true, h: s.handleLogin},
		{method: "POST", pattern: "/logout", h: s.handleLogout},
		{method: "GET", pattern: "/{$}", h: s.handleHome},

		{method: "GET", pattern: "/alerts", roles: workRoles, h: s.handleAlerts},
		{method: "POST", pattern: "/alerts/triage", roles: workRoles, h: s.handleTriage},
		{method: "GET", pattern: "/parties", roles: workRoles, h: s.handleParties},
		{method: "GET", pattern: "/parties/{id}", roles: workRoles, h: s.handleParty},
		{method: "GET", pattern: "/leads", roles: workRoles, h: s.handleLeads},
		{method: "POST", pattern: "/findings/{id}/case", roles: caseRoles, h: s.handleFindingCase},
		{method: "GET", pattern: "/cases", roles: caseRoles, h: s.handleCases},
		{method: "POST", pattern: "/cases", roles: caseRoles, h: s.handleCreateCase},
		{method: "GET", pattern: "/cases/{id}", roles: caseRoles, h: s.handleCase},
		{method: "GET", pattern: "/cases/{id}/dossier", roles: caseRoles, h: s.handleDossier},
		{method: "GET", pattern: "/cases/{id}/dossier/{format}", roles: caseRoles, h: s.handleDossierFile},
		{method: "POST", pattern: "/cases/{id}/status", roles: caseRoles, h: s.handleCaseStatus},
		{method: "POST", pattern: "/cases/{id}/goaml", roles: superRoles, h: s.handleExportSTR},
		{method: "POST", pattern: "/cases/{id}/assign", roles: superRoles, h: s.handleCaseAssign},
		{method: "POST", pattern: "/cases/{id}/evidence", roles: caseRoles, h: s.handleAddEvidence},
		{method: "POST", pattern: "/evidence", roles: caseRoles, h: s.handleAddEvidence},
		{method: "GET", pattern: "/audit", roles: auditRoles, h: s.handleAudit},
		{method: "GET", pattern: "/admin/users", roles: adminRoles, h: s.handleUsers},
		{method: "POST", pattern: "/admin/users", roles: adminRoles, h: s.handleCreateUser},
		{method: "POST", pattern: "/admin/users/{name}", roles: adminRoles, h: s.handleUpdateUser},

		{method: "GET", pattern: "/api/v1/me", api: true, h: s.apiMe},
		{method: "GET", pattern: "/api/v1/alerts", api: true, roles: workRoles, h: s.apiAlerts},
		{method: "POST", pattern: "/api/v1/alerts/triage", api: true, roles: workRoles, h: s.apiTriage},
		{method: "GET", pattern: "/api/v1/parties", api: true, roles: workRoles, h: s.apiParties},
		{method: "GET", pattern: "/api/v1/parties/{id}", api: true, roles: workRoles, h: s.apiParty},
		{method: "GET", pattern: "/api/v1/parties/{id}/network", api: true, roles: workRoles, h: s.apiPartyNetwork},
		{method: "GET", pattern: "/api/v1/network/recipient", api: true, roles: workRoles, h: s.apiRecipientNetwork},
		{method: "GET", pattern: "/api/v1/leads", api: true, roles: workRoles, h: s.apiLeads},
		{method: "GET", pattern: "/api/v1/findings", api: true, roles: workRoles, h: s.apiFindings},
		{method: "POST", pattern: "/api/v1/findings/{id}/case", api: true, roles: caseRoles, h: s.apiFindingCase},
		{method: "GET", pattern: "/api/v1/cases", api: true, roles: caseRoles, h: s.apiCases},
		{method: "POST", pattern: "/api/v1/cases", api: true, roles: caseRoles, h: s.apiCreateCase},
		{method: "GET", pattern: "/api/v1/cases/{id}", api: true, roles: caseRoles, h: s.apiCase},
		{method: "GET", pattern: "/api/v1/cases/{id}/dossier/{format}", api: true, roles: caseRoles, h: s.handleDossierFile},
		{method: "POST", pattern: "/api/v1/cases/{id}/goaml", api: true, roles: superRoles, h: s.handleExportSTR},
		{method: "POST", pattern: "/api/v1/cases/{id}/status", api: true, roles: caseRoles, h: s.apiCaseStatus},
		{method: "POST", pattern: "/api/v1/cases/{id}/assign", api: true, roles: superRoles, h: s.apiCaseAssign},
		{method: "POST", pattern: "/api/v1/cases/{id}/evidence", api: true, roles: caseRoles, h: s.apiAddEvidence},
		{method: "GET", pattern: "/api/v1/audit", api: true, roles: auditRoles, h: s.apiAudit},
		{method: "GET", pattern: "/api/v1/audit/verify", api: true, roles: auditRoles, h: s.apiAuditVerify},
		{method: "GET", pattern: "/api/v1/users", api: true, roles: adminRoles, h: s.apiUsers},
		{method: "POST", pattern: "/api/v1/transfers/score", api: true, roles: workRoles, h: s.apiScore},
	}
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	to := "/alerts"
	switch rc.User.Role {
	case vigil.RoleAuditor:
		to = "/audit"
	case vigil.RoleAdmin:
		to = "/admin/users"
	case vigil.RoleInvestigator, vigil.RoleSupervisor:
		to = "/cases"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
