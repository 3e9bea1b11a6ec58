// The agent's sidebar: the live transcript, suggestion cards, the rolling summary, a call timer.
// Follows the agent's feed (every call of that agent, starting at the latest) or, for a
// supervisor, one call (?call=ID). Survives dropped connections without losing or repeating lines.
import { ApiError, EventFeed, ROLE_KO, api, apiKey, clock, copyText, el, transcriptText } from "/static/common.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const state = {
  callId: null, startedAt: null, endedAt: null, stick: true,
  suggestions: new Map(), // id → { card, data, feedback }
};

function showError(text) {
  $("error").textContent = text ?? "";
  $("error").hidden = !text;
}

const STATE_TEXT = {
  connecting: "연결 중…", open: "실시간 연결됨", reconnecting: "재연결 중…",
  ended: "통화 종료", failed: "연결 실패",
};
function setConnection(name, reason) {
  $("connection").dataset.state = name;
  $("connection").textContent = STATE_TEXT[name] ?? name;
  if (name === "failed") showError(`실시간 연결이 거부되었습니다: ${reason}`);
}

// --- a new call resets the screen --------------------------------------------------------------
function startCall(event) {
  state.callId = event.call_id;
  state.startedAt = event.started_at;
  state.endedAt = null;
  state.suggestions.clear();
  $("call-label").textContent = event.call_id;
  $("transcript").replaceChildren();
  $("suggestions").replaceChildren();
  $("summary").replaceChildren(el("p", { class: "empty" }, "대화가 이어지면 중간 요약이 여기에 나타납니다."));
  $("summary-kind").textContent = "";
  $("review").hidden = true;
  $("review-link").href = `/calls/${encodeURIComponent(event.call_id)}`;
  showModel(event.asr);
  refreshCounts();
}

// Which recognizer wrote this call's text, and a warning where its text is not to be trusted.
const MODEL_NOTE = {
  base: "튜닝 전 기본 모델입니다. 합성·통화 음성의 한국어 인식 오류가 많습니다",
  random: "무작위 가중치 시험 모델입니다. 인식 결과는 의미가 없습니다",
  none: "음성 인식 모델이 없습니다. 발화 구간만 표시됩니다",
};
function showModel(asr) {
  const notice = $("asr-notice");
  notice.hidden = !asr || asr.kind === "script";
  if (notice.hidden) return;
  const note = MODEL_NOTE[asr.kind];
  notice.dataset.kind = asr.kind;
  notice.textContent = `음성 인식: ${asr.model ?? "없음"}${note ? ` — ${note}` : ""}${asr.note ? ` (${asr.note})` : ""}`;
}

// --- transcript ----------------------------------------------------------------------------------
function line(event, partial) {
  return el("li", { class: `${event.role}${partial ? " partial" : ""}`, dataset: partial ? { channel: event.channel } : { seq: event.seq } },
    el("time", {}, clock(event.start)),
    el("span", { class: "who" }, ROLE_KO[event.role] ?? event.role),
    el("span", { class: "text" }, ...transcriptText(event.text, partial ? null : event.uncertain)));
}

function noteSource(event) {
  if (event.source === "script") $("script-notice").hidden = false;
}

function showPartial(event) {
  noteSource(event);
  const previous = $("transcript").querySelector(`li.partial[data-channel="${event.channel}"]`);
  const item = line(event, true);
  if (previous) previous.replaceWith(item); else $("transcript").append(item);
  follow();
}

function showFinal(event) {
  noteSource(event);
  $("transcript").querySelector(`li.partial[data-channel="${event.channel}"]`)?.remove();
  if (!event.text || $("transcript").querySelector(`li[data-seq="${event.seq}"]`)) { refreshCounts(); return; }
  $("transcript").append(line(event, false));
  refreshCounts();
  follow();
}

// Auto-scroll follows new lines until the agent scrolls up; it resumes at the bottom or on "jump".
function follow() {
  const box = $("transcript-box");
  if (state.stick) {
    box.scrollTop = box.scrollHeight;
    state.autoTop = box.scrollTop;
  }
  $("jump").hidden = state.stick;
}

