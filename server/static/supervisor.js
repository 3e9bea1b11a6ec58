// Supervisor: live calls (agent, duration, the customer's last line, a link to the live view)
// and search over past calls with filters, highlighted snippets and paging. An agent key sees
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

function renderLive() {
  $("live-count").textContent = liveCalls.length ? `${liveCalls.length}건` : "";
  $("no-live").hidden = liveCalls.length > 0;
  $("live").replaceChildren(...liveCalls.map((call) => el("tr", { dataset: { call: call.call_id } },
    el("td", {}, call.call_id),
    el("td", {}, call.agent_id),
    el("td", { class: "num", dataset: { started: call.started_at } }, clock(Date.now() / 1000 - call.started_at)),
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
    refreshWrapups();
    setInterval(refreshWrapups, 3000);
  }
  search();
}

main();
