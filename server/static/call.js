// Post-call review: the call's redacted transcript, its suggestions with the agent's feedback and
// its summary and analytics, as `callassist export` gives them; the export buttons download those documents.
import { ROLE_KO, api, apiKey, clock, dateTime, download, el, transcriptText } from "/static/common.js";

const $ = (id) => document.getElementById(id);
const callId = decodeURIComponent(location.pathname.split("/").pop());

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

const END_REASON = { stop: "정상 종료", disconnected: "연결 끊김", server_shutdown: "서버 종료", server_lost: "서버 유실" };

function render(doc) {
  const call = doc.call;
  $("call-label").textContent = call.call_id;
  document.title = `callassist · 통화 ${call.call_id}`;
  const reason = call.end_reason ? END_REASON[call.end_reason] ?? call.end_reason : "진행 중";
  const rows = [
    ["상담원", call.agent_id], ["시작", dateTime(call.started_at)], ["종료", `${dateTime(call.ended_at)} · ${reason}`],
    ["길이", clock(call.audio_seconds ?? 0)], ["태그", (call.metadata?.tags ?? []).join(", ") || "-"],
    ["통화 정리", doc.wrapup ? `${doc.wrapup.label}${doc.wrapup.note ? ` · ${doc.wrapup.note}` : ""} (${doc.wrapup.by}, ${dateTime(doc.wrapup.at)})` : "정리 전"],
  ];
  $("meta").replaceChildren(...rows.flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]));

  const summary = doc.summary;
  if (summary) {
    const list = (items) => el("ul", {}, ...items.map((item) => el("li", {}, item)));
    const fields = [["문의 이유", summary.reason], ["고객 문제", summary.customer_issue], ["결과", summary.resolution]];
    $("summary").replaceChildren(
      el("p", {}, summary.prose),
      el("dl", {},
        ...fields.filter(([, v]) => v).flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]),
        el("dt", {}, "상담원 조치"), el("dd", {}, summary.agent_actions.length ? list(summary.agent_actions) : "-"),
        el("dt", {}, "후속 조치"), el("dd", {}, summary.follow_ups.length ? list(summary.follow_ups) : "-"),
        el("dt", {}, "사용한 가이드"), el("dd", {}, summary.guides_used.map((g) => `${g.title}${g.status === "accepted" ? " (수락)" : ""}`).join(", ") || "-"),
        el("dt", {}, "핵심어"), el("dd", {}, summary.keywords.join(", ") || "-")));
    $("summary-kind").textContent = `${summary.kind === "final" ? "통화 후" : "중간"} · ${summary.mode === "llm" ? "LLM" : "발췌식"}`;
  }

  const lines = doc.transcript.filter((segment) => segment.text);
  $("transcript").replaceChildren(...lines.map((segment) => el("li", { class: segment.role, dataset: { seq: segment.seq } },
    el("time", {}, clock(segment.start)),
    el("span", { class: "who" }, ROLE_KO[segment.role] ?? segment.role),
    el("span", { class: "text" }, ...transcriptText(segment.text, segment.uncertain)))));
  $("no-transcript").hidden = lines.length > 0;

  const verdict = { accept: "수락", dismiss: "무시" };
  $("suggestions").replaceChildren(...doc.suggestions.map((s, index) => el("tr", { dataset: { id: s.suggestion_id } },
    el("td", { class: "num" }, String(index + 1)),
    el("td", {}, s.trigger),
    el("td", {}, s.reply, el("div", { class: "muted" }, s.mode === "llm" ? "생성 답변" : "가이드 발췌")),
    el("td", {}, s.sources[0] ? [s.sources[0].title, ...s.sources[0].heading_path].join(" › ") : "-"),
    el("td", { class: "feedback" }, verdict[s.feedback] ?? "응답 없음"))));
  $("no-suggestions").hidden = doc.suggestions.length > 0;
  renderAnalytics(doc.analytics);
}

const QA_STATUS = { met: ["충족", "qa-met"], missed: ["누락", "qa-missed"], "n/a": ["해당 없음", "qa-na"] };
const RISK_KO = { low: "낮음", medium: "보통", high: "높음" };

// Categories, the customer's sentiment turn by turn, risk, and the QA checklist with its evidence.
function renderAnalytics(analytics) {
  if (!analytics) return;
  $("analytics-panel").hidden = false;
  const score = analytics.qa?.score;
  $("qa-score").textContent = score == null ? "" : `품질 점검 ${score}점`;
  const strip = el("div", { class: "sentiment-strip", role: "img",
    "aria-label": `고객 발화 ${analytics.customer_turns}개 중 부정 ${analytics.negative_turns}개` },
    ...analytics.sentiment.map((p) => {
      const bar = el("span", { class: p.label, title: `${clock(p.start)} ${p.score}` });
      bar.style.height = `${Math.round(30 + 70 * Math.abs(p.score))}%`; // CSSOM: allowed by the page's CSP
      return bar;
    }));
  $("analytics").replaceChildren(
    el("dt", {}, "분류"),
    el("dd", {}, ...(analytics.categories.length
      ? analytics.categories.map((c) => el("span", { class: `chip ${c.severity}`, dataset: { category: c.name } }, `${c.label} ×${c.count}`))
      : ["없음"])),
    el("dt", {}, "위험도"),
    el("dd", {}, el("span", { class: `risk ${analytics.risk_level}` }, RISK_KO[analytics.risk_level] ?? analytics.risk_level),
      ` ${analytics.risk.toFixed(2)} · 추세 ${analytics.trend == null ? "-" : analytics.trend.toFixed(2)}`),
    el("dt", {}, "고객 감정"), el("dd", {}, strip));
  $("qa").replaceChildren(...(analytics.qa?.items ?? []).map((item) => {
    const [text, cls] = QA_STATUS[item.status] ?? [item.status, ""];
    return el("tr", { dataset: { item: item.name } },
      el("td", {}, item.label),
      el("td", { class: cls }, text),
      el("td", {}, item.text ? `${clock(item.start)} ${item.text}` : "-"));
  }));
}

async function main() {
  if (!apiKey()) { showError("주소에 ?key=… 가 없습니다. 받은 주소 그대로 여세요."); return; }
  const path = `/v1/calls/${encodeURIComponent(callId)}/export`;
  for (const [button, format] of [["export-json", "json"], ["export-md", "md"]]) {
    $(button).addEventListener("click", async () => {
      try { await download(`${path}?format=${format}`, `call-${callId}.${format}`); showError(""); }
      catch (error) { showError(`내보내지 못했습니다: ${error.message}`); }
    });
  }
  try {
    render(await api(`${path}?format=json`));
  } catch (error) {
    for (const id of ["export-json", "export-md"]) $(id).disabled = true;
    showError(`통화 기록을 열 수 없습니다: ${error.message}`);
  }
}

main();
