// Post-call review: the call's redacted transcript, its suggestions with the agent's feedback and
// its summary, as `callassist export` gives them; the export buttons download those documents.
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
