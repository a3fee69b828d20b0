// Tables: every table.sortable and the sample table sort by any column (click or Enter on a
// header; numbers numerically; missing values last); the sample table filters and pages.
const sampleBody = document.getElementById("sample-rows");
const moreButton = document.getElementById("more");
const filterText = document.getElementById("f-text");
const filterStatus = document.getElementById("f-status");
const filterCount = document.getElementById("f-count");
const PAGE = 100;
let shown = PAGE;
const sorts = {};  // table id -> {col, dir}

function cellValue(row, col) {
  const cell = row.cells[col];
  if (!cell) return "";
  return cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent;
}

function sortedSamples(list) {
  const sort = sorts["t-samples"];
  if (!sort) return list;
  const th = document.querySelectorAll("#t-samples thead th")[sort.col];
  const key = th ? th.dataset.key : "task";
  return list.slice().sort(function (a, b) {
    const va = a[key] === null || a[key] === undefined ? "" : String(a[key]);
    const vb = b[key] === null || b[key] === undefined ? "" : String(b[key]);
    return compareValues(va, vb, sort.dir) || a.k.localeCompare(b.k);
  });
}

function matching() {
  const q = filterText.value.trim().toLowerCase();
  const st = filterStatus.value;
  return ROWS.filter(function (r) {
    if (st && r.status !== st) return false;
    return !q || (r.k + " " + r.status + " " + r.why + " " + r.drew).toLowerCase().includes(q);
  });
}

function renderRows() {
  const list = sortedSamples(matching());
  sampleBody.replaceChildren();
  for (const r of list.slice(0, shown)) {
    const cells = [
      el("td", { text: r.task }), el("td", { text: r.arm }), el("td", { text: String(r.epoch) }),
      el("td", { text: r.status, class: "st-" + r.status }),
      el("td", { text: r.overall === null ? "-" : r.overall.toFixed(3) }),
      el("td", { text: r.why, class: "why", title: r.why || null }),
    ];
    if (RUN.simulated) cells.push(el("td", { text: r.drew, class: r.drew === "gold" ? "drew-gold" : "drew" }));
    const tr = el("tr", { "data-key": r.k, tabindex: "0" }, cells);
    if (currentKeys().includes(r.k)) tr.classList.add("open");
    tr.addEventListener("click", function () { openView({ kind: "sample", key: r.k }, tr); });
    tr.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") openView({ kind: "sample", key: r.k }, tr);
    });
    sampleBody.appendChild(tr);
  }
  filterCount.textContent = Math.min(shown, list.length) + " of " + list.length + " shown";
  moreButton.hidden = list.length <= shown;
}

function sortStatic(table, col, dir) {
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort(function (a, b) { return compareValues(cellValue(a, col), cellValue(b, col), dir); });
  for (const row of rows) body.appendChild(row);
}

function applySort(id, col, dir) {
  const table = document.getElementById(id);
  if (!table || !table.tHead || col < 0 || col >= table.tHead.rows[0].cells.length) return;
  sorts[id] = { col: col, dir: dir };
  Array.from(table.tHead.rows[0].cells).forEach(function (th, i) {
    if (i === col) th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    else th.removeAttribute("aria-sort");
  });
  if (id === "t-samples") renderRows(); else sortStatic(table, col, dir);
}

for (const table of document.querySelectorAll("table.sortable[id], table#t-samples")) {
  Array.from(table.tHead.rows[0].cells).forEach(function (th, col) {
    th.tabIndex = 0;
    th.classList.add("sort");
    th.title = (th.title ? th.title + " · " : "") + "sort by this column";
    const go = function () {
      const now = sorts[table.id];
      applySort(table.id, col, now && now.col === col ? -now.dir : 1);
      saveState();
    };
    th.addEventListener("click", go);
    th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") go(); });
  });
}

// A wide table (table.fit) that does not fit its box becomes a grid of labelled cells.
for (const table of document.querySelectorAll("table.fit")) {
  const heads = Array.from(table.tHead.rows[0].cells).map(function (th) { return th.textContent; });
  for (const row of table.tBodies[0].rows) {
    Array.from(row.cells).forEach(function (td, i) { td.dataset.label = heads[i] || ""; });
  }
}
function fitTables() {
  for (const table of document.querySelectorAll("table.fit")) {
    table.classList.remove("stacked");
    if (table.scrollWidth > table.parentElement.clientWidth + 1) table.classList.add("stacked");
  }
}
window.addEventListener("resize", fitTables);

filterText.addEventListener("input", function () { shown = PAGE; renderRows(); });
filterStatus.addEventListener("change", function () { shown = PAGE; renderRows(); });
moreButton.addEventListener("click", function () { shown += PAGE; renderRows(); });
