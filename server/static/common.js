// Shared by the console pages: the key, authenticated requests, the resumable event feed, and
// small DOM helpers. No framework, no build step, no network access beyond this server.

const KEY_STORE = "callassist.key";

/** The key this page was given (?key=…), kept for this tab and removed from the address bar. */
export function apiKey() {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get("key");
  if (fromUrl) {
    sessionStorage.setItem(KEY_STORE, fromUrl);
    params.delete("key");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? `?${rest}` : "") + location.hash);
  }
  return sessionStorage.getItem(KEY_STORE) ?? "";
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** fetch() with the key; JSON in and out; a clear ApiError on any failure. */
export async function api(path, { method = "GET", body, raw = false } = {}) {
  const headers = { Authorization: `Bearer ${apiKey()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, "서버에 연결할 수 없습니다. 네트워크를 확인하세요.");
  }
  if (raw && response.ok) return response;
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    const detail = data && typeof data.detail === "string" ? data.detail : response.statusText;
    throw new ApiError(response.status, explain(response.status, detail));
  }
  return data;
}

/** An HTTP error as a sentence a person understands (the server's own words kept). */
export function explain(status, detail) {
  const why = {
    401: "키가 없거나 올바르지 않습니다. 받은 주소(…?key=…)로 다시 여세요.",
    403: "이 키로는 볼 수 없는 내용입니다.",
    404: "찾을 수 없습니다.",
    409: "지금은 할 수 없는 요청입니다.",
    422: "입력값을 확인하세요.",
  }[status] ?? "요청을 처리하지 못했습니다.";
  return `${why} (${status}: ${detail})`;
}

/** Stream ids "ms-seq" in order. */
export function idAfter(a, b) {
  const [am, as] = a.split("-").map(BigInt);
  const [bm, bs] = b.split("-").map(BigInt);
  return am > bm || (am === bm && (as ?? 0n) > (bs ?? 0n));
}

/**
 * A console websocket that survives drops: it reconnects with backoff and resumes from the last
 * event id it handled, and ignores any event at or before that id, so nothing shows twice.
 */
export class EventFeed {
  constructor(path, { onEvent, onState }) {
    this.path = path;
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastId = null;
    this.attempt = 0;
    this.stopped = false;
    this.socket = null;
  }

  start() { this.connect(); return this; }

  connect() {
    const params = new URLSearchParams({ key: apiKey() });
    if (this.lastId) params.set("last_event_id", this.lastId);
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${this.path}?${params}`);
    this.socket = socket;
    this.onState(this.attempt ? "reconnecting" : "connecting");
    socket.onopen = () => { this.attempt = 0; this.onState("open"); };
    socket.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (event.type === "error") { this.fatal = event; return; }
      if (event.id) {
        if (this.lastId && !idAfter(event.id, this.lastId)) return; // already shown
        this.lastId = event.id;
      }
      this.onEvent(event);
    };
    socket.onclose = (close) => {
      if (this.stopped || socket !== this.socket) return;
      if (close.code === 1000) { this.onState("ended"); return; }
      if (close.code === 1008 || (close.code >= 4400 && close.code < 4429)) {  // refused: retrying cannot help
        this.onState("failed", close.reason || this.fatal?.message || `closed ${close.code}`);
        return;
      }
      this.attempt += 1;
      this.onState("reconnecting");
      setTimeout(() => { if (!this.stopped) this.connect(); }, Math.min(300 * 2 ** this.attempt, 8000));
    };
  }

  /** Drop the connection as a network failure would (it reconnects and resumes). */
  drop() { this.socket?.close(4000, "dropped"); }

  stop() { this.stopped = true; this.socket?.close(1000); }
}

/** el("li", {class: "x", dataset: {seq: 1}}, "text", child) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export const ROLE_KO = { customer: "고객", agent: "상담원" };

export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function dateTime(epochSeconds) {
  if (!epochSeconds) return "-";
  return new Date(epochSeconds * 1000).toLocaleString("ko-KR", { dateStyle: "medium", timeStyle: "short" });
}

/** `text` with the character spans in `spans` wrapped in <mark> (no HTML parsing involved). */
export function highlighted(text, spans) {
  const parts = [];
  let at = 0;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    parts.push(text.slice(at, start), el("mark", {}, text.slice(start, end)));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.filter((p) => p !== "");
}

/** A final's text as nodes, the words the recognizer was unsure of (`uncertain`: their indexes
 * among the words split at spaces) in <span class="uncertain">. */
export function transcriptText(text, uncertain) {
  if (!text || !uncertain?.length) return [text ?? ""];
  const flagged = new Set(uncertain);
  return text.split(" ").flatMap((word, index) => [index ? " " : "",
    flagged.has(index) ? el("span", { class: "uncertain", title: "음성 인식이 확실하지 않은 단어" }, word) : word])
    .filter((part) => part !== "");
}

/** Download a server export (fetched with the key; no key in any URL). */
export async function download(path, fallbackName) {
  const response = await api(path, { raw: true });
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = el("textarea", { "aria-hidden": "true", style: "position:fixed;opacity:0" });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}
