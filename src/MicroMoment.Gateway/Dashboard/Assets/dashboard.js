// MicroMoment operator dashboard: reads /dashboard/api (cookie or server key), draws inline SVG, no external resources.
(function () {
  "use strict";
  const MAX_HISTORY = 300;
  const SVG = "http://www.w3.org/2000/svg";
  const COLORS = ["#2f6fde", "#e0a100", "#b3261e", "#2e9d57", "#8a4fd1", "#00838f"];
  const state = { history: [], source: null, page: "overview", userId: null, userBusy: false, model: null, experimentsLoaded: false, census: null, censusBusy: false };
  window.mmDashboard = state;

  const $ = (id) => document.getElementById(id);
  const fmt = (v, digits) => v === null || v === undefined || Number.isNaN(v) ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: digits === undefined ? 2 : digits });
  const bytes = (v) => v >= 1 << 30 ? fmt(v / (1 << 30), 2) + " GiB" : fmt(v / (1 << 20), 1) + " MiB";

  function setNumber(id, value, digits) {
    const el = $(id);
    el.textContent = fmt(value, digits);
    el.dataset.value = value === null || value === undefined ? "" : String(value);
  }

  function fillRows(table, rows) {
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const cells of rows) {
      const tr = document.createElement("tr");
      for (const cell of cells) {
        const td = document.createElement("td");
        if (typeof cell === "number") { td.className = "num"; td.textContent = fmt(cell, 4); td.dataset.value = String(cell); }
        else td.textContent = cell === null || cell === undefined ? "–" : String(cell);
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
  }

  // Sizes an SVG's coordinate system to its laid-out width, so drawings fill it without stretching text.
  function fit(svg, height) {
    const w = Math.max(300, Math.round(svg.clientWidth || 600));
    svg.setAttribute("viewBox", "0 0 " + w + " " + height);
    return w;
  }

  function el(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A line chart of one or more series (arrays of numbers or nulls) on a shared y axis from 0.
  function lineChart(svg, series, options) {
    const h = options && options.height || 180, left = 46, bottom = 16, top = 8;
    const w = fit(svg, h);
    svg.replaceChildren();
    let max = options && options.max || 0;
    for (const s of series) for (const v of s.values) if (v !== null && v > max) max = v;
    if (max <= 0) max = 1;
    const n = Math.max(2, ...series.map(s => s.values.length));
    const x = (i) => left + (w - left - 4) * i / (n - 1);
    const y = (v) => top + (h - top - bottom) * (1 - v / max);
    svg.appendChild(el("line", { x1: left, y1: y(0), x2: w - 4, y2: y(0), stroke: "#c5ceda" }));
    svg.appendChild(el("text", { x: 2, y: y(max) + 10, "font-size": 11, fill: "#5b6b80" }, fmt(max, max >= 100 ? 0 : 3)));
    svg.appendChild(el("text", { x: 2, y: y(0), "font-size": 11, fill: "#5b6b80" }, "0"));
    series.forEach((s, k) => {
      let d = "";
      s.values.forEach((v, i) => { if (v !== null && v !== undefined) d += (d === "" || s.values[i - 1] === null ? "M" : "L") + x(i).toFixed(1) + " " + y(v).toFixed(1) + " "; });
      const color = s.color || COLORS[k % COLORS.length];
      if (d) svg.appendChild(el("path", { d, fill: "none", stroke: color, "stroke-width": 1.8, "data-series": s.name }));
      // A value between two gaps (an interval with events after idle ones) has no segment to draw: mark it with a dot.
      const missing = (v) => v === null || v === undefined;
      s.values.forEach((v, i) => {
        if (!missing(v) && (i === 0 || missing(s.values[i - 1])) && (i === s.values.length - 1 || missing(s.values[i + 1])))
          svg.appendChild(el("circle", { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.5, fill: color, "data-series": s.name }));
      });
      svg.appendChild(el("text", { x: left + 8 + k * 90, y: h - 2, "font-size": 11, fill: color }, s.name));
    });
  }

  function barChart(svg, values, capacity) {
    const h = 180, left = 46, bottom = 16, top = 8;
    const w = fit(svg, h);
    svg.replaceChildren();
    const max = Math.max(1, ...values);
    const bw = (w - left - 4) / Math.max(1, values.length);
    svg.appendChild(el("line", { x1: left, y1: h - bottom, x2: w - 4, y2: h - bottom, stroke: "#c5ceda" }));
    values.forEach((v, i) => {
      const bh = (h - top - bottom) * v / max;
      svg.appendChild(el("rect", { x: left + i * bw + 1, y: h - bottom - bh, width: Math.max(1, bw - 2), height: bh, fill: v > capacity * 0.8 ? "#b3261e" : "#2f6fde", "data-depth": v }));
    });
    svg.appendChild(el("text", { x: 2, y: top + 10, "font-size": 11, fill: "#5b6b80" }, fmt(max, 0)));
    svg.appendChild(el("text", { x: left, y: h - 2, "font-size": 11, fill: "#5b6b80" }, values.length + " partitions"));
  }

  function series(field) { return state.history.map(s => { const v = field(s); return v === undefined ? null : v; }); }

  // The overview's banner: one line per firing alert with its observed value, limit and basis.
  function renderAlerts(snap) {
    const box = $("ov-alerts");
    const firing = snap && snap.alerts ? snap.alerts.filter(a => a.firing) : [];
    box.hidden = firing.length === 0;
    box.replaceChildren();
    for (const a of firing) {
      const p = document.createElement("p");
      p.dataset.alert = a.name;
      p.dataset.observed = a.observed === null ? "" : String(a.observed);
      const latency = a.name === "trigger-latency-p99";
      const show = (v) => latency ? fmt(v * 1000, 3) + " ms" : fmt(v, 4);
      p.textContent = "ALERT " + a.name + ": " + (a.observed === null ? "–" : show(a.observed)) + " above the limit " + show(a.limit) + " (" + a.basis + ")";
      box.appendChild(p);
    }
  }

  function renderOverview() {
    renderAlerts(state.history.length ? state.history[state.history.length - 1] : null);
    const s = state.history[state.history.length - 1];
    if (!s) return;
    setNumber("ov-events-per-sec", s.eventsPerSec, 1);
    setNumber("ov-events", s.events, 0);
    setNumber("ov-p50", s.latency.p50 ?? s.latency.allP50, 3);
    setNumber("ov-p95", s.latency.p95 ?? s.latency.allP95, 3);
    setNumber("ov-p99", s.latency.p99 ?? s.latency.allP99, 3);
    setNumber("ov-live-activations", s.liveActivations, 0);
    setNumber("ov-offers-per-sec", s.offersPerSec, 2);
    setNumber("ov-offers", s.offers, 0);
    setNumber("ov-errors", s.errors, 0);
    setNumber("ov-silos", s.silos.length, 0);
    setNumber("ov-queue-capacity", s.queueCapacity, 0);
    lineChart($("ov-chart-events"), [{ name: "events/s", values: series(x => x.eventsPerSec) }, { name: "accepted/s", values: series(x => x.acceptedPerSec) }]);
    lineChart($("ov-chart-latency"), [
      { name: "p50", values: series(x => x.latency.p50) },
      { name: "p95", values: series(x => x.latency.p95) },
      { name: "p99", values: series(x => x.latency.p99) }]);
    lineChart($("ov-chart-offers"), [{ name: "offers/s", values: series(x => x.offersPerSec) }]);
    barChart($("ov-chart-queues"), s.queueDepths, s.queueCapacity);
    fillRows($("ov-suppressions"), Object.entries(s.suppressions).map(([k, v]) => [k, v]));
    const drops = Object.entries(s.drops);
    fillRows($("ov-drops"), drops.length ? drops.map(([k, v]) => [k, v]) : [["none", 0]]);
  }

  function renderGrains() {
    const s = state.history[state.history.length - 1];
    if (!s) return;
    fillRows($("grains-table"), s.grains.map(g => [g.type, g.purpose, g.activations, g.activationsTotal, g.messagesPerSec, g.turnP50 ?? g.allTurnP50, g.turnP99 ?? g.allTurnP99]));
    const n = s.networkStep;
    fillRows($("grains-network"), [[n.p50 ?? n.allP50, n.p99 ?? n.allP99, n.steps, s.meanBatch]]);
    loadCensus().then(c => {
      if (!c.available) { fillRows($("grains-hottest"), [["census not available from this silo", "", "", ""]]); return; }
      fillRows($("grains-hottest"), c.hottest.map(g => [g.userId, g.tenant, g.partition, g.eventsApplied]));
    }).catch(showError);
  }

  function renderSilos() {
    const s = state.history[state.history.length - 1];
    if (!s) return;
    fillRows($("silos-table"), s.silos.map(x => [x.id + " (" + x.kind + ")", x.cpuPercent, x.cores, bytes(x.workingSetBytes), bytes(x.heapBytes),
      x.gcCounts.join(" / "), x.gcPauseMs, x.gcPausePercent, x.partitions, x.activations, x.threads]));
    const ids = s.silos.map(x => x.id);
    lineChart($("silos-chart-cpu"), ids.map(id => ({ name: id, values: series(h => { const m = h.silos.find(x => x.id === id); return m ? m.cpuPercent : null; }) })));
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401 || response.status === 403) { showLogin(); throw new Error("login required"); }
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || body.title || ("HTTP " + response.status));
    return body;
  }

  async function renderUser() {
    if (!state.userId || state.userBusy) return;
    state.userBusy = true;
    try {
      const u = await getJson("/dashboard/api/users/" + encodeURIComponent(state.userId));
      $("user-error").textContent = "";
      $("user-view").hidden = false;
      $("user-name").textContent = u.userId;
      setNumber("user-events-applied", u.eventsApplied, 0);
      setNumber("user-timeline-count", u.timeline.length, 0);
      setNumber("user-buy", u.latest ? u.latest.buy : null, 4);
      setNumber("user-exit", u.latest ? u.latest.exit : null, 4);
      $("user-cluster").textContent = u.clusterName || "–";
      $("user-intent").textContent = u.intent;
      $("user-consent").textContent = !u.consent.tracking ? "not tracked" : (u.consent.categories.length ? u.consent.categories.join(", ") : "none granted");
      $("user-time-zone").textContent = u.timeZone || "policy's";
      lineChart($("user-chart"), [
        { name: "buy", color: "#2e9d57", values: u.timeline.map(t => t.buy) },
        { name: "exit", color: "#b3261e", values: u.timeline.map(t => t.exit) }], { max: 1 });
      const heat = $("user-heatmap");
      heat.replaceChildren();
      const maxAttention = Math.max(1e-9, ...u.timeline.map(t => t.attention));
      const cw = fit(heat, 60) / Math.max(1, u.timeline.length);
      u.timeline.forEach((t, i) => {
        const rect = el("rect", { x: i * cw, y: 0, width: Math.max(1, cw - 1), height: 40, fill: "#2f6fde", "fill-opacity": (0.05 + 0.95 * t.attention / maxAttention).toFixed(3), "data-attention": t.attention });
        rect.appendChild(el("title", {}, t.type + " " + t.productId + " α=" + fmt(t.attention, 4)));
        heat.appendChild(rect);
        if (cw >= 14) heat.appendChild(el("text", { x: i * cw + 2, y: 54, "font-size": 9, fill: "#5b6b80" }, t.type.slice(0, 4)));
      });
      fillRows($("user-offers"), u.activeOffers.length ? u.activeOffers.map(o => [o.type, o.state, o.reason, fmt(o.buyProbability, 3)]) : [["no active offers", ""]]);
      fillRows($("user-decisions"), u.recentDecisions.length ? u.recentDecisions.map(d => [d.fired ? "fired" : "suppressed", d.fired ? (d.offer ? d.offer.type : "") : d.suppressedBecause]) : [["no decisions", ""]]);
    } catch (e) {
      if (e.message !== "login required") { $("user-error").textContent = e.message; $("user-view").hidden = true; }
    } finally {
      state.userBusy = false;
    }
  }

  async function loadCensus() {
    if (state.censusBusy) return state.census || { available: false, clusters: [], intents: {}, hottest: [] };
    state.censusBusy = true;
    try { state.census = await getJson("/dashboard/api/census"); } finally { state.censusBusy = false; }
    return state.census;
  }

  async function renderModel() {
    if (!state.model) state.model = await getJson("/dashboard/api/model");
    const m = state.model;
    $("model-version").textContent = m.version;
    setNumber("model-buy-threshold", m.buyThreshold, 4);
    setNumber("model-exit-threshold", m.exitThreshold, 4);
    setNumber("model-cluster-count", m.clusters.length, 0);
    fillRows($("model-metrics"), Object.entries(m.headlineMetrics).map(([k, v]) => [k, v]));
    const settings = [["trained on", m.trainedOn], ["calibration", m.calibration.method], ["buy A / B", fmt(m.calibration.buyA, 4) + " / " + fmt(m.calibration.buyB, 4)],
      ["exit A / B", fmt(m.calibration.exitA, 4) + " / " + fmt(m.calibration.exitB, 4)], ["session timeout (min)", m.sessionTimeoutMinutes], ["heads", (m.heads || []).join(", ")]];
    if (m.trigger) {
      settings.push(["policy", m.trigger.policyVersion], ["cooldown (s)", m.trigger.cooldownSeconds], ["max offers / session", m.trigger.maxOffersPerSession]);
      if (m.trigger.buyThreshold !== undefined) settings.push(["trigger buy threshold", m.trigger.buyThreshold]);
      if (m.trigger.exitThreshold !== undefined) settings.push(["trigger exit threshold", m.trigger.exitThreshold]);
    }
    fillRows($("model-settings"), settings);
    $("model-explained").textContent = fmt(100 * (m.explainedX + m.explainedY), 1) + "%";
    const census = await loadCensus();
    const sessions = census.available ? census.clusters.map(c => c.sessions) : m.clusters.map(() => null);
    fillRows($("model-sessions"), m.clusters.map((c, i) => [c.name, census.available ? sessions[i] : "–"]));
    const intents = census.available ? Object.entries(census.intents) : [];
    const open = intents.reduce((a, [, v]) => a + v, 0);
    fillRows($("model-intents"), intents.length ? intents.map(([k, v]) => [k, v, open ? fmt(100 * v / open, 1) + "%" : "–"]) : [["census not available", ""]]);
    const svg = $("model-scatter");
    const sw = fit(svg, 360);
    svg.replaceChildren();
    const xs = m.clusters.map(c => c.x), ys = m.clusters.map(c => c.y);
    const span = (a) => { const lo = Math.min(...a), hi = Math.max(...a); return [lo, hi - lo]; };
    const [x0, xspan] = span(xs), [y0, yspan] = span(ys);
    const xw = Math.max(xspan, yspan, 1e-12);
    svg.appendChild(el("text", { x: 4, y: 352, "font-size": 11, fill: "#5b6b80" }, "PC1 " + fmt(100 * m.explainedX, 1) + "%  ·  PC2 " + fmt(100 * m.explainedY, 1) + "%"));
    m.clusters.forEach((c, i) => {
      const scale = Math.min(sw - 260, 280) / xw;
      const cx = sw / 2 + (c.x - x0 - xspan / 2) * scale, cy = 180 - (c.y - y0 - yspan / 2) * scale;
      const maxSessions = Math.max(1, ...sessions.map(v => v || 0));
      const r = 8 + 22 * Math.sqrt((sessions[i] || 0) / maxSessions);
      svg.appendChild(el("circle", { cx, cy, r, fill: COLORS[i % COLORS.length], "fill-opacity": 0.75, "data-cluster": c.name, "data-sessions": sessions[i] === null ? "" : sessions[i] }));
      svg.appendChild(el("text", { x: cx + r + 4, y: cy + 4, "font-size": 12, fill: "#1c2430" }, c.name + (sessions[i] === null ? "" : " · " + sessions[i] + " open sessions")));
    });
  }

  // An interval [low, high] with a point, on a shared horizontal scale [min, max]; zero marked when inside it.
  function intervalBar(low, high, point, min, max, color) {
    const w = 180, h = 18, pad = 4;
    const svg = el("svg", { width: w, height: h, viewBox: "0 0 " + w + " " + h, class: "interval" });
    const x = (v) => pad + (w - 2 * pad) * (Math.min(max, Math.max(min, v)) - min) / (max - min || 1);
    svg.appendChild(el("line", { x1: pad, y1: h / 2, x2: w - pad, y2: h / 2, stroke: "#e3e8ef" }));
    if (min < 0 && max > 0) svg.appendChild(el("line", { x1: x(0), y1: 2, x2: x(0), y2: h - 2, stroke: "#8593a6", "stroke-dasharray": "2,2", "data-zero": "1" }));
    if (low !== null && high !== null) {
      svg.appendChild(el("rect", { x: x(low), y: h / 2 - 3, width: Math.max(1, x(high) - x(low)), height: 6, fill: color, "fill-opacity": 0.35, "data-low": low, "data-high": high }));
    }
    if (point !== null) svg.appendChild(el("circle", { cx: x(point), cy: h / 2, r: 3.5, fill: color, "data-point": point }));
    return svg;
  }

  function cell(tr, field, value, digits, text) {
    const td = document.createElement("td");
    td.dataset.field = field;
    if (value === null || value === undefined) { td.textContent = text || "–"; td.dataset.value = ""; }
    else { td.textContent = text || fmt(value, digits === undefined ? 4 : digits); td.dataset.value = String(value); }
    if (typeof value === "number") td.className = "num";
    tr.appendChild(td);
    return td;
  }

  async function renderExperiments() {
    const panel = $("experiments-panel");
    const x = await getJson("/dashboard/api/experiments");
    state.experimentsLoaded = true;
    state.experiments = x;
    panel.replaceChildren();
    if (!x.configured || !x.experiments || x.experiments.length === 0) {
      const p = document.createElement("p");
      p.id = "experiments-empty";
      p.textContent = "No experiments configured.";
      panel.appendChild(p);
      return;
    }
    const method = document.createElement("p");
    method.id = "experiments-method";
    method.className = "note";
    method.textContent = "Policy " + x.policyVersion + ". Method: " + x.method + ".";
    panel.appendChild(method);
    const heads = ["variant", "weight", "exposures", "proposals", "shows", "clicks", "dismissals", "conversions", "conversion rate", "95% Wilson interval", "", "lift vs holdout", "always-valid 95% interval", "", "p-value"];
    for (const e of x.experiments) {
      const section = document.createElement("section");
      section.className = "experiment";
      section.dataset.experiment = e.name;
      const h = document.createElement("h3");
      h.textContent = e.name + (e.active ? "" : " (not in the running policy: counters only)") + (e.holdout === null || e.holdout === undefined ? "" : " · holdout " + fmt(100 * e.holdout, 1) + "%");
      section.appendChild(h);
      const table = document.createElement("table");
      table.className = "experiment-table";
      const thead = table.createTHead().insertRow();
      for (const name of heads) { const th = document.createElement("th"); th.textContent = name; thead.appendChild(th); }
      const body = table.createTBody();
      const rateMax = Math.max(0.05, ...e.variants.map(v => v.rateHigh === null ? 0 : (v.exposures > 0 ? v.rateHigh : 0)));
      let liftSpan = 0.01;
      for (const v of e.variants) if (v.lift) for (const b of [v.lift.low, v.lift.high, v.lift.difference]) if (b !== null && b !== undefined) liftSpan = Math.max(liftSpan, Math.abs(b));
      liftSpan = Math.min(1, liftSpan);
      e.variants.forEach((v, i) => {
        const tr = body.insertRow();
        tr.dataset.variant = v.name;
        cell(tr, "name", v.name, 0, v.name);
        cell(tr, "weight", v.weight === undefined ? null : v.weight, 3);
        for (const f of ["exposures", "proposals", "shows", "clicks", "dismissals", "conversions"]) cell(tr, f, v[f], 0);
        cell(tr, "conversionRate", v.conversionRate === undefined ? null : v.conversionRate, 4);
        cell(tr, "rateInterval", v.exposures > 0 ? v.rateLow : null, 4, v.exposures > 0 ? fmt(v.rateLow, 4) + " – " + fmt(v.rateHigh, 4) : "–").dataset.high = String(v.rateHigh);
        const bar = document.createElement("td");
        bar.appendChild(intervalBar(v.exposures > 0 ? v.rateLow : null, v.exposures > 0 ? v.rateHigh : null, v.conversionRate === undefined ? null : v.conversionRate, 0, rateMax, COLORS[i % COLORS.length]));
        tr.appendChild(bar);
        const lift = v.lift || null;
        const d = lift && lift.difference !== undefined ? lift.difference : null;
        const lo = lift && lift.low !== undefined ? lift.low : null, hi = lift && lift.high !== undefined ? lift.high : null;
        cell(tr, "lift", d, 4, v.isHoldout ? "baseline" : undefined);
        cell(tr, "liftInterval", lo, 4, lo === null ? "–" : fmt(lo, 4) + " – " + fmt(hi, 4)).dataset.high = hi === null ? "" : String(hi);
        const liftBar = document.createElement("td");
        if (!v.isHoldout) liftBar.appendChild(intervalBar(lo, hi, d, -liftSpan, liftSpan, COLORS[i % COLORS.length]));
        tr.appendChild(liftBar);
        cell(tr, "pValue", lift ? lift.pValue : null, 4);
      });
      const scroller = document.createElement("div");
      scroller.className = "scroll-x";
      scroller.appendChild(table);
      section.appendChild(scroller);
      panel.appendChild(section);
    }
  }

  function render() {
    const page = state.page;
    try {
      if (page === "overview") renderOverview();
      else if (page === "grains") renderGrains();
      else if (page === "silos") renderSilos();
      else if (page === "user") renderUser();
      else if (page === "model") { if (!state.model || state.ticks % 4 === 0) renderModel().catch(showError); }
      else if (page === "experiments") { if (!state.experimentsLoaded || state.ticks % 4 === 0) renderExperiments().catch(showError); }
    } catch (e) { showError(e); }
  }

  function showError(e) { if (e && e.message !== "login required") $("status").textContent = "error: " + e.message; }

  function showPage() {
    state.page = (location.hash || "#overview").slice(1).split("?")[0] || "overview";
    document.querySelectorAll(".page").forEach(p => p.classList.toggle("active", p.id === "page-" + state.page));
    document.querySelectorAll("#nav a").forEach(a => a.classList.toggle("active", a.dataset.page === state.page));
    render();
  }

  function showLogin() {
    if (state.source) { state.source.close(); state.source = null; }
    $("pages").hidden = true;
    $("logout").hidden = true;
    $("login").hidden = false;
    $("status").textContent = "not logged in";
  }

  function push(snapshot) {
    state.ticks = (state.ticks || 0) + 1;
    state.history.push(snapshot);
    if (state.history.length > MAX_HISTORY) state.history.shift();
    $("status").textContent = "live · " + new Date(snapshot.t).toLocaleTimeString() + " · every " + snapshot.intervalMs + " ms";
    $("status").dataset.seq = String(snapshot.seq);
    render();
  }

  async function start() {
    try {
      state.history = (await getJson("/dashboard/api/history")).slice(-MAX_HISTORY);
    } catch (e) { return; }
    $("login").hidden = true;
    $("pages").hidden = false;
    $("logout").hidden = false;
    showPage();
    state.source = new EventSource("/dashboard/api/stream");
    state.source.onmessage = (m) => {
      const snapshot = JSON.parse(m.data);
      const last = state.history[state.history.length - 1];
      if (!last || snapshot.seq > last.seq) push(snapshot);
    };
    state.source.onerror = () => {
      $("status").textContent = "reconnecting…";
      fetch("/dashboard/api/snapshot", { credentials: "same-origin" }).then(r => { if (r.status === 401 || r.status === 403) showLogin(); });
    };
  }

  $("login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = new URLSearchParams({ key: $("login-key").value });
    const response = await fetch("/dashboard/login", { method: "POST", body, credentials: "same-origin" });
    if (response.ok) { $("login-key").value = ""; $("login-error").textContent = ""; start(); }
    else { const p = await response.json().catch(() => ({})); $("login-error").textContent = p.detail || "Login failed."; }
  });
  $("logout").addEventListener("click", async () => {
    await fetch("/dashboard/logout", { method: "POST", credentials: "same-origin" });
    showLogin();
  });
  $("user-form").addEventListener("submit", (e) => {
    e.preventDefault();
    state.userId = $("user-id").value.trim();
    renderUser();
  });
  window.addEventListener("hashchange", showPage);
  start();
})();
