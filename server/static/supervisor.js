// Supervisor: live calls (agent, duration, risk and categories found, the customer's last line, a
// link to the live view; sorted by risk or by start), calls waiting for wrap-up, the knowledge-gap
// report, and search over past calls with filters, highlighted snippets and paging. An agent key sees
// only its own calls here too: the server enforces it.
import { api, apiKey, clock, dateTime, el, highlighted } from "/static/common.js";

const $ = (id) => document.getElementById(id);
const PAGE = 10;
let offset = 0;
let liveCalls = [];

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

async function refreshLive() {
  try {
    liveCalls = (await api("/v1/calls?status=live")).calls;
    renderLive();
  } catch (error) {
    showError(`진행 중인 통화를 불러오지 못했습니다: ${error.message}`);
  }
}

const RISK_KO = { low: "낮음", medium: "보통", high: "높음" };

function sortedLive() {
  const calls = [...liveCalls];
  if ($("live-sort").value === "risk") {
    calls.sort((a, b) => (b.analytics?.risk ?? 0) - (a.analytics?.risk ?? 0) || b.started_at - a.started_at);
  }
  return calls;
}

function renderLive() {
  $("live-count").textContent = liveCalls.length ? `${liveCalls.length}건` : "";
  $("no-live").hidden = liveCalls.length > 0;
  $("live").replaceChildren(...sortedLive().map((call) => el("tr", { dataset: { call: call.call_id, risk: call.analytics?.risk ?? 0 } },
    el("td", {}, call.call_id),
    el("td", {}, call.agent_id),
    el("td", { class: "num", dataset: { started: call.started_at } }, clock(Date.now() / 1000 - call.started_at)),
    el("td", {}, call.analytics
      ? el("span", { class: `risk ${call.analytics.risk_level}` }, `${RISK_KO[call.analytics.risk_level]} ${call.analytics.risk.toFixed(2)}`)
      : "-"),
    el("td", {}, ...(call.analytics?.categories ?? []).map((c) => el("span", { class: `chip ${c.severity}` }, c.label))),
    el("td", {}, call.last_customer_text ?? el("span", { class: "muted" }, "-")),
    el("td", {}, el("a", { href: `/agent?call=${encodeURIComponent(call.call_id)}` }, "실시간 보기")))));
}

// Ended calls whose agent has not submitted the wrap-up, and for how long (supervisors only).
async function refreshWrapups() {
  try {
    const { calls } = await api("/v1/wrapups/pending");
    $("wrapup-count").textContent = calls.length ? `${calls.length}건` : "";
    $("no-wrapups").hidden = calls.length > 0;
    $("wrapups").replaceChildren(...calls.map((call) => el("tr", { dataset: { call: call.call_id } },
      el("td", {}, call.call_id),
      el("td", {}, call.agent_id),
      el("td", { class: "num", dataset: { ended: call.ended_at } }, clock(Date.now() / 1000 - call.ended_at)),
      el("td", {}, el("a", { href: `/calls/${encodeURIComponent(call.call_id)}` }, "통화 기록")))));
  } catch (error) {
    showError(`정리 중인 통화를 불러오지 못했습니다: ${error.message}`);
  }
}

setInterval(() => {
  for (const cell of document.querySelectorAll("#live td[data-started]")) {
    cell.textContent = clock(Date.now() / 1000 - Number(cell.dataset.started));
  }
  for (const cell of document.querySelectorAll("#wrapups td[data-ended]")) {
    cell.textContent = clock(Date.now() / 1000 - Number(cell.dataset.ended));
  }
}, 1000);

