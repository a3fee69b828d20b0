// Shared by tables.js and panel.js: the run's data, element building (text only, never
// markup: everything from a run is hostile), on-demand decompression, value comparison.
const RUN = JSON.parse(document.getElementById("run-data").textContent);
const ROWS = JSON.parse(document.getElementById("rows-data").textContent);
const PACKED = JSON.parse(document.getElementById("details-data").textContent);
const PAIRS = JSON.parse(document.getElementById("pairs-data").textContent);
const ROW_BY_KEY = new Map(ROWS.map(function (r) { return [r.k, r]; }));

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const child of children || []) if (child) node.appendChild(child);
  return node;
}

const unpacked = new Map();
async function unpack(b64) {
  const bytes = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(stream).text());
}
// The detail stored under `key` in `store` (PACKED or PAIRS), decompressed once; null if none.
async function detailOf(store, key) {
  if (!Object.prototype.hasOwnProperty.call(store, key)) return null;
  const id = (store === PAIRS ? "pair:" : "sample:") + key;
  if (!unpacked.has(id)) unpacked.set(id, await unpack(store[key]));
  return unpacked.get(id);
}

// A diff as coloured lines; any other text as it is.
function pre(content, isDiff) {
  const node = el("pre");
  if (!isDiff) { node.textContent = content; return node; }
  for (const line of content.split("\n")) {
    let cls = "";
    if (line.startsWith("+++") || line.startsWith("---")) cls = "d-file";
    else if (line.startsWith("@@")) cls = "d-hunk";
    else if (line.startsWith("+")) cls = "d-add";
    else if (line.startsWith("-")) cls = "d-del";
    node.appendChild(el("span", { class: cls, text: line + "\n" }));
  }
  return node;
}

// A cell's value as a number ("+0.123 [..]", "48%", "$0.01"), or null for text and "-".
function numeric(text) {
  const t = String(text).trim().replace(/^\$/, "");
  const m = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(t);
  return m ? parseFloat(m[0]) : null;
}
function missing(text) { const t = String(text).trim(); return t === "" || t === "-"; }
// Order two values: numbers numerically, text alphabetically; missing values always last.
function compareValues(a, b, dir) {
  const ma = missing(a), mb = missing(b);
  if (ma || mb) return ma === mb ? 0 : (ma ? 1 : -1);
  const na = numeric(a), nb = numeric(b);
  if (na !== null && nb !== null && na !== nb) return dir * (na - nb);
  if (na !== null && nb !== null) return 0;
  return dir * String(a).localeCompare(String(b), undefined, { numeric: true });
}