$("transcript-box").addEventListener("scroll", () => {
  const box = $("transcript-box");
  if (box.scrollHeight - box.scrollTop - box.clientHeight < 48) state.stick = true;
  else if (box.scrollTop < (state.autoTop ?? 0) - 8) state.stick = false; // the agent scrolled up
  $("jump").hidden = state.stick;
});
$("jump").addEventListener("click", () => { state.stick = true; follow(); $("transcript-box").focus(); });

function refreshCounts() {
  const finals = $("transcript").querySelectorAll("li[data-seq]").length;
  $("no-transcript").hidden = $("transcript").children.length > 0;
  $("transcript-count").textContent = finals ? `${finals}개 발화` : "";
  const count = state.suggestions.size;
  $("no-suggestions").hidden = count > 0;
  $("suggestion-count").textContent = count ? `${count}건` : "";
}

// --- suggestion cards --------------------------------------------------------------------------
function sourcePath(source) { return [source.title, ...source.heading_path].join(" › "); }

function kindLabel(mode, status) {
  if (mode === "llm") return status === "streaming" ? "생성 중" : "생성 답변";
  return "가이드 발췌";
}

function showSuggestion(event) {
  if (state.suggestions.has(event.suggestion_id)) return;
  const source = event.sources[0];
  const reply = el("p", { class: "reply" }, event.reply);
  const kind = el("span", { class: `kind ${event.mode}` }, kindLabel(event.mode, event.status));
  const verdict = el("span", { class: "verdict", "aria-live": "polite" });
  const note = el("p", { class: "note", hidden: true });
  const accept = el("button", { type: "button", class: "primary", onclick: () => feedback(event.suggestion_id, "accept") }, "수락");
  const dismiss = el("button", { type: "button", onclick: () => feedback(event.suggestion_id, "dismiss") }, "무시");
  const copy = el("button", { type: "button", onclick: () => copyReply(event.suggestion_id) }, "복사");
  const card = el("li", { class: `card${event.status === "streaming" ? " streaming" : ""}`, dataset: { id: event.suggestion_id }, "aria-label": `추천 ${event.number}` },
    el("div", {}, kind, el("span", { class: "source" }, `출처: ${sourcePath(source)}`)),
    reply,
    note,
    el("details", {}, el("summary", {}, "가이드 원문 보기"), el("p", {}, source.snippet)),
    el("div", { class: "actions" }, accept, dismiss, copy, verdict));
  $("suggestions").querySelector(".newest")?.classList.remove("newest");
  card.classList.add("newest");
  $("suggestions").prepend(card); // newest on top
  state.suggestions.set(event.suggestion_id, { card, reply, kind, verdict, note, buttons: [accept, dismiss], data: { ...event } });
  refreshCounts();
}

function appendDelta(event) {
  const item = state.suggestions.get(event.suggestion_id);
  if (!item) return;
  item.data.reply = (item.data.reply ?? "") + event.text;
  item.reply.textContent = item.data.reply;
}

function finishSuggestion(event) {
  const item = state.suggestions.get(event.suggestion_id);
  if (!item) return;
  Object.assign(item.data, { reply: event.reply, mode: event.mode, status: event.status });
  item.card.classList.remove("streaming");
  item.reply.textContent = event.reply;
  item.kind.className = `kind ${event.mode}`;
  item.kind.textContent = kindLabel(event.mode, "done");
  if (event.fallback) {
    item.note.hidden = false;
    item.note.textContent = `생성 답변을 받지 못해(${event.fallback}) 가이드 발췌로 대신합니다.`;
  }
}

function showFeedback(event) {
  const item = state.suggestions.get(event.suggestion_id);
  if (!item) return;
  item.feedback = event.action;
  item.card.dataset.feedback = event.action;
  item.verdict.textContent = event.action === "accept" ? "✓ 수락함" : "무시함";
  for (const button of item.buttons) button.disabled = true;
}

async function feedback(id, action) {
  try {
    await api(`/v1/calls/${encodeURIComponent(state.callId)}/suggestions/${encodeURIComponent(id)}/feedback`, { method: "POST", body: { action } });
    showError("");
  } catch (error) {
    showError(`피드백을 저장하지 못했습니다: ${error.message}`);
  }
}

