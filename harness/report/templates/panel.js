// The side panel: a task with the baseline's sample and another arm's side by side (their
// projects diffed against each other and against the reference, findings, transcripts), or
// one sample. It stays beside the tables, closes with Esc or its button, and its view and
// the tables' sort order live in the URL hash (#task=T&arm=A&epoch=E, #sample=KEY,
// &sort=TABLE:COL:a|d), so a link opens the same view and Back returns to the last one.
const panel = document.getElementById("panel");
const panelBody = document.getElementById("panel-body");
const panelTitle = document.getElementById("panel-title");
const panelControls = document.getElementById("panel-controls");
const closeButton = document.getElementById("panel-close");
const OTHER_ARMS = RUN.arms.filter(function (a) { return a !== RUN.baseline; });
const panelScroll = new Map();  // view hash -> the panel's scroll position
let current = null;
let opener = null;
let rendering = 0;

function keyOf(task, arm, epoch) { return task + "/" + arm + "/" + epoch; }
function currentKeys() {
  if (!current) return [];
  if (current.kind === "sample") return [current.key];
  return [keyOf(current.task, RUN.baseline, current.epoch), keyOf(current.task, current.arm, current.epoch)];
}

function hashOf(view) {
  const params = new URLSearchParams();
  if (view && view.kind === "sample") params.set("sample", view.key);
  if (view && view.kind === "task") {
    params.set("task", view.task); params.set("arm", view.arm); params.set("epoch", String(view.epoch));
  }
  const order = Object.entries(sorts).map(function (e) { return e[0] + ":" + e[1].col + ":" + (e[1].dir === 1 ? "a" : "d"); });
  if (order.length) params.set("sort", order.join(","));
  const text = params.toString().replace(/%2F/g, "/").replace(/%3A/g, ":").replace(/%2C/g, ",");
  return text ? "#" + text : location.pathname + location.search;
}

