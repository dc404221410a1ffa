// The workbench page: a client of the service's own API (openapi.json), nothing from the
// network. The rubric is checked as it is typed (/api/check, the diagnostics `rubric check`
// prints); scoring, the ranking and the downloads use the report of one season run.
"use strict";

const words = {
  zh: {
    title: "政务诚信评价 · 工作台", rubric: "评分规则", "open-file": "打开规则文件", choose: "（选择）",
    "run-tests": "运行规则内的测试", "template-xlsx": "下载填报模板 (xlsx)", "template-csv": "下载填报模板 (CSV)",
    season: "评分与排名", facts: "填报数据（xlsx 或 CSV）", group: "分组列（可选）", score: "评分", report: "下载报告：",
    footer: "rubric serve · 本页不从网络加载任何内容",
    checking: "正在检查…", "no-problems": "没有错误", errors: (e, w) => `${e} 个错误，${w} 个警告`,
    warnings: (w) => `没有错误，${w} 个警告`, "fix-first": "请先改正规则中的错误", "choose-facts": "请先选择填报数据文件",
    scoring: "正在评分…", scored: (n) => `已评分 ${n} 个单位。点击一行查看得分说明。`, failed: "失败：",
    rank: "名次", entity: "编号", name: "单位", total: "总分", group_all: "全部单位",
    tests: (p, f) => `测试：${p} 个通过，${f} 个失败`, explain: (u) => `得分说明：${u}`,
  },
  en: {
    title: "Government integrity scoring · workbench", rubric: "Rubric", "open-file": "Open a rubric file", choose: "(choose)",
    "run-tests": "Run the rubric's tests", "template-xlsx": "Fill-in template (xlsx)", "template-csv": "Fill-in template (CSV)",
    season: "Scores and ranking", facts: "Facts (xlsx or CSV)", group: "Group column (optional)", score: "Score", report: "Report:",
    footer: "rubric serve · this page loads nothing from the network",
    checking: "Checking…", "no-problems": "No errors", errors: (e, w) => `${e} errors, ${w} warnings`,
    warnings: (w) => `No errors, ${w} warnings`, "fix-first": "Fix the rubric's errors first", "choose-facts": "Choose a facts file first",
    scoring: "Scoring…", scored: (n) => `${n} units scored. Click a row for its explanation.`, failed: "Failed: ",
    rank: "Rank", entity: "Id", name: "Unit", total: "Total", group_all: "All units",
    tests: (p, f) => `Tests: ${p} passed, ${f} failed`, explain: (u) => `Explanation: ${u}`,
  },
};

const state = { lang: "zh", checkedSource: null, ok: false, checkTimer: null, checkSeq: 0 };
const $ = (id) => document.getElementById(id);
const say = (key, ...args) => { const w = words[state.lang][key]; return typeof w === "function" ? w(...args) : w; };

// A token given in the address (#token=…) is sent with every request: the service asks for
// one when it listens beyond this machine.
const token = new URLSearchParams(location.hash.slice(1)).get("token");

async function api(path, body, asFile) {
  const headers = {};
  if (token) headers.Authorization = "Bearer " + token;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  const res = await fetch(path, { method: body ? "POST" : "GET", headers, body: payload });
  if (!res.ok) {
    let error = { status: res.status, message: res.statusText, diagnostics: [] };
    try { error = (await res.json()).error; } catch (_) { /* not JSON: keep the status */ }
    throw error;
  }
  if (asFile) return res.blob();
  const type = res.headers.get("Content-Type") || "";
  return type.startsWith("application/json") ? res.json() : res.text();
}

function setStatus(el, text, kind) {
  el.textContent = text;
  el.className = "status" + (kind ? " " + kind : "");
}

function applyLanguage() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = say(el.dataset.t);
  document.title = say("title");
  $("lang-zh").setAttribute("aria-pressed", String(state.lang === "zh"));
  $("lang-en").setAttribute("aria-pressed", String(state.lang === "en"));
  state.checkedSource = null;  // the diagnostics again, in the new language
  check();
}

