// Status page: lists live calls and streams one call's events. Resumes after a dropped
// connection from the last event id it saw, so no event is shown twice or lost.
import { apiKey } from "/static/common.js";

const key = apiKey(); // kept for this tab; removed from the address bar (and so from history and referrers)
const $ = (id) => document.getElementById(id);
const ROLE_KO = { customer: "고객", agent: "상담원" };
let current = null; // { callId, socket, lastId, ended }

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

async function refreshCalls() {
  try {
    const response = await fetch("/v1/calls?status=live", { headers: { Authorization: `Bearer ${key}` } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail ?? response.statusText);
    showError("");
    renderCalls(body.calls);
    if ((!current || current.ended) && body.calls.length) follow(body.calls[0].call_id);
  } catch (error) {
    showError(`통화 목록을 불러오지 못했습니다: ${error.message}`);
  }
}

function renderCalls(calls) {
  $("no-calls").hidden = calls.length > 0;
  $("calls").replaceChildren(...calls.map((call) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    const seconds = Math.round(Date.now() / 1000 - call.started_at);
    button.textContent = `${call.call_id} · ${call.agent_id} · ${seconds}s`;
    button.setAttribute("aria-current", String(current?.callId === call.call_id));
    button.addEventListener("click", () => follow(call.call_id));
    item.append(button);
    return item;
  }));
}

function follow(callId) {
  if (current?.socket) current.socket.close();
  current = { callId, socket: null, lastId: null, ended: false };
  $("events").replaceChildren();
  $("current-call").textContent = callId;
  connect(current);
}

function connect(feed) {
  const params = new URLSearchParams({ key });
  if (feed.lastId) params.set("last_event_id", feed.lastId);
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/v1/calls/${encodeURIComponent(feed.callId)}/events?${params}`);
  feed.socket = socket;
  $("connection").textContent = "연결 중…";
  socket.onopen = () => { $("connection").textContent = "실시간 연결됨 (live)"; };
  socket.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.id) feed.lastId = event.id;
    if (event.type === "call_ended") feed.ended = true;
    if (event.type === "error") showError(event.message);
    render(event);
  };
  socket.onclose = (close) => {
    if (current !== feed) return;
    if (feed.ended) { $("connection").textContent = "통화 종료 (call ended)"; return; }
    // A refused key (4401/4403), a bad request or a throttled address: retrying cannot help.
    if (close.code === 1008 || (close.code >= 4400 && close.code < 4429)) {
      $("connection").textContent = `연결 거부됨 (refused): ${close.reason || close.code}`;
      showError(close.reason || `closed ${close.code}`);
      return;
    }
    $("connection").textContent = "재연결 중… (reconnecting)";
    setTimeout(() => current === feed && connect(feed), 1000);
  };
}

function sourceNote(event) {
  return event.source === "script" ? " [대본 · script, not recognized speech]" : "";
}

function render(event) {
  const line = document.createElement("li");
  const at = document.createElement("time");
  const text = document.createElement("span");
  switch (event.type) {
    case "call_started":
      line.className = "call";
      text.textContent = `통화 시작 · 상담원 ${event.agent_id} · ${event.encoding} ${event.sample_rate} Hz`;
      break;
    case "speech_started":
      line.className = event.role;
      at.textContent = `${event.start.toFixed(2)}s`;
      text.textContent = `${ROLE_KO[event.role] ?? event.role} 말하기 시작`;
      break;
    case "partial": {
      // Unstable text of speech in progress: replaces the previous partial of that channel.
      const previous = document.querySelector(`#events li[data-type=partial][data-channel="${event.channel}"]`);
      line.className = `${event.role} partial`;
      line.dataset.channel = event.channel;
      at.textContent = `${event.start.toFixed(2)}s…`;
      text.textContent = `${ROLE_KO[event.role] ?? event.role}: ${event.text}${sourceNote(event)}`;
      line.dataset.type = event.type;
      line.append(at, text);
      if (previous) { previous.replaceWith(line); return; }
      $("events").append(line);
      return;
    }
    case "final": {
      document.querySelector(`#events li[data-type=partial][data-channel="${event.channel}"]`)?.remove();
      line.className = event.role;
      at.textContent = `${event.start.toFixed(2)}–${event.end.toFixed(2)}s`;
      const said = event.text || (event.guard ? `(인식 결과 제외: ${event.guard})` : event.source ? "(인식된 말 없음)" : "(음성 구간 · 음성 인식 모델 없음)");
      text.textContent = `${ROLE_KO[event.role] ?? event.role}: ${said}${sourceNote(event)}`;
      break;
    }
    case "suggestion": {
      // A guide passage for what the customer just asked; an LLM answer streams in after it.
      const source = event.sources[0];
      line.className = "suggestion";
      line.dataset.id = event.suggestion_id;
      at.textContent = event.mode === "llm" ? "제안 (생성)" : "제안 (발췌)";
      text.textContent = `${event.reply || "…"} — 출처: ${[source.title, ...source.heading_path].join(" > ")}`;
      text.dataset.source = [source.title, ...source.heading_path].join(" > ");
      break;
    }
    case "suggestion_delta":
    case "suggestion_done": {
      const shown = document.querySelector(`#events li[data-type=suggestion][data-id="${event.suggestion_id}"] span:last-child`);
      if (!shown) return;
      const sofar = event.type === "suggestion_delta" ? (shown.dataset.reply ?? "") + event.text : event.reply;
      shown.dataset.reply = sofar;
      const note = event.type === "suggestion_done" && event.fallback ? ` (LLM 실패: ${event.fallback} · 발췌 답변)` : "";
      shown.textContent = `${sofar}${note} — 출처: ${shown.dataset.source}`;
      return;
    }
    case "summary": {
      line.className = "summary";
      at.textContent = event.kind === "final" ? "통화 요약" : "중간 요약";
      text.textContent = event.prose;
      document.querySelector("#events li[data-type=summary][data-kind=rolling]")?.remove();
      line.dataset.kind = event.kind;
      break;
    }
    case "call_ended":
      line.className = "call";
      text.textContent = `통화 종료 · ${event.reason} · ${event.audio_seconds}s`;
      break;
    case "events_skipped":
      text.textContent = "일부 이전 이벤트가 보관 기간을 지나 생략되었습니다.";
      break;
    default:
      return;
  }
  line.dataset.type = event.type;
  line.append(at, text);
  $("events").append(line);
  line.scrollIntoView({ block: "nearest" });
}

if (key) {
  refreshCalls();
  setInterval(refreshCalls, 2000);
} else {
  showError("URL에 ?key=… 가 없습니다. (Open the URL printed by `make demo`.)");
  $("connection").textContent = "";
}