function parseHash(hash) {
  const raw = hash.replace(/^#/, "");
  if (raw && !raw.includes("=")) return null;  // a section's anchor: not a view
  const params = new URLSearchParams(raw);
  let view = null;
  if (params.get("sample")) view = { kind: "sample", key: params.get("sample") };
  else if (params.get("task")) {
    view = { kind: "task", task: params.get("task"), arm: params.get("arm") || OTHER_ARMS[0] || RUN.baseline,
      epoch: parseInt(params.get("epoch") || "0", 10) || 0 };
  }
  const sort = (params.get("sort") || "").split(",").filter(Boolean).map(function (item) {
    const parts = item.split(":");
    return { id: parts[0], col: parseInt(parts[1], 10), dir: parts[2] === "d" ? -1 : 1 };
  });
  return { view: view, sort: sort };
}

function saveState() { history.replaceState(null, "", hashOf(current)); }

function markOpen() {
  for (const node of document.querySelectorAll(".open")) node.classList.remove("open");
  if (!current) return;
  for (const key of currentKeys()) {
    const tr = sampleBody.querySelector('tr[data-key="' + CSS.escape(key) + '"]');
    if (tr) tr.classList.add("open");
  }
  if (current.kind === "task") {
    const sel = 'td[data-task="' + CSS.escape(current.task) + '"][data-arm="' + CSS.escape(current.arm) + '"]';
    for (const td of document.querySelectorAll(sel)) td.classList.add("open");
  }
}

function section(title, children, cls) {
  return el("div", { class: "psec " + (cls || "") }, [el("h3", { text: title })].concat(children));
}
function columns(left, right) { return el("div", { class: "pair" }, [left, right]); }

function checksOf(d) {
  if (!d) return [el("p", { class: "note", text: "no sample" })];
  const checks = (d.checks || []).map(function (c) {
    const findings = (c.findings || []).map(function (f) {
      return el("li", { text: f.code + (f.where ? " " + f.where : "") + ": " + f.message });
    });
    if (c.omitted) findings.push(el("li", { class: "note", text: "... " + c.omitted + " more" }));
    const head = c.name + " · " + c.status + " · " + c.score.toFixed(3) + (c.reason ? " · " + c.reason : "");
    const figures = Object.entries(c.figures || {}).filter(function (e) { return !String(e[0]).startsWith("rule:"); })
      .slice(0, 12).map(function (e) { return e[0] + "=" + e[1]; }).join(", ");
    return el("details", { class: "ck-" + c.status }, [el("summary", { text: head + " · " + (c.findings || []).length + " finding(s)" }),
      figures ? el("p", { class: "note", text: figures }) : null, el("ul", {}, findings)]);
  });
  return checks.length ? checks : [el("p", { class: "note", text: "not scored" })];
}

function filesOf(d, against) {
  if (!d) return [el("p", { class: "note", text: "no sample" })];
  const files = (d.files || []).filter(function (f) { return f.state !== "same"; }).map(function (f) {
    const kids = [el("summary", { class: "fs-" + f.state, text: f.path + " · " + f.state + (f.note ? " · " + f.note : "") })];
    if (f.text) kids.push(pre(f.text, f.state === "changed"));
    return el("details", {}, kids);
  });
  const same = (d.files || []).filter(function (f) { return f.state === "same"; }).map(function (f) { return f.path; });
  if (same.length) files.push(el("p", { class: "note", text: same.length + " file(s) identical to " + against + ": " + same.join(", ") }));
  return files.length ? files : [el("p", { class: "note", text: "no files" })];
}

function eventsOf(d) {
  if (!d) return [el("p", { class: "note", text: "no sample" })];
  const events = (d.events || []).map(function (e) {
    const kids = [el("summary", { text: "[" + e.t.toFixed(2) + " s] " + e.type + " · " + e.head })];
    if (e.text) kids.push(pre(e.text, false));
    return el("details", { class: "ev-" + e.type }, kids);
  });
  return events.length ? events : [el("p", { class: "note", text: "no transcript" })];
}

function sampleCard(key, d, role) {
  const row = ROW_BY_KEY.get(key);
  if (!row && !d) return el("div", { class: "scard" }, [el("h3", { text: role }), el("p", { class: "note", text: "no sample stored for " + key })]);
  const link = el("a", { href: hashOf({ kind: "sample", key: key }), text: key });
  link.addEventListener("click", function (ev) { ev.preventDefault(); openView({ kind: "sample", key: key }); });
  const why = (d && d.reason) || (row && row.why) || "";
  const drew = (d && d.drew) || (row && row.drew) || "";
  const overall = d && d.overall !== undefined ? d.overall : (row ? row.overall : null);
  const status = (d && d.status) || (row && row.status) || "";
  const facts = [
    el("p", {}, [el("b", { text: role + " " }), link]),
    el("p", { class: "facts" }, [el("span", { class: "st-" + status, text: status }),
      el("span", { class: "score", text: " · overall " + (overall === null || overall === undefined ? "-" : overall.toFixed(3)) })]),
    el("p", { class: why ? "why" : "why ok", text: why ? "why: " + why : "nothing fell short" }),
  ];
  if (drew) facts.push(el("p", { class: drew === "gold" ? "drew-gold" : "drew", text: "sim drew: " + drew }));
  if (d && d.failure) facts.push(el("p", { class: "incomplete", text: d.failure }));
  for (const note of (d && d.notes) || []) facts.push(el("p", { class: "note", text: note }));
  const mini = (d && d.checks || []).map(function (c) {
    return el("tr", { class: "ck-" + c.status }, [el("td", { text: c.name }), el("td", { text: c.status }), el("td", { text: c.score.toFixed(3) })]);
  });
  if (mini.length) facts.push(el("table", { class: "mini" }, [el("tbody", {}, mini)]));
  return el("div", { class: "scard" }, facts);
}

function pairFiles(pair, base, arm) {
  if (!pair) return [el("p", { class: "note", text: "no pair to diff: one of the two samples has no project" })];
  const differing = (pair.files || []).filter(function (f) { return f.state !== "same"; });
  const same = (pair.files || []).length - differing.length;
  const out = [el("p", { class: "note", text: differing.length + " file(s) differ, " + same + " identical · - " + base + ", + " + arm })];
  for (const note of pair.notes || []) out.push(el("p", { class: "note", text: note }));
  differing.forEach(function (f, i) {
    const kids = [el("summary", { class: "fs-" + f.state, text: f.path + " · " + f.state + (f.note ? " · " + f.note : "") })];
    if (f.text) kids.push(pre(f.text, f.state === "changed"));
    out.push(el("details", i < 3 ? { open: "" } : {}, kids));
  });
  return out;
}

function controls(view) {
  const kids = [];
  if (view.kind === "task" && OTHER_ARMS.length > 1) {
    const select = el("select", { "aria-label": "arm beside the baseline" }, OTHER_ARMS.map(function (a) {
      return el("option", a === view.arm ? { value: a, selected: "" } : { value: a }, [document.createTextNode(a)]);
    }));
    select.addEventListener("change", function () { openView({ kind: "task", task: view.task, arm: select.value, epoch: view.epoch }); });
    kids.push(select);
  }
  if (view.kind === "task" && RUN.epochs > 1) {
    const options = [];
    for (let e = 0; e < RUN.epochs; e++) options.push(el("option", e === view.epoch ? { value: String(e), selected: "" } : { value: String(e) }, [document.createTextNode("epoch " + e)]));
    const select = el("select", { "aria-label": "epoch" }, options);
    select.addEventListener("change", function () { openView({ kind: "task", task: view.task, arm: view.arm, epoch: parseInt(select.value, 10) }); });
    kids.push(select);
  }
  if (view.kind === "sample") {
    const parts = view.key.split("/");
    const arm = parts.length >= 3 ? parts[parts.length - 2] : "";
    const task = parts.slice(0, parts.length - 2).join("/");
    const other = arm === RUN.baseline ? OTHER_ARMS[0] : arm;
    if (other && task) {
      const button = el("button", { type: "button", text: "side by side: " + RUN.baseline + " | " + other });
      button.addEventListener("click", function () {
        openView({ kind: "task", task: task, arm: other, epoch: parseInt(parts[parts.length - 1], 10) || 0 });
      });
      kids.push(button);
    }
  }
  return kids;
}

async function renderView(view) {
  const ticket = ++rendering;
  const started = performance.now();
  if (current) panelScroll.set(hashOf(current), panelBody.scrollTop);
  current = view;
  document.body.classList.add("panel-open");
  panel.hidden = false;
  fitTables();
  panelControls.replaceChildren.apply(panelControls, controls(view));
  markOpen();
  let parts;
  try {
    if (view.kind === "task") {
      const baseKey = keyOf(view.task, RUN.baseline, view.epoch);
      const armKey = keyOf(view.task, view.arm, view.epoch);
      panelTitle.replaceChildren(el("h2", { text: view.task }), el("span", { class: "note", text: RUN.baseline + " beside " + view.arm + " · epoch " + view.epoch }));
      const got = await Promise.all([detailOf(PACKED, baseKey), detailOf(PACKED, armKey), detailOf(PAIRS, armKey)]);
      if (ticket !== rendering) return;
      parts = [
        columns(sampleCard(baseKey, got[0], "baseline " + RUN.baseline), sampleCard(armKey, got[1], view.arm)),
        section("Files: " + RUN.baseline + " → " + view.arm, pairFiles(got[2], RUN.baseline, view.arm), "pairdiff"),
        section("Files against the task's reference", [columns(
          el("div", {}, filesOf(got[0], "the reference")), el("div", {}, filesOf(got[1], "the reference")))]),
        section("Findings per check", [columns(el("div", {}, checksOf(got[0])), el("div", {}, checksOf(got[1])))]),
        section("Transcript", [columns(el("div", {}, eventsOf(got[0])), el("div", {}, eventsOf(got[1])))]),
      ];
    } else {
      panelTitle.replaceChildren(el("h2", { text: "Sample " + view.key }));
      const d = await detailOf(PACKED, view.key);
      if (ticket !== rendering) return;
      parts = d ? [
        sampleCard(view.key, d, ""),
        section("Findings per check", checksOf(d)),
        section("Files (diff against the task's reference) · " + (d.workspace || ""), filesOf(d, "the reference")),
        section("Transcript", eventsOf(d)),
      ] : [el("p", { class: "note", text: "no detail for " + view.key })];
    }
  } catch (err) {
    parts = [el("p", { class: "incomplete", text: "cannot show this view: " + err })];
  }
  panelBody.replaceChildren.apply(panelBody, parts);
  panelBody.scrollTop = panelScroll.get(hashOf(view)) || 0;
  panel.dataset.renderMs = (performance.now() - started).toFixed(1);
  panel.dataset.view = hashOf(view);
}

// Run `change` (which may narrow or widen the page) keeping `node` where it was on screen.
function keepInPlace(node, change) {
  const anchor = node && document.contains(node) && node !== document.body ? node : null;
  const before = anchor ? anchor.getBoundingClientRect().top : 0;
  change();
  if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
}

function openView(view, from) {
  opener = from || document.activeElement;
  history.pushState(null, "", hashOf(view));
  keepInPlace(opener, function () { renderView(view); });
  panel.focus({ preventScroll: true });
}

function hidePanel() {
  if (current) panelScroll.set(hashOf(current), panelBody.scrollTop);
  current = null;
  rendering++;
  panel.hidden = true;
  document.body.classList.remove("panel-open");
  fitTables();
  delete panel.dataset.view;
  markOpen();
}

function openNode() { return document.querySelector("td.open, tr.open") || opener; }

function closePanel() {
  if (!current) return;
  keepInPlace(openNode(), hidePanel);
  history.pushState(null, "", hashOf(null));
  if (opener && document.contains(opener)) opener.focus({ preventScroll: true });
}

function applyHash(first) {
  const state = parseHash(location.hash);
  if (state === null) return;
  for (const s of state.sort) applySort(s.id, s.col, s.dir);
  keepInPlace(openNode(), function () { if (state.view) renderView(state.view); else hidePanel(); });
  const node = document.querySelector("td.open, tr.open");
  if (first === true && node) node.scrollIntoView({ block: "center" });
}

closeButton.addEventListener("click", closePanel);
document.addEventListener("keydown", function (ev) {
  if (ev.key === "Escape" && current) { ev.preventDefault(); closePanel(); }
});
window.addEventListener("popstate", function () { applyHash(false); });
window.addEventListener("hashchange", function () { applyHash(false); });
for (const td of document.querySelectorAll("td[data-task][data-arm]")) {
  const open = function () { openView({ kind: "task", task: td.dataset.task, arm: td.dataset.arm, epoch: 0 }, td); };
  td.addEventListener("click", open);
  td.addEventListener("keydown", function (ev) { if (ev.key === "Enter") open(); });
}
for (const a of document.querySelectorAll("a[data-open]")) {
  a.addEventListener("click", function (ev) { ev.preventDefault(); openView({ kind: "sample", key: a.getAttribute("data-open") }, a); });
}
renderRows();
fitTables();
applyHash(true);
document.body.dataset.readyMs = performance.now().toFixed(0);
window.harnessReport = { openView: openView, openSample: function (key) { openView({ kind: "sample", key: key }); }, rows: ROWS.length };
