// vigil workspace behaviour: CSRF header for htmx, keyboard triage in the
// alert queue, select-all, print. No inline script anywhere (strict CSP).
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf");
  document.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRF-Token"] = csrf;
  });

  // Delegated, so that it keeps working after htmx swaps the queue in.
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "select-all") {
      document.querySelectorAll('#alert-table input[name="alert"]').forEach(function (c) { c.checked = e.target.checked; });
    }
  });

  var pr = document.querySelector("[data-print]");
  if (pr) pr.addEventListener("click", function () { window.print(); });

  if (!document.getElementById("alert-table")) return;
  var rows = function () {
    var table = document.getElementById("alert-table");
    return table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-alert]")) : [];
  };
  var cur = -1;
  var focus = function (i) {
    var rs = rows();
    if (!rs.length) return;
    cur = Math.max(0, Math.min(rs.length - 1, i));
    rs[cur].focus();
  };
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t && (t.tagName === "INPUT" && t.type !== "checkbox" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) {
      if (e.key === "Escape") t.blur();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var rs = rows();
    if (t && t.closest) { var tr = t.closest("tr[data-alert]"); if (tr) cur = rs.indexOf(tr); }
    switch (e.key) {
      case "j": focus(cur + 1); e.preventDefault(); break;
      case "k": focus(cur - 1); e.preventDefault(); break;
      case "x": if (rs[cur]) { var c = rs[cur].querySelector('input[type="checkbox"]'); c.checked = !c.checked; rs[cur].classList.toggle("selected", c.checked); } e.preventDefault(); break;
      case "o": if (rs[cur]) { rs[cur].querySelector("a.party-link").click(); } e.preventDefault(); break;
      case "r": document.getElementById("reason").focus(); e.preventDefault(); break;
      case "/": document.getElementById("f-score").focus(); e.preventDefault(); break;
    }
  });
})();
