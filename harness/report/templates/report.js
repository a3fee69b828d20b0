"use strict";
(function () {
  const rows = JSON.parse(document.getElementById("rows-data").textContent);
  const packed = JSON.parse(document.getElementById("details-data").textContent);
  const body = document.getElementById("sample-rows");
  const more = document.getElementById("more");
  const text = document.getElementById("f-text");
  const status = document.getElementById("f-status");
  const count = document.getElementById("f-count");
  const panel = document.getElementById("detail");
  const PAGE = 100;
  let shown = PAGE;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  function matching() {
    const q = text.value.trim().toLowerCase();
    const st = status.value;
    return rows.filter(function (r) {
      if (st && r.status !== st) return false;
      return !q || (r.k + " " + r.status + " " + r.why).toLowerCase().includes(q);
    });
  }

  function renderRows() {
    const list = matching();
    body.replaceChildren();
    for (const r of list.slice(0, shown)) {
      const tr = el("tr", { "data-key": r.k }, [
        el("td", { text: r.task }), el("td", { text: r.arm }), el("td", { text: String(r.epoch) }),
        el("td", { text: r.status, class: "st-" + r.status }),
        el("td", { text: r.overall === null ? "-" : r.overall.toFixed(3) }),
        el("td", { text: r.why }),
      ]);
      tr.addEventListener("click", function () { openSample(r.k); });
      body.appendChild(tr);
    }
    count.textContent = Math.min(shown, list.length) + " of " + list.length + " shown";
    more.hidden = list.length <= shown;
  }

  async function unpack(b64) {
    const bytes = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }

  function pre(content, isDiff) {
    const node = el("pre");
    if (!isDiff) { node.textContent = content; return node; }
    for (const line of content.split("\n")) {
      let cls = "";
      if (line.startsWith("@@")) cls = "d-hunk";
      else if (line.startsWith("+") && !line.startsWith("+++")) cls = "d-add";
      else if (line.startsWith("-") && !line.startsWith("---")) cls = "d-del";
      node.appendChild(el("span", { class: cls, text: line + "\n" }));
    }
    return node;
  }

  function section(title, children) {
    return el("div", {}, [el("h3", { text: title })].concat(children));
  }

  function renderDetail(d) {
    const parts = [el("h3", { text: "Sample " + d.key + " · " + d.status +
      (d.overall === undefined ? "" : " · overall " + d.overall.toFixed(3)) })];
    if (d.failure) parts.push(el("p", { class: "incomplete", text: d.failure }));
    for (const note of d.notes || []) parts.push(el("p", { class: "note", text: note }));
    const checks = (d.checks || []).map(function (c) {
      const findings = (c.findings || []).map(function (f) {
        return el("li", { text: f.code + (f.where ? " " + f.where : "") + ": " + f.message });
      });
      if (c.omitted) findings.push(el("li", { class: "note", text: "... " + c.omitted + " more" }));
      const head = c.name + " · " + c.status + " · " + c.score.toFixed(3) + (c.reason ? " · " + c.reason : "");
      const figures = Object.entries(c.figures || {}).filter(function (e) { return !String(e[0]).startsWith("rule:"); })
        .slice(0, 12).map(function (e) { return e[0] + "=" + e[1]; }).join(", ");
      return el("details", {}, [el("summary", { text: head + " · " + (c.findings || []).length + " finding(s)" }),
        figures ? el("p", { class: "note", text: figures }) : null, el("ul", {}, findings)]);
    });
    parts.push(section("Findings per check", checks.length ? checks : [el("p", { text: "not scored" })]));
    const files = (d.files || []).map(function (f) {
      const head = f.path + " · " + f.state + (f.note ? " · " + f.note : "");
      const kids = [el("summary", { class: "fs-" + f.state, text: head })];
      if (f.text) kids.push(pre(f.text, f.state === "changed"));
      return el("details", {}, kids);
    });
    parts.push(section("Files (diff against the task's reference) · " + (d.workspace || ""),
      files.length ? files : [el("p", { text: "no files" })]));
    const events = (d.events || []).map(function (e) {
      const kids = [el("summary", { text: "[" + e.t.toFixed(2) + " s] " + e.type + " · " + e.head })];
      if (e.text) kids.push(pre(e.text, false));
      return el("details", { class: "ev-" + e.type }, kids);
    });
    parts.push(section("Transcript", events.length ? events : [el("p", { text: "no transcript" })]));
    panel.replaceChildren.apply(panel, parts);
    panel.hidden = false;
  }

  async function openSample(key) {
    const started = performance.now();
    for (const tr of body.querySelectorAll("tr.open")) tr.classList.remove("open");
    const tr = body.querySelector('tr[data-key="' + CSS.escape(key) + '"]');
    if (tr) tr.classList.add("open");
    if (!(key in packed)) { panel.textContent = "no detail for " + key; panel.hidden = false; return; }
    panel.textContent = "loading " + key + "...";
    panel.hidden = false;
    try {
      renderDetail(await unpack(packed[key]));
      panel.dataset.renderMs = (performance.now() - started).toFixed(1);
    } catch (err) {
      panel.textContent = "cannot show " + key + ": " + err;
    }
    panel.scrollIntoView({ block: "start" });
  }

  text.addEventListener("input", function () { shown = PAGE; renderRows(); });
  status.addEventListener("change", function () { shown = PAGE; renderRows(); });
  more.addEventListener("click", function () { shown += PAGE; renderRows(); });
  for (const a of document.querySelectorAll("a[data-open]")) {
    a.addEventListener("click", function (ev) { ev.preventDefault(); openSample(a.getAttribute("data-open")); });
  }
  renderRows();
  document.body.dataset.readyMs = performance.now().toFixed(0);
  window.harnessReport = { openSample: openSample, rows: rows.length };
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash.startsWith("sample=")) openSample(hash.slice(7));
})();