// ---- the rubric -------------------------------------------------------------------------------

async function check() {
  const source = $("editor").value;
  if (source === state.checkedSource) return;
  const seq = ++state.checkSeq;
  setStatus($("check-status"), say("checking"));
  try {
    const r = await api("/api/check", { source, lang: state.lang });
    if (seq !== state.checkSeq) return;  // typed since: a newer check is on its way
    state.checkedSource = source;
    state.ok = r.ok;
    showDiagnostics(r.diagnostics);
    if (!r.ok) setStatus($("check-status"), say("errors", r.errors, r.warnings), "bad");
    else if (r.warnings) setStatus($("check-status"), say("warnings", r.warnings), "warn");
    else setStatus($("check-status"), say("no-problems"), "ok");
  } catch (e) {
    if (seq === state.checkSeq) showFailure($("check-status"), $("diagnostics"), e);
  }
}

// Each diagnostic as `rubric check` prints it (file:line:col, the line, a caret); a click puts
// the editor's caret where it points.
function showDiagnostics(list) {
  const box = $("diagnostics");
  box.textContent = "";
  for (const d of list) {
    const item = document.createElement("span");
    item.className = "diagnostic " + d.severity;
    item.textContent = d.rendered;
    if (d.line) {
      item.title = `${d.line}:${d.column}`;
      item.addEventListener("click", () => goTo(d.line, d.column));
    }
    box.appendChild(item);
  }
}

function goTo(line, column) {
  const editor = $("editor");
  const lines = editor.value.split("\n");
  let at = 0;
  for (let i = 0; i < line - 1 && i < lines.length; ++i) at += lines[i].length + 1;
  // Columns count characters (code points); the editor counts UTF-16 units.
  const text = lines[line - 1] || "";
  at += [...text].slice(0, Math.max(0, column - 1)).join("").length;
  editor.focus();
  editor.setSelectionRange(at, at);
  // Scroll the line into view: its share of the text's height.
  editor.scrollTop = Math.max(0, (line - 3) * (editor.scrollHeight / Math.max(1, lines.length)));
}

function scheduleCheck() {
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(check, 300);
}

function showFailure(statusEl, detailEl, e) {
  setStatus(statusEl, say("failed") + (e.message || String(e)), "bad");
  if (detailEl) {
    detailEl.textContent = (e.diagnostics || []).map((d) => d.rendered).join("");
    detailEl.hidden = !detailEl.textContent;
  }
}

async function loadFileList() {
  try {
    const r = await api("/api/files");
    for (const name of r.files) {
      const o = document.createElement("option");
      o.value = o.textContent = name;
      $("file-list").appendChild(o);
    }
  } catch (_) { /* no folder of rubrics: the list stays empty */ }
}

async function openFile() {
  const name = $("file-list").value;
  if (!name) return;
  const r = await api("/api/files/" + name.split("/").map(encodeURIComponent).join("/"));
  $("editor").value = r.source;
  check();
}

async function runTests() {
  const out = $("test-results");
  out.hidden = false;
  try {
    const r = await api("/api/test", { source: $("editor").value, lang: state.lang });
    const lines = [say("tests", r.passed, r.failed)];
    for (const t of r.tests) {
      if (t.passed) continue;
      lines.push(`✗ ${t.name} (${t.line})` + (t.problem ? "\n  " + t.problem : ""));
      for (const m of t.mismatches) lines.push(`  ${m.unit ? m.unit + " " : ""}${m.code}: ${m.expected} ≠ ${m.actual}\n${m.explanation}`);
    }
    out.textContent = lines.join("\n");
  } catch (e) {
    out.textContent = say("failed") + e.message + "\n" + (e.diagnostics || []).map((d) => d.rendered).join("");
  }
}

