// MicroMoment operator dashboard: reads /dashboard/api (cookie or server key), draws inline SVG, no external resources.
(function () {
  "use strict";
  const MAX_HISTORY = 300;
  const SVG = "http://www.w3.org/2000/svg";
  const COLORS = ["#2f6fde", "#e0a100", "#b3261e", "#2e9d57", "#8a4fd1", "#00838f"];
  const state = { history: [], source: null, page: "overview", userId: null, userBusy: false, model: null, modelBusy: false, experimentsLoaded: false, census: null, censusRequest: null };
  window.mmDashboard = state;

  const $ = (id) => document.getElementById(id);
  const fmt = (v, digits) => v === null || v === undefined || Number.isNaN(v) ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: digits === undefined ? 2 : digits });
  const bytes = (v) => v >= 1 << 30 ? fmt(v / (1 << 30), 2) + " GiB" : fmt(v / (1 << 20), 1) + " MiB";
  const missing = (v) => v === null || v === undefined || Number.isNaN(v);

  // Human names of the model's headline metrics (the model file stores identifiers); others are spelled out by humanize.
  const METRIC_NAMES = {
    testRocAuc: "buy ROC AUC (test split)",
    testPrAuc: "buy PR AUC (test split)",
    testRocAucNoCart: "buy ROC AUC, prefixes without a cart (test split)",
    testExitRocAuc: "exit ROC AUC (test split)",
    logisticTestRocAuc: "logistic baseline: buy ROC AUC (test split)",
    ruleTestRocAuc: "rule baseline: buy ROC AUC (test split)",
  };
  const ACRONYMS = new Set(["roc", "auc", "pr", "cpu", "gc", "id", "ms", "p50", "p95", "p99"]);

  // "someMetricName" → "some metric name" (acronyms upper-cased): identifiers never reach the page as they are.
  function humanize(key) {
    if (Object.prototype.hasOwnProperty.call(METRIC_NAMES, key)) return METRIC_NAMES[key];
    return String(key).replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").split(/[\s_]+/)
      .map(w => ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()).join(" ");
  }

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

  const CLOCK = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const CLOCK_UTC = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "UTC" });
  const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map(s => s * 1000);

  // The smallest of 1, 2, 2.5, 5 × 10^k at or above v: a y-axis top that reads well.
  function niceCeiling(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v * (1 - 1e-9)) return m * p;
    return 10 * p;
  }

  // A line chart over time: options.times (ms since 1970, one per sample), options.series ([{ name, values, color }],
  // values aligned with times, null where a sample has no value), options.yTitle (with its unit), options.xTitle,
  // options.max (fixed y top), options.breakBefore (true at a sample whose predecessors are missing: the line is not
  // joined across), options.utc (clock labels in UTC). Each series is one path joining its samples; a sample with no
  // neighbour in its stretch of data is also marked with a dot.
  function lineChart(svg, options) {
    const h = options.height || 200, left = 60, right = 12, top = 22, bottom = 36;
    const w = fit(svg, h);
    svg.replaceChildren();
    const times = options.times, n = times.length, series = options.series;
    let top0 = 0;
    for (const s of series) for (const v of s.values) if (!missing(v) && v > top0) top0 = v;
    const max = options.max || niceCeiling(top0);
    let t0 = n ? times[0] : Date.now(), t1 = n ? times[n - 1] : t0;
    if (t1 - t0 < 1000) t1 = t0 + 1000;
    const pw = w - left - right, ph = h - top - bottom;
    const x = (t) => left + pw * (t - t0) / (t1 - t0);
    const y = (v) => top + ph * (1 - Math.min(v, max) / max);
    const muted = { "font-size": 11, fill: "#5b6b80" };

    for (const v of [0, max / 2, max]) {
      svg.appendChild(el("line", { x1: left, y1: y(v), x2: w - right, y2: y(v), stroke: v === 0 ? "#c5ceda" : "#edf0f4" }));
      svg.appendChild(el("text", Object.assign({ x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "tick y" }, muted), fmt(v, v >= 100 ? 0 : 3)));
    }
    svg.appendChild(el("text", Object.assign({ class: "axis-title y", transform: "translate(13 " + (top + ph / 2) + ") rotate(-90)", "text-anchor": "middle" }, muted), options.yTitle));

    const step = TIME_STEPS.find(s => (t1 - t0) / s <= 6) || TIME_STEPS[TIME_STEPS.length - 1];
    const clock = options.utc ? CLOCK_UTC : CLOCK;
    for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
      svg.appendChild(el("line", { x1: x(t), y1: top + ph, x2: x(t), y2: top + ph + 4, stroke: "#8593a6" }));
      // A label near either end is anchored inside the chart (a clock label is about 50 px wide at this size).
      const anchor = x(t) > w - right - 26 ? "end" : x(t) < left + 26 ? "start" : "middle";
      svg.appendChild(el("text", Object.assign({ x: x(t), y: top + ph + 16, "text-anchor": anchor, class: "tick x" }, muted), clock.format(new Date(t))));
    }
    svg.appendChild(el("text", Object.assign({ x: left + pw / 2, y: h - 3, "text-anchor": "middle", class: "axis-title x" }, muted), options.xTitle));

    // Stretches of data: a new one starts after missing samples.
    const stretch = new Array(n);
    for (let i = 0, k = 0; i < n; i++) {
      if (i > 0 && options.breakBefore && options.breakBefore[i]) k++;
      stretch[i] = k;
    }
    series.forEach((s, k) => {
      const color = s.color || COLORS[k % COLORS.length];
      let d = "", last = -1;
      const perStretch = new Map();
      for (let i = 0; i < n; i++) {
        if (missing(s.values[i])) continue;
        d += (last < 0 || stretch[last] !== stretch[i] ? "M" : "L") + x(times[i]).toFixed(1) + " " + y(s.values[i]).toFixed(1) + " ";
        perStretch.set(stretch[i], (perStretch.get(stretch[i]) || 0) + 1);
        last = i;
      }
      if (d) svg.appendChild(el("path", { d, fill: "none", stroke: color, "stroke-width": 1.8, "stroke-linejoin": "round", "data-series": s.name }));
      for (let i = 0; i < n; i++) {
        if (!missing(s.values[i]) && perStretch.get(stretch[i]) === 1)
          svg.appendChild(el("circle", { cx: x(times[i]).toFixed(1), cy: y(s.values[i]).toFixed(1), r: 2.5, fill: color, "data-series": s.name }));
      }
      const lx = left + 4 + k * 120;
      svg.appendChild(el("line", { x1: lx, y1: 10, x2: lx + 14, y2: 10, stroke: color, "stroke-width": 3 }));
      svg.appendChild(el("text", { x: lx + 18, y: 14, "font-size": 11, fill: "#1c2430", class: "legend" }, s.name));
    });
  }

  function series(field) { return state.history.map(s => { const v = field(s); return v === undefined ? null : v; }); }

  // The snapshots' times, and where snapshots are missing: every snapshot carries the sampler's sequence number, so a
  // jump (the page lost the stream for a while) or a restart (the sequence starts over) is a gap. A late snapshot is
  // not one: its rates and percentiles cover the whole time since the previous one.
  function timeAxis() {
    const h = state.history;
    return { times: h.map(s => s.t), breakBefore: h.map((s, i) => i > 0 && s.seq !== h[i - 1].seq + 1), xTitle: "time (local clock)" };
  }

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
    setNumber("ov-in-hand", s.inHand, 0);
    setNumber("ov-queue-capacity", s.queueCapacity, 0);
    const axis = timeAxis();
    lineChart($("ov-chart-events"), Object.assign({ yTitle: "rate (events/s)", series: [
      { name: "events/s", values: series(x => x.eventsPerSec) },
      { name: "accepted/s", values: series(x => x.acceptedPerSec) }] }, axis));
    lineChart($("ov-chart-latency"), Object.assign({ yTitle: "latency (ms)", series: [
      { name: "p50 latency (ms)", values: series(x => x.latency.p50) },
      { name: "p95 latency (ms)", values: series(x => x.latency.p95) },
      { name: "p99 latency (ms)", values: series(x => x.latency.p99) }] }, axis));
    lineChart($("ov-chart-offers"), Object.assign({ yTitle: "rate (offers/s)", series: [{ name: "offers/s", values: series(x => x.offersPerSec) }] }, axis));
    lineChart($("ov-chart-in-hand"), Object.assign({ yTitle: "events in hand", series: [{ name: "events in hand", values: series(x => x.inHand) }] }, axis));
    fillRows($("ov-suppressions"), Object.entries(s.suppressions).map(([k, v]) => [k, v]));
    const drops = Object.entries(s.drops);
    fillRows($("ov-drops"), drops.length ? drops.map(([k, v]) => [k, v]) : [["none", 0]]);
  }

  // The census (open sessions, hottest grains). While the first request runs there is nothing to show yet: callers
  // get that request's answer, never a stand-in; later callers get the last answer while a fresh one is fetched.
  function loadCensus() {
    if (!state.censusRequest) {
      state.censusRequest = getJson("/dashboard/api/census")
        .then(c => { state.census = c; return c; })
        .finally(() => { state.censusRequest = null; });
    }
    return state.census ? Promise.resolve(state.census) : state.censusRequest;
  }

  function showCensusLoading(table, columns) {
    if (state.census || table.dataset.state === "loading") return;
    table.dataset.state = "loading";
    fillRows(table, [["loading census…"].concat(new Array(columns - 1).fill(""))]);
  }

  // A silo's address as the page shows it: host:port (the generation after "@" only tells restarts apart).
  const siloName = (address) => address ? String(address).split("@")[0] : "this process";

  // A row of cells that carry their field name and raw value (tests and people read the same numbers).
  function fillCells(table, rows) {
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const row of rows) {
      const tr = body.insertRow();
      if (row.key !== undefined) tr.dataset.key = row.key;
      for (const [field, value, digits, text] of row.cells) cell(tr, field, value, digits, text);
    }
  }

  function renderGrains() {
    const s = state.history[state.history.length - 1];
    if (!s) return;
    const orleans = s.cluster.available;
    fillCells($("grains-table"), s.grains.map(g => ({ key: g.type, cells: [
      ["type", g.type, 0, g.type], ["class", g.class, 0, g.class], ["purpose", g.purpose, 0, g.purpose || "–"],
      ["activations", g.activations, 0], ["messagesPerSec", g.messagesPerSec, 2],
      ["turnP50", g.turnP50 ?? g.allTurnP50, 4], ["turnP99", g.turnP99 ?? g.allTurnP99, 4]] })));
    const bySilo = [];
    for (const g of s.grains) for (const x of g.silos) bySilo.push({ key: g.type + "@" + x.silo, cells: [["silo", x.silo, 0, siloName(x.silo)], ["type", g.type, 0, g.type], ["activations", x.activations, 0]] });
    fillCells($("grains-by-silo"), bySilo.length ? bySilo : [{ cells: [["silo", null, 0, orleans ? "no activations" : "Orleans' statistics are not available"], ["type", null, 0, ""], ["activations", null, 0, ""]] }]);
    $("grains-source").textContent = orleans
      ? "Activations per grain type: Orleans' management grain (simple grain statistics of every active silo), read " + fmt(s.cluster.ageMs, 0) + " ms before this snapshot."
      : "Orleans' statistics are not available" + (s.cluster.error ? " (" + s.cluster.error + ")" : s.cluster.configured ? " yet" : " from this host") + ": activations are not shown.";
    const n = s.networkStep;
    fillRows($("grains-network"), [[n.p50 ?? n.allP50, n.p99 ?? n.allP99, n.steps, s.meanBatch]]);
    const hottest = $("grains-hottest");
    showCensusLoading(hottest, 4);
    loadCensus().then(c => {
      hottest.dataset.state = c.available ? "ready" : "unavailable";
      if (!c.available) { fillRows(hottest, [["census not available from this silo", "", "", ""]]); return; }
      fillRows(hottest, c.hottest.length ? c.hottest.map(g => [g.userId, g.tenant, g.silo ? siloName(g.silo) : "–", g.eventsApplied]) : [["no active user grains", "", "", ""]]);
    }).catch(e => {
      if (e.message === "login required") return;
      hottest.dataset.state = "error";
      fillRows(hottest, [["census failed: " + e.message, "", "", ""]]);
    });
  }

  const duration = (seconds) => missing(seconds) ? "–" : seconds < 120 ? fmt(seconds, 0) + " s" : seconds < 7200 ? fmt(seconds / 60, 1) + " min" : seconds < 172800 ? fmt(seconds / 3600, 1) + " h" : fmt(seconds / 86400, 1) + " days";

  function renderSilos() {
    const s = state.history[state.history.length - 1];
    if (!s) return;
    fillCells($("silos-table"), s.silos.map(x => {
      const p = x.process;
      const cpu = !missing(x.cpuPercent) ? x.cpuPercent : (p && !missing(p.cpuPercentOfOneCore) ? p.cpuPercentOfOneCore / p.cores : null);
      return { key: x.address || "local", cells: [
        ["silo", x.address, 0, siloName(x.address) + (x.local ? " (this process)" : "")], ["status", x.status, 0, x.status || "not reported"],
        ["uptime", x.uptimeSeconds, 0, duration(x.uptimeSeconds)], ["activations", x.activations, 0], ["cpuPercent", cpu, 1],
        ["memoryBytes", x.memoryBytes, 0, missing(x.memoryBytes) ? "–" : bytes(x.memoryBytes)],
        ["maximumMemoryBytes", x.maximumMemoryBytes, 0, missing(x.maximumMemoryBytes) ? "–" : bytes(x.maximumMemoryBytes)],
        ["messagesPerSec", x.messagesReceivedPerSec, 1, missing(x.messagesReceivedPerSec) ? "–" : fmt(x.messagesReceivedPerSec, 1) + " / " + fmt(x.messagesSentPerSec, 1)],
        ["clients", x.clients, 0], ["eventsPerSec", x.eventsPerSec, 1], ["userGrains", x.userGrains, 0], ["backend", x.backend, 0, x.backend || "–"],
        ["gcPausePercent", p ? p.gcPausePercent : null, 3], ["threads", p ? p.threads : null, 0]] };
    }));
    const c = s.cluster;
    $("silos-source").textContent = (c.available
      ? "Status, uptime, activations, CPU, memory, messages and clients: Orleans (membership table and each silo's runtime statistics through the management grain), read " + fmt(c.ageMs, 0) + " ms before this snapshot" + (c.deadSilos ? "; " + c.deadSilos + " dead silos in the membership table are not listed" : "") + "."
      : "Orleans' statistics are not available" + (c.error ? " (" + c.error + ")" : c.configured ? " yet" : " from this host") + "; CPU is this process's own measure.")
      + " Events/s and user grains: each silo's own counters (its report grain); for the silo in this process, events/s as this gateway counts them. Model executor, GC pause and threads: this process's silo only." + (c.error && c.available ? " Last reading failed: " + c.error + "." : "");
    const ids = [...new Set(state.history.flatMap(h => h.silos.map(x => x.address || "local")))];
    lineChart($("silos-chart-cpu"), Object.assign({ yTitle: "CPU (% of all cores)",
      series: ids.map(id => ({ name: id === "local" ? "this process" : siloName(id), values: series(h => {
        const m = h.silos.find(x => (x.address || "local") === id);
        if (!m) return null;
        if (!missing(m.cpuPercent)) return m.cpuPercent;
        return m.process && !missing(m.process.cpuPercentOfOneCore) ? m.process.cpuPercentOfOneCore / m.process.cores : null;
      }) })) }, timeAxis()));
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401 || response.status === 403) { showLogin(); throw new Error("login required"); }
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || body.title || ("HTTP " + response.status));
    return body;
  }

  const stamp = (iso) => iso ? new Date(iso).toLocaleString("en-GB", { hourCycle: "h23" }) : "–";

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
      const where = $("user-silo");
      where.textContent = u.silo === undefined ? "not reported" : u.silo ? siloName(u.silo) : "not in memory";
      where.dataset.value = u.silo || "";
      const session = $("user-session");
      session.dataset.open = String(u.sessionOpen);
      session.textContent = u.sessionOpen ? "open (live)"
        : !u.sessionStart ? "none"
        : u.lastEventAppliedAt ? "closed (idle since " + stamp(u.lastEventAppliedAt) + ")" : "closed (idle: no event since the grain was restored)";
      lineChart($("user-chart"), {
        times: u.timeline.map(t => Date.parse(t.timestamp)), utc: true, max: 1, yTitle: "probability (0–1)", xTitle: "event time (UTC)",
        series: [{ name: "buy", color: "#2e9d57", values: u.timeline.map(t => t.buy) }, { name: "exit", color: "#b3261e", values: u.timeline.map(t => t.exit) }],
      });
      const heat = $("user-heatmap");
      heat.replaceChildren();
      const maxWeight = Math.max(1e-9, ...u.timeline.map(t => t.attentionWeight));
      const cw = fit(heat, 60) / Math.max(1, u.timeline.length);
      u.timeline.forEach((t, i) => {
        const rect = el("rect", { x: i * cw, y: 0, width: Math.max(1, cw - 1), height: 40, fill: "#2f6fde", "fill-opacity": (0.05 + 0.95 * t.attentionWeight / maxWeight).toFixed(3), "data-attention-weight": t.attentionWeight });
        rect.appendChild(el("title", {}, t.type + " " + t.productId + " α=" + fmt(t.attentionWeight, 4)));
        heat.appendChild(rect);
        if (cw >= 14) heat.appendChild(el("text", { x: i * cw + 2, y: 54, "font-size": 9, fill: "#5b6b80" }, t.type.slice(0, 4)));
      });
      fillRows($("user-offers"), u.activeOffers.length ? u.activeOffers.map(o => [o.type, o.state, o.reason, fmt(o.buyProbability, 3)])
        : [[u.sessionOpen ? "no active offers" : "no active offers (session closed)", ""]]);
      fillRows($("user-decisions"), u.recentDecisions.length ? u.recentDecisions.map(d => [d.fired ? "fired" : "suppressed", d.fired ? (d.offer ? d.offer.type + " · " + d.offer.state : "") : d.suppressedBecause]) : [["no decisions", ""]]);
    } catch (e) {
      if (e.message !== "login required") { $("user-error").textContent = e.message; $("user-view").hidden = true; }
    } finally {
      state.userBusy = false;
    }
  }

  function renderPolicy(p) {
    const version = $("model-policy-version");
    version.textContent = p ? p.version : "not reported";
    version.dataset.value = p ? p.version : "";
    if (!p) { fillRows($("model-policy"), [["the silo does not report its policy", ""]]); fillRows($("model-policy-rules"), []); return; }
    const rows = [["version", p.version], ["source", p.source], ["loaded at", stamp(p.loadedAt)], ["watching the file", p.watching ? "yes" : "no"],
      ["reloads", p.reloads], ["failed reloads", p.reloadFailures], ["experiments", p.experiments.length ? p.experiments.join(", ") : "none"]];
    if (p.lastError) rows.push(["last reload error", p.lastError + " (" + stamp(p.lastErrorAt) + ")"]);
    fillRows($("model-policy"), rows);
    fillRows($("model-policy-rules"), p.rules.map(r => [r.name, r.intent + " → " + r.offer, r.priority, r.campaign, r.consent]));
  }

  async function renderModel() {
    if (state.modelBusy) return;
    state.modelBusy = true;
    try {
      state.model = await getJson("/dashboard/api/model");
    } finally {
      state.modelBusy = false;
    }
    const m = state.model;
    $("model-version").textContent = m.version;
    setNumber("model-buy-threshold", m.buyThreshold, 4);
    setNumber("model-exit-threshold", m.exitThreshold, 4);
    setNumber("model-cluster-count", m.clusters.length, 0);
    renderPolicy(m.policy);
    fillRows($("model-metrics"), Object.entries(m.headlineMetrics).map(([k, v]) => [humanize(k), v]));
    const settings = [["trained on", m.trainedOn], ["calibration", m.calibration.method], ["buy A / B", fmt(m.calibration.buyA, 4) + " / " + fmt(m.calibration.buyB, 4)],
      ["exit A / B", fmt(m.calibration.exitA, 4) + " / " + fmt(m.calibration.exitB, 4)], ["session timeout (min)", m.sessionTimeoutMinutes], ["heads", (m.heads || []).join(", ")]];
    fillRows($("model-settings"), settings);
    $("model-explained").textContent = fmt(100 * (m.explainedX + m.explainedY), 1) + "%";
    showCensusLoading($("model-intents"), 3);
    const census = await loadCensus();
    $("model-intents").dataset.state = census.available ? "ready" : "unavailable";
    const sessions = census.available ? census.clusters.map(c => c.sessions) : m.clusters.map(() => null);
    fillRows($("model-sessions"), m.clusters.map((c, i) => [c.name, census.available ? sessions[i] : "–"]));
    const intents = census.available ? Object.entries(census.intents) : [];
    const open = intents.reduce((a, [, v]) => a + v, 0);
    fillRows($("model-intents"), intents.length ? intents.map(([k, v]) => [k, v, open ? fmt(100 * v / open, 1) + "%" : "–"]) : [["census not available from this silo", ""]]);
    setNumber("model-idle-sessions", census.available ? census.idleSessions : null, 0);
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

  // An interval [low, high] with a point on the scale [min, max], drawn to the width of its cell (never wider); zero
  // marked when inside the scale; a dashed outline when the interval means little (sample too small).
  function intervalBar(low, high, point, min, max, color, weak) {
    const w = 150, h = 18, pad = 5;
    const svg = el("svg", { width: w, height: h, viewBox: "0 0 " + w + " " + h, class: "interval" });
    const x = (v) => pad + (w - 2 * pad) * (Math.min(max, Math.max(min, v)) - min) / (max - min || 1);
    svg.appendChild(el("line", { x1: pad, y1: h / 2, x2: w - pad, y2: h / 2, stroke: "#e3e8ef" }));
    if (min < 0 && max > 0) svg.appendChild(el("line", { x1: x(0), y1: 2, x2: x(0), y2: h - 2, stroke: "#8593a6", "stroke-dasharray": "2,2", "data-zero": "1" }));
    if (low !== null && high !== null) {
      const attrs = { x: x(low), y: h / 2 - 3, width: Math.max(1, x(high) - x(low)), height: 6, fill: color, "fill-opacity": weak ? 0.12 : 0.35, "data-low": low, "data-high": high };
      if (weak) Object.assign(attrs, { stroke: color, "stroke-dasharray": "3,2", "stroke-width": 1 });
      svg.appendChild(el("rect", attrs));
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

  const pct = (v) => fmt(100 * v, Math.abs(v) >= 0.1 ? 0 : 1) + "%";

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
    for (const e of x.experiments) {
      const section = document.createElement("section");
      section.className = "experiment";
      section.dataset.experiment = e.name;
      const h = document.createElement("h3");
      h.textContent = e.name + (e.active ? "" : " (not in the running policy: counters only)") + (e.holdout === null || e.holdout === undefined ? "" : " · holdout " + fmt(100 * e.holdout, 1) + "%");
      section.appendChild(h);
      const rateMax = Math.max(0.05, ...e.variants.map(v => v.rateHigh === null ? 0 : (v.exposures > 0 ? v.rateHigh : 0)));
      let liftSpan = 0.01;
      for (const v of e.variants) if (v.lift) for (const b of [v.lift.low, v.lift.high, v.lift.difference]) if (!missing(b)) liftSpan = Math.max(liftSpan, Math.abs(b));
      liftSpan = Math.min(1, liftSpan);
      // Two tables, so each fits its column widths: the counters, then the rates and the lift with their bars.
      const countHeads = ["variant", "weight", "exposures", "proposals", "shows", "clicks", "dismissals", "expired", "conversions"].map(n => [n]);
      const statHeads = [["variant"], ["conversion rate"], ["95% Wilson interval"], ["rate interval (bar, 0 – " + pct(rateMax) + ")", "bar"],
        ["lift vs holdout (rate difference)"], ["always-valid 95% interval"], ["lift interval (bar, −" + pct(liftSpan) + " – +" + pct(liftSpan) + ", dashed line: 0)", "bar"], ["p-value"]];
      const table = (cls, heads) => {
        const t = document.createElement("table");
        t.className = "experiment-table " + cls;
        const row = t.createTHead().insertRow();
        for (const [name, kind] of heads) { const th = document.createElement("th"); th.textContent = name; if (kind) th.className = kind; row.appendChild(th); }
        t.createTBody();
        return t;
      };
      const counts = table("counts", countHeads), stats = table("statistics", statHeads);
      let weakRows = 0;
      e.variants.forEach((v, i) => {
        const tc = counts.tBodies[0].insertRow();
        tc.dataset.variant = v.name;
        cell(tc, "name", v.name, 0, v.name);
        cell(tc, "weight", v.weight === undefined ? null : v.weight, 3);
        for (const f of ["exposures", "proposals", "shows", "clicks", "dismissals", "expirations", "conversions"]) cell(tc, f, v[f], 0);
        const tr = stats.tBodies[0].insertRow();
        tr.dataset.variant = v.name;
        cell(tr, "statName", v.name, 0, v.name);
        cell(tr, "conversionRate", v.conversionRate === undefined ? null : v.conversionRate, 4);
        cell(tr, "rateInterval", v.exposures > 0 ? v.rateLow : null, 4, v.exposures > 0 ? fmt(v.rateLow, 4) + " – " + fmt(v.rateHigh, 4) : "–").dataset.high = String(v.rateHigh);
        const bar = document.createElement("td");
        bar.className = "bar";
        bar.dataset.field = "rateBar";
        bar.appendChild(intervalBar(v.exposures > 0 ? v.rateLow : null, v.exposures > 0 ? v.rateHigh : null, v.conversionRate === undefined ? null : v.conversionRate, 0, rateMax, COLORS[i % COLORS.length], false));
        tr.appendChild(bar);
        const lift = v.lift || null;
        const d = lift && lift.difference !== undefined ? lift.difference : null;
        const lo = lift && lift.low !== undefined ? lift.low : null, hi = lift && lift.high !== undefined ? lift.high : null;
        const weak = !!(lift && lift.sampleTooSmall);
        if (weak) { weakRows++; tr.dataset.sampleTooSmall = "true"; }
        cell(tr, "lift", d, 4, v.isHoldout ? "baseline" : undefined);
        const interval = cell(tr, "liftInterval", lo, 4, lo === null ? (weak ? "– (sample too small)" : "–") : fmt(lo, 4) + " – " + fmt(hi, 4) + (weak ? " (sample too small)" : ""));
        interval.dataset.high = hi === null ? "" : String(hi);
        if (weak) interval.classList.add("weak");
        const liftBar = document.createElement("td");
        liftBar.className = "bar";
        liftBar.dataset.field = "liftBar";
        if (!v.isHoldout) liftBar.appendChild(intervalBar(lo, hi, d, -liftSpan, liftSpan, COLORS[i % COLORS.length], weak));
        tr.appendChild(liftBar);
        cell(tr, "pValue", lift ? lift.pValue : null, 4);
      });
      for (const t of [counts, stats]) {
        const scroller = document.createElement("div");
        scroller.className = "scroll-x";
        scroller.appendChild(t);
        section.appendChild(scroller);
      }
      if (weakRows > 0) {
        const note = document.createElement("p");
        note.className = "note weak";
        note.dataset.sampleTooSmall = "true";
        note.textContent = "Sample too small: a lift means little until the variant and the holdout each have at least " + x.minimumOutcomes +
          " conversions and " + x.minimumOutcomes + " exposures without one; until then its interval spans most of what is possible (a rate difference lies between −1 and +1) and its p-value says nothing.";
        section.appendChild(note);
      }
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
    $("orleans-link").hidden = true;
    $("login").hidden = false;
    $("status").textContent = "not logged in";
  }

  // The link to Orleans' dashboard, shown only when the host mounted it (the snapshot says where).
  function showOrleansLink(snapshot) {
    const link = $("orleans-link");
    const path = snapshot && snapshot.orleansDashboard;
    link.hidden = !path;
    if (path) link.setAttribute("href", path);
  }

  function push(snapshot) {
    showOrleansLink(snapshot);
    state.ticks = (state.ticks || 0) + 1;
    state.history.push(snapshot);
    if (state.history.length > MAX_HISTORY) state.history.shift();
    $("status").textContent = "live · " + CLOCK.format(new Date(snapshot.t)) + " · every " + snapshot.intervalMs + " ms";
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
    showOrleansLink(state.history[state.history.length - 1]);
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
    if (response.ok) {
      $("login-key").value = "";
      $("login-error").textContent = "";
      // Sent here to log in by Orleans' dashboard (/dashboard?next=orleans, only ever sent by its mount at /orleans): go
      // back there. No other target is followed. (Not read from a sampled snapshot: one taken before the mount was
      // registered said there was none, and the browser stayed here.)
      if (new URLSearchParams(location.search).get("next") === "orleans") { location.assign("/orleans/"); return; }
      start();
    }
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
