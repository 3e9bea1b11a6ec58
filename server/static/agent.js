// The agent's sidebar: the live transcript, suggestion cards, the rolling summary, a call timer.
// Follows the agent's feed (every call of that agent, starting at the latest) or, for a
// supervisor, one call (?call=ID). Survives dropped connections without losing or repeating lines.
import { ApiError, EventFeed, ROLE_KO, api, apiKey, clock, copyText, el, transcriptText } from "/static/common.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const state = {
  callId: null, startedAt: null, endedAt: null, stick: true,
  suggestions: new Map(), // id → { card, data, feedback }
  me: null, // the agent whose feed this is
  supervisor: false, // a supervisor's key: every category alert is shown
  wrapup: null, // the ended call being wrapped up: { callId, deadline, pending, summary }
  next: null, // a call that started meanwhile: { callId, events } (it waits as a banner)
};
const NEXT_CALL_EVENTS = 5000; // what is kept of a waiting call's events until the sidebar takes it

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
  $("wrapup").hidden = true;
  $("alerts").replaceChildren();
  $("alerts").hidden = true;
  if (!state.next) $("next-call").hidden = true;
  state.wrapup = null;
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
  if (key === "w" && !$("wrapup").hidden) {  // to the wrap-up form: then Ctrl+Enter submits it
    $("disposition").focus();
    event.preventDefault();
  } else if (key === "c") {
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

// --- after-call work ------------------------------------------------------------------------------
// When a call ends the sidebar stays on it: the final summary to check (editable), a disposition
// code (the likeliest one chosen), a note. A call that starts meanwhile waits as a banner until the
// wrap-up is submitted or the configured hold has passed.
const SUMMARY_FIELDS = ["reason", "customer_issue", "resolution", "follow_ups"];

async function startWrapup(callId) {
  let data;
  try {
    data = await api(`/v1/calls/${encodeURIComponent(callId)}/wrapup`);
  } catch (error) {
    return; // assistance off, or the call is not this key's: nothing to wrap up here
  }
  if (state.callId !== callId) return;
  state.wrapup = { callId, deadline: Date.now() / 1000 + data.hold_s, pending: !data.submitted, summary: data.summary ?? {} };
  $("disposition").replaceChildren(...data.dispositions.map((d) => el("option", { value: d.code }, d.label)));
  $("disposition").value = data.submitted?.disposition ?? data.suggested;
  for (const name of SUMMARY_FIELDS) {
    const value = data.summary?.[name] ?? (name === "follow_ups" ? [] : "");
    const field = $(`wrapup-${name}`);
    field.value = Array.isArray(value) ? value.join("\n") : value;
    field.dataset.original = field.value;
    field.classList.remove("edited");
  }
  $("wrapup-note").value = data.submitted?.note ?? "";
  $("wrapup-state").textContent = data.submitted ? `정리됨 · ${data.submitted.label}` : "정리 전";
  $("wrapup").hidden = false;
  $("wrapup").scrollIntoView({ block: "nearest" });
}

function changedSummary() {
  const edits = {};
  for (const name of SUMMARY_FIELDS) {
    const field = $(`wrapup-${name}`);
    if (field.value === field.dataset.original) continue;
    edits[name] = name === "follow_ups" ? field.value.split("\n").map((line) => line.trim()).filter(Boolean) : field.value.trim();
  }
  return edits;
}

async function submitWrapup() {
  const wrapup = state.wrapup;
  if (!wrapup) return;
  $("wrapup-submit").disabled = true;
  try {
    const saved = await api(`/v1/calls/${encodeURIComponent(wrapup.callId)}/wrapup`, {
      method: "POST",
      body: { disposition: $("disposition").value, note: $("wrapup-note").value, summary: changedSummary() },
    });
    wrapup.pending = false;
    $("wrapup-state").textContent = `정리됨 · ${saved.label}`;
    showError("");
    if (state.next) takeNextCall();
  } catch (error) {
    showError(`통화 정리를 저장하지 못했습니다: ${error.message}`);
  } finally {
    $("wrapup-submit").disabled = false;
  }
}

$("wrapup-form").addEventListener("submit", (event) => { event.preventDefault(); submitWrapup(); });
$("wrapup-form").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); submitWrapup(); }
});
$("wrapup-form").addEventListener("input", (event) => {
  if (event.target.dataset.original !== undefined) event.target.classList.toggle("edited", event.target.value !== event.target.dataset.original);
});

function holdNextCall(event) {
  if (!state.next || state.next.callId !== event.call_id) state.next = { callId: event.call_id, events: [] };
  if (state.next.events.length < NEXT_CALL_EVENTS) state.next.events.push(event);
  $("next-call").textContent = `다음 통화(${event.call_id})가 연결되었습니다. 통화 정리를 마치면 넘어갑니다.`;
  $("next-call").hidden = false;
}

function takeNextCall() {
  const next = state.next;
  state.next = null;
  $("next-call").hidden = true;
  for (const event of next.events) handle(event);
}

function wrappingUp() {
  return state.wrapup?.pending && Date.now() / 1000 < state.wrapup.deadline;
}

// A category the analytics file marks agent-facing (churn risk, abuse, a repeated ask): one line
// per category and call, above the transcript. A supervisor watching the call sees every category.
function showAlert(event) {
  if (!event.alert.includes("agent") && !state.supervisor) return;
  $("alerts").append(el("li", { class: `alert ${event.severity}`, dataset: { category: event.name } },
    el("strong", {}, event.label), ` · ${clock(event.start)} · ${event.how === "repeated_ask" ? "같은 요청을 반복하고 있습니다" : `“${event.evidence}”`}`));
  $("alerts").hidden = false;
}

// --- the feed ------------------------------------------------------------------------------------
function handle(event) {
  if (state.next && event.call_id === state.next.callId) { holdNextCall(event); return; }
  if (event.type === "call_started") {
    if (wrappingUp() && event.call_id !== state.callId) { holdNextCall(event); return; }
    startCall(event);
    return;
  }
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
    case "category": showAlert(event); break;
    case "audio_ended":
      state.endedAt = state.startedAt + event.audio_seconds;
      break;
    case "call_ended":
      state.endedAt = state.endedAt ?? event.ended_at;
      $("review").hidden = false;
      startWrapup(event.call_id);
      break;
    case "call_transferred":
      if (event.from_agent === state.me) {  // moved to another agent: this part of the call is done
        $("next-call").textContent = `통화가 ${event.to_agent} 상담원에게 넘어갔습니다. 통화 정리를 마쳐 주세요.`;
        $("next-call").hidden = false;
        state.endedAt = event.at;
        startWrapup(event.call_id);
      } else if (event.to_agent === state.me) {
        $("next-call").textContent = `${event.from_agent} 상담원에게서 넘겨받은 통화입니다. 지금까지의 대화와 추천이 아래에 있습니다.`;
        $("next-call").hidden = false;
      }
      break;
    case "wrapup":  // submitted here or on another console of this call
      if (state.wrapup?.callId === event.call_id) state.wrapup.pending = false;
      $("wrapup-state").textContent = `정리됨 · ${event.label}`;
      break;
    default: break;
  }
}

setInterval(() => {
  if (state.next && !wrappingUp()) takeNextCall(); // the hold is over: the next call takes the sidebar
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
    state.me = callId ? null : agentId;
    state.supervisor = me.role === "supervisor";
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
