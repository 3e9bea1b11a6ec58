// Softphone for pilots and demos: the agent's microphone (and, for demos, a customer audio file as
// a second track) sent to the server over WebRTC. No STUN/TURN unless the server is configured
// with them; the browser and the server must reach each other directly.
import { api, apiKey } from "/static/common.js";

const $ = (id) => document.getElementById(id);
let pc = null;
let callId = null;
let player = null;

function showError(text) { $("error").textContent = text; $("error").hidden = !text; }
function setState(name, text) { $("connection").dataset.state = name; $("connection").textContent = text; }

async function customerTrack(file, context) {
  const buffer = await context.decodeAudioData(await file.arrayBuffer());
  const source = context.createBufferSource();
  source.buffer = buffer;
  const destination = context.createMediaStreamDestination();
  source.connect(destination);
  return { track: destination.stream.getAudioTracks()[0], start: () => source.start() };
}

function iceGathered(connection) {
  if (connection.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    connection.addEventListener("icegatheringstatechange", () => {
      if (connection.iceGatheringState === "complete") resolve();
    });
  });
}

async function start(event) {
  event.preventDefault();
  showError("");
  callId = $("call-id").value.trim();
  $("start").disabled = true;
  setState("connecting", "연결 중…");
  try {
    const microphone = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    pc = new RTCPeerConnection({ iceServers: [] });
    pc.addTrack(microphone.getAudioTracks()[0], microphone);
    const roles = ["agent"];
    const file = $("customer-file").files[0];
    if (file) {
      player = await customerTrack(file, new AudioContext());
      pc.addTrack(player.track);
      roles.push("customer");
    }
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "connected") { setState("open", "통화 중"); player?.start(); player = null; }
      if (pc.connectionState === "failed") { setState("failed", "연결 실패"); showError("WebRTC 연결에 실패했습니다 (방화벽 또는 ICE 설정)."); }
    });
    await pc.setLocalDescription(await pc.createOffer());
    await iceGathered(pc);
    const body = { sdp: pc.localDescription.sdp, type: "offer", track_roles: roles };
    const agent = $("agent-id").value.trim();
    if (agent) body.agent_id = agent;
    const answer = await api(`/v1/calls/${encodeURIComponent(callId)}/webrtc`, { method: "POST", body });
    await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
    $("hangup").disabled = false;
    $("sidebar-link").href = `/agent?call=${encodeURIComponent(callId)}`;
    $("live-link").hidden = false;
  } catch (error) {
    setState("failed", "연결 실패");
    showError(`통화를 시작하지 못했습니다: ${error.message}`);
    pc?.close();
    $("start").disabled = false;
  }
}

async function hangUp() {
  $("hangup").disabled = true;
  try {
    await api(`/v1/calls/${encodeURIComponent(callId)}/webrtc`, { method: "DELETE" });
    setState("ended", "통화 종료");
  } catch (error) {
    showError(`통화 종료를 알리지 못했습니다: ${error.message}`);
  } finally {
    pc?.getSenders().forEach((sender) => sender.track?.stop());
    pc?.close();
    $("start").disabled = false;
    $("call-id").value = `soft-${Date.now()}`;
  }
}

async function main() {
  $("call-id").value = `soft-${Date.now()}`;
  if (!apiKey()) { showError("주소에 ?key=… 가 없습니다. 받은 주소 그대로 여세요."); $("start").disabled = true; return; }
  try {
    const me = await api("/v1/me");
    if (me.agent_id) { $("agent-id").value = me.agent_id; $("agent-id").readOnly = true; }
  } catch {
    // an ingest key cannot read /v1/me: the agent id is typed in
  }
  $("form").addEventListener("submit", start);
  $("hangup").addEventListener("click", hangUp);
}

main();