// ---- the season -------------------------------------------------------------------------------

function seasonForm(extra) {
  const form = new FormData();
  form.append("source", $("editor").value);
  form.append("lang", state.lang);
  const group = $("group-column").value.trim();
  if (group) form.append("group", group);
  const file = $("facts-file").files[0];
  if (file) form.append("facts", file, file.name);
  for (const [k, v] of Object.entries(extra || {})) form.append(k, v);
  return form;
}

function cell(row, text, numeric) {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) td.className = "n";
  row.appendChild(td);
}

async function score() {
  const status = $("score-status");
  if (!$("facts-file").files[0]) return setStatus(status, say("choose-facts"), "bad");
  setStatus(status, say("scoring"));
  $("score-errors").hidden = true;
  try {
    // The report's JSON: competition ranks by the exact total, within each group.
    const report = await api("/api/report", seasonForm({ format: "json" }));
    const box = $("ranking");
    box.textContent = "";
    report.groups.forEach((g, gi) => {
      const table = document.createElement("table");
      table.className = "ranking";
      table.id = "ranking-" + (gi + 1);
      const caption = table.createCaption();
      caption.textContent = g.group || say("group_all");
      const head = table.createTHead().insertRow();
      for (const [key, numeric] of [["rank", true], ["entity", false], ["name", false], ["total", true]]) {
        const th = document.createElement("th");
        th.textContent = say(key);
        if (numeric) th.className = "n";
        head.appendChild(th);
      }
      const body = table.createTBody();
      for (const u of g.units) {
        const row = body.insertRow();
        row.dataset.entity = u.entity;
        row.dataset.rank = u.rank;
        row.dataset.total = u.total;
        row.tabIndex = 0;
        cell(row, String(u.rank), true);
        cell(row, u.entity);
        cell(row, u.name);
        cell(row, u.total_shown, true);
        row.addEventListener("click", () => explain(row, u));
        row.addEventListener("keydown", (e) => { if (e.key === "Enter") explain(row, u); });
      }
      box.appendChild(table);
    });
    setStatus(status, say("scored", report.unit_count), "ok");
    $("downloads").hidden = false;
  } catch (e) {
    showFailure(status, $("score-errors"), e);
  }
}

async function explain(row, unit) {
  for (const r of document.querySelectorAll("tr.chosen")) r.classList.remove("chosen");
  row.classList.add("chosen");
  const panel = $("explanation-panel");
  panel.hidden = false;
  $("explanation-heading").textContent = say("explain", unit.name || unit.entity);
  try {
    $("explanation").textContent = await api("/api/explain", seasonForm({ entity: unit.entity, format: "text" }));
  } catch (e) {
    $("explanation").textContent = say("failed") + e.message;
  }
}

async function download(path, form, filename) {
  try {
    const blob = await api(path, form, true);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  } catch (e) {
    showFailure($("score-status"), $("score-errors"), e);
  }
}

function downloadTemplate(format) {
  download("/api/template", { source: $("editor").value, format, lang: state.lang }, "template." + format);
}

document.addEventListener("DOMContentLoaded", () => {
  $("editor").addEventListener("input", scheduleCheck);
  $("file-list").addEventListener("change", openFile);
  $("run-tests").addEventListener("click", runTests);
  $("score").addEventListener("click", score);
  $("lang-zh").addEventListener("click", () => { state.lang = "zh"; applyLanguage(); });
  $("lang-en").addEventListener("click", () => { state.lang = "en"; applyLanguage(); });
  $("download-template-xlsx").addEventListener("click", () => downloadTemplate("xlsx"));
  $("download-template-csv").addEventListener("click", () => downloadTemplate("csv"));
  for (const f of ["html", "pdf", "xlsx"])
    $("download-report-" + f).addEventListener("click", () => download("/api/report", seasonForm({ format: f }), "report." + f));
  loadFileList();
  applyLanguage();
});
