// The payment network around a party, drawn with cytoscape.js from
// /api/v1/parties/{id}/network. Clicking a node expands it: a recipient
// shows every sender who paid it, a party shows its own recipients.
(function () {
  "use strict";
  var el = document.getElementById("graph");
  if (!el || typeof cytoscape === "undefined") return;
  var party = el.getAttribute("data-party");
  var info = document.getElementById("graph-info");
  var from = document.getElementById("g-from"), to = document.getElementById("g-to");
  var cy = cytoscape({
    container: el,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 10, "color": "#1f2933", "text-valign": "bottom", "text-margin-y": 3, "width": 18, "height": 18 } },
      { selector: 'node[kind = "party"]', style: { "background-color": "#1d4e89", "shape": "round-rectangle" } },
      { selector: 'node[kind = "recipient"]', style: { "background-color": "#D55E00" } },
      { selector: "node.centre", style: { "width": 28, "height": 28, "border-width": 3, "border-color": "#0b2545" } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#999" } },
      { selector: "edge", style: { "width": "mapData(transfers, 1, 60, 1, 7)", "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1", "target-arrow-shape": "triangle", "curve-style": "bezier", "label": "data(label)", "font-size": 8, "color": "#5b6470", "text-rotation": "autorotate" } }
    ],
    wheelSensitivity: 0.3
  });
  window.vigilGraph = cy;
  var q = function () {
    var s = "";
    if (from && from.value) s += "&from=" + encodeURIComponent(from.value);
    if (to && to.value) s += "&to=" + encodeURIComponent(to.value);
    return s;
  };
  var add = function (g) {
    var els = [];
    g.nodes.forEach(function (n) { if (cy.getElementById(n.id).empty()) els.push({ group: "nodes", data: n }); });
    g.edges.forEach(function (e) { if (cy.getElementById(e.id).empty()) els.push({ group: "edges", data: e }); });
    cy.add(els);
    cy.layout({ name: "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 90 }).run();
  };
  var get = function (url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  };
  var load = function () {
    cy.elements().remove();
    get("/api/v1/parties/" + encodeURIComponent(party) + "/network?x=1" + q()).then(function (g) {
      add(g);
      cy.getElementById("party:" + party).addClass("centre expanded");
      el.setAttribute("data-loaded", String(cy.nodes().length));
    }).catch(function (err) { info.textContent = "Could not load the network: " + err.message; });
  };
  var show = function (n) {
    info.textContent = "";
    var h = document.createElement("h3"); h.textContent = n.data("label"); info.appendChild(h);
    var p = document.createElement("p"); p.className = "muted";
    p.textContent = n.data("kind") === "party" ? "Party " + n.data("party") : "Recipient known by name";
    info.appendChild(p);
    var deg = document.createElement("p"); deg.textContent = n.degree() + " link(s) shown"; info.appendChild(deg);
    if (n.data("party")) {
      var a = document.createElement("a");
      a.href = "/parties/" + encodeURIComponent(n.data("party")) + "?purpose=" + encodeURIComponent("network of party " + party);
      a.textContent = "Open party page";
      info.appendChild(a);
    }
  };
  cy.on("tap", "node", function (evt) {
    var n = evt.target;
    show(n);
    if (n.hasClass("expanded")) return;
    n.addClass("expanded");
    var url = "/api/v1/network/recipient?key=" + encodeURIComponent(n.id()) + q();
    if (n.data("kind") === "party") url += "&as=sender";
    get(url).then(function (g) {
      add(g);
      el.setAttribute("data-loaded", String(cy.nodes().length));
      el.setAttribute("data-expanded", n.id());
    }).catch(function (err) { info.textContent = "Could not expand: " + err.message; });
  });
  var f = document.getElementById("graph-filter");
  if (f) f.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  load();
})();