async function copyReply(id) {
  const item = state.suggestions.get(id);
  if (!item) return;
  const ok = await copyText(item.data.reply ?? "");
  item.verdict.textContent = ok ? "복사됨" : "복사하지 못했습니다";
  if (item.feedback) setTimeout(() => showFeedback({ suggestion_id: id, action: item.feedback }), 1200);
}

function newestUndecided() {
  for (const [id, item] of [...state.suggestions].reverse()) if (!item.feedback) return id;
  return null;
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
  const key = event.key.toLowerCase();
  if (key === "c") {
    const newest = [...state.suggestions.keys()].at(-1);
    if (newest) { copyReply(newest); event.preventDefault(); }
  } else if (key === "a" || key === "d") {
    const id = newestUndecided();
    if (id) { feedback(id, key === "a" ? "accept" : "dismiss"); event.preventDefault(); }
  }
});

// --- summary -----------------------------------------------------------------------------------
function showSummary(event) {
  const rows = [
    ["문의", event.reason], ["고객 문제", event.customer_issue], ["결과", event.resolution],
  ].filter(([, value]) => value);
  const list = (items) => el("ul", {}, ...items.map((item) => el("li", {}, item)));
  const details = el("dl", {},
    ...rows.flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]),
    ...(event.agent_actions.length ? [el("dt", {}, "조치"), el("dd", {}, list(event.agent_actions))] : []),
    ...(event.follow_ups.length ? [el("dt", {}, "후속"), el("dd", {}, list(event.follow_ups))] : []),
    ...(event.keywords.length ? [el("dt", {}, "핵심어"), el("dd", {}, event.keywords.join(", "))] : []));
  $("summary").replaceChildren(el("p", {}, event.prose), details);
  const how = event.mode === "llm" ? "LLM" : "발췌식";
  $("summary-kind").textContent = `${event.kind === "final" ? "통화 후 요약" : "중간 요약"} · ${how}`;
}

// --- the feed ------------------------------------------------------------------------------------
function handle(event) {
  if (event.type === "call_started") { startCall(event); return; }
  if (event.type === "call_refused") {  // no call came: recognition could not take it
    showError(`음성 인식을 사용할 수 없어 통화 ${event.call_id}이(가) 연결되지 않았습니다 (recognition unavailable: ${event.reason})`);
    return;
  }
  if (event.type === "live" || event.type === "events_skipped") return;
  if (!state.callId || event.call_id !== state.callId) return; // an older call of this agent
  switch (event.type) {
    case "partial": showPartial(event); break;
    case "final": showFinal(event); break;
    case "suggestion": showSuggestion(event); break;
    case "suggestion_delta": appendDelta(event); break;
    case "suggestion_done": finishSuggestion(event); break;
    case "suggestion_feedback": showFeedback(event); break;
    case "summary": showSummary(event); break;
    case "audio_ended":
      state.endedAt = state.startedAt + event.audio_seconds;
      break;
    case "call_ended":
      state.endedAt = state.endedAt ?? event.ended_at;
      $("review").hidden = false;
      break;
    default: break;
  }
}

setInterval(() => {
  if (!state.startedAt) return;
  const end = state.endedAt ?? Date.now() / 1000;
  $("timer").textContent = clock(end - state.startedAt);
}, 500);

async function main() {
  if (!apiKey()) {
    setConnection("failed", "키가 없습니다");
    showError("주소에 ?key=… 가 없습니다. 받은 주소 그대로 여세요.");
    return;
  }
  let path;
  try {
    const me = await api("/v1/me");
    const callId = params.get("call");
    const agentId = params.get("agent") ?? me.agent_id;
    if (callId) path = `/v1/calls/${encodeURIComponent(callId)}/events`;
    else if (agentId) path = `/v1/agents/${encodeURIComponent(agentId)}/events`;
    else {
      showError("어느 상담원(?agent=ID)이나 통화(?call=ID)를 볼지 주소에 지정하세요.");
      setConnection("failed", "대상 없음");
      return;
    }
  } catch (error) {
    setConnection("failed", error.message);
    showError(error instanceof ApiError ? error.message : String(error));
    return;
  }
  window.callassist = { feed: new EventFeed(path, { onEvent: handle, onState: setConnection }).start() };
}

main();
