"""WebRTC ingest over REST: the offer that starts a call, the hang-up that ends it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from server.api.common import CallId, principal_of, services_of
from server.auth import Role
from server.errors import CloseCode, ProtocolError
from server.ingest.messages import ID_RE, WebRtcOffer
from server.ingest.webrtc import answer_offer

router = APIRouter()


@router.post("/v1/calls/{call_id}/webrtc", tags=["ingest"])
async def webrtc_offer(request: Request, call_id: CallId, offer: WebRtcOffer) -> dict[str, str]:
    """Start a call from a browser or any WebRTC peer: send the SDP offer, get the answer.

    An ingest key names the agent in `agent_id`; an agent key (the agent's own softphone) is that
    agent. `track_roles` gives each audio track's role in the offer's order (one stereo track with
    two roles is split left/right)."""
    services = services_of(request)
    principal = principal_of(request, Role.INGEST, Role.AGENT)
    agent_id = principal.agent_id if principal.role is Role.AGENT else offer.agent_id
    if principal.role is Role.AGENT and offer.agent_id not in (None, principal.agent_id):
        raise HTTPException(403, "an agent key starts calls only for its own agent")
    if not agent_id or not ID_RE.match(agent_id):
        raise HTTPException(422, "agent_id is required with an ingest key (letters, digits, '.', '_', '-')")
    try:
        return await answer_offer(services, call_id, offer, agent_id)
    except ProtocolError as error:
        status = {CloseCode.CONFLICT: 409, CloseCode.TRY_AGAIN_LATER: 503, CloseCode.UNSUPPORTED_MEDIA: 415}
        raise HTTPException(status.get(error.code, 400), error.message) from None


@router.delete("/v1/calls/{call_id}/webrtc", tags=["ingest"])
async def webrtc_hangup(request: Request, call_id: CallId) -> dict[str, str]:
    """Hang up a WebRTC call (its last utterances are stored, the summary written)."""
    services = services_of(request)
    principal = principal_of(request, Role.INGEST, Role.AGENT)
    call = services.calls.get(call_id)
    if call is None or call.transport != "webrtc" or call.session is None:
        raise HTTPException(404, f"no live WebRTC call {call_id} on this server")
    if principal.role is Role.AGENT and call.session.agent_id != principal.agent_id:
        raise HTTPException(403, f"call {call_id} is not assigned to this agent")
    call.hang_up.set()
    await call.ended.wait()
    return {"call_id": call_id, "status": "ended"}