// What the guides could not answer, and how suggestions fared per guide (supervisors only).
async function refreshGaps() {
  try {
    const report = await api(`/v1/reports/gaps?since=${encodeURIComponent($("gaps-since").value)}`);
    const { asks, suggestions } = report;
    $("gaps-summary").textContent = `통화 ${report.calls}건 · 문의 ${asks.total}건 중 추천 ${asks.suggested}, 답 없음 ${asks.unanswered}`
      + ` · 추천 ${suggestions.shown}건 중 수락 ${suggestions.accepted}, 무시 ${suggestions.dismissed}, 응답 없음 ${suggestions.ignored}`
      + (report.next_since ? " (통화가 많아 앞부분만 집계)" : "");
    $("no-gaps").hidden = report.unanswered_topics.length > 0;
    $("gap-topics").replaceChildren(...report.unanswered_topics.map((t) => el("tr", {},
      el("td", {}, t.label), el("td", { class: "num" }, String(t.count)), el("td", { class: "num" }, String(t.calls)),
      el("td", {}, ...t.examples.map((e) => el("div", {}, el("a", { href: `/calls/${encodeURIComponent(e.call_id)}` }, e.text)))),
      el("td", {}, t.nearest_guide ?? "-"))));
    $("gap-guides").replaceChildren(...report.guides.map((g) => el("tr", {},
      el("td", {}, g.title), el("td", { class: "num" }, String(g.shown)), el("td", { class: "num" }, String(g.accepted)),
      el("td", { class: "num" }, String(g.dismissed)), el("td", { class: "num" }, String(g.ignored)),
      el("td", { class: "num" }, g.acceptance == null ? "-" : `${Math.round(g.acceptance * 100)}%`))));
  } catch (error) {
    showError(`지식 공백 보고서를 불러오지 못했습니다: ${error.message}`);
  }
}

async function search() {
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  for (const name of ["q", "agent", "from", "to", "tag"]) {
    const value = $(name).value.trim();
    if (value) params.set(name, value);
  }
  $("result-count").textContent = "검색 중…";
  try {
    const page = await api(`/v1/search/calls?${params}`);
    showError("");
    renderResults(page);
  } catch (error) {
    $("result-count").textContent = "";
    $("results").replaceChildren();
    showError(`검색하지 못했습니다: ${error.message}`);
  }
}

function renderResults(page) {
  const { total, results } = page;
  $("result-count").textContent = total ? `${total}건의 통화` : "조건에 맞는 통화가 없습니다. 다른 검색어나 기간으로 찾아보세요.";
  $("results").replaceChildren(...results.map((hit) => el("li", { dataset: { call: hit.call_id } },
    el("a", { class: "title", href: `/calls/${encodeURIComponent(hit.call_id)}` }, hit.title || hit.call_id),
    el("div", { class: "meta" }, `${hit.call_id} · ${hit.agent_id} · ${dateTime(hit.started_at)}${hit.tags.length ? ` · ${hit.tags.join(", ")}` : ""}`),
    el("p", { class: "snippet" }, ...highlighted(hit.snippet, hit.highlights)))));
  $("prev").hidden = offset === 0;
  $("next").hidden = offset + PAGE >= total;
  $("page").textContent = total > PAGE ? `${offset / PAGE + 1} / ${Math.ceil(total / PAGE)} 쪽` : "";
}

$("live-sort").addEventListener("change", renderLive);
$("search").addEventListener("submit", (event) => { event.preventDefault(); offset = 0; search(); });
$("prev").addEventListener("click", () => { offset = Math.max(0, offset - PAGE); search(); });
$("next").addEventListener("click", () => { offset += PAGE; search(); });

async function main() {
  if (!apiKey()) { showError("주소에 ?key=… 가 없습니다. 받은 주소 그대로 여세요."); return; }
  let me;
  try {
    me = await api("/v1/me");
    $("who").textContent = me.role === "agent" ? `상담원 ${me.agent_id} (본인 통화만 표시)` : "관리자";
    if (me.role === "agent") { $("agent").value = me.agent_id; $("agent").readOnly = true; }
  } catch (error) {
    showError(error.message);
    return;
  }
  refreshLive();
  setInterval(refreshLive, 2000);
  if (me.role === "supervisor") {
    $("wrapup-panel").hidden = false;
    $("gaps-panel").hidden = false;
    refreshGaps();
    $("gaps-form").addEventListener("submit", (event) => { event.preventDefault(); refreshGaps(); });
    refreshWrapups();
    setInterval(refreshWrapups, 3000);
  }
  search();
}

main();
