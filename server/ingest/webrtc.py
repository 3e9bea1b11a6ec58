"""WebRTC ingest (aiortc): `POST /v1/calls/{call_id}/webrtc` takes an SDP offer and returns the
answer; `DELETE` hangs up (docs/protocols.md, "WebRTC").

Each incoming audio track is a channel, in the order of the offer's audio sections, with the role
given for it (`track_roles`); a single stereo track with two roles is split left/right. Frames
(48 kHz Opus, decoded by aiortc) are resampled to 16 kHz and placed by their timestamps
(`agent/audio/tracks.py`), then fed to the call session like any other ingest. The call ends on
hang-up, when the peer connection fails or closes, or when every track has sent nothing for
`CALLASSIST_WEBRTC_TRACK_TIMEOUT_S` (a remote track does not end by itself when its sender stops).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import numpy as np
import structlog

from agent.audio.codecs import AudioFormat, Encoding
from agent.audio.tracks import TimestampGap, TrackAligner
from agent.events import Role
from agent.session import CallSession
from server.errors import CloseCode, ProtocolError
from server.ingest.lifecycle import over_length
from server.ingest.messages import WebRtcOffer
from server.services import Services

log = structlog.get_logger(__name__)

RATE = 16000
QUEUE_FRAMES = 200  # per call, between the track readers and the feeder (about 2 s per track)


class WebRtcCall:
    """One call's peer connection: track readers → one feeder → the session."""

    def __init__(
        self, services: Services, session: CallSession, pc: Any, roles: list[Role], stereo: bool
    ) -> None:
        self.services = services
        self.session = session
        self.pc = pc
        self.roles = roles
        self.stereo = stereo
        self.aligner = TrackAligner(
            len(roles), 2, b"\x00\x00", RATE, max_gap_s=services.settings.max_timestamp_gap_s
        )
        self.frames: asyncio.Queue[tuple[int, int, bytes] | None] = asyncio.Queue(QUEUE_FRAMES)
        self.readers: list[asyncio.Task[None]] = []
        self.feeder = asyncio.create_task(self._feed(), name=f"webrtc-feed:{session.call_id}")
        self.ended = asyncio.Event()
        self._ending: asyncio.Task[None] | None = None

    def add_track(self, track: Any) -> None:
        index = len(self.readers)
        if index >= (1 if self.stereo else len(self.roles)):
            log.warning("webrtc_extra_track_ignored", kind=track.kind)
            return
        self.readers.append(asyncio.create_task(self._read(track, index), name=f"webrtc-track:{index}"))

    async def _read(self, track: Any, index: int) -> None:
        import av

        layout = "stereo" if self.stereo else "mono"
        resampler = av.AudioResampler(format="s16", layout=layout, rate=RATE)
        timeout = self.services.settings.webrtc_track_timeout_s
        first: int | None = None
        position = 0
        try:
            while True:
                frame = await asyncio.wait_for(track.recv(), timeout)
                for out in resampler.resample(frame):
                    samples = out.to_ndarray().reshape(-1)  # interleaved s16
                    if out.pts is not None:
                        first = out.pts if first is None else first
                        position = out.pts - first
                    if self.stereo:
                        pairs = samples.reshape(-1, 2)
                        for channel in range(2):
                            await self.frames.put(
                                (channel, position, np.ascontiguousarray(pairs[:, channel]).tobytes())
                            )
                        position += len(pairs)
                    else:
                        await self.frames.put((index, position, samples.astype("<i2").tobytes()))
                        position += len(samples)
        except TimeoutError:
            log.info("webrtc_track_silent", track=index, seconds=timeout)
        except Exception as exc:  # MediaStreamError when the connection goes away
            log.info("webrtc_track_ended", track=index, error=type(exc).__name__)
        if all(reader.done() or reader is asyncio.current_task() for reader in self.readers):
            self.end("track_timeout")

    async def _feed(self) -> None:
        """Frames into the session; a timestamp gap past the bound ends the call (`error:bad_request`),
        and so does audio past the maximum call length (`max_duration`), as on every transport."""
        while (item := await self.frames.get()) is not None:
            index, position, data = item
            try:
                await self.session.feed(self.aligner.push(index, position, data))
            except TimestampGap as gap:
                log.warning("webrtc_timestamp_gap", track=index, reason=str(gap))
                self.end("error:bad_request")
                return
            if over_length(self.session, self.services) is not None:
                self.end("max_duration")
                return
        await self.session.feed(self.aligner.flush())

    def end(self, reason: str) -> None:
        if self._ending is None:
            self._ending = asyncio.create_task(self._end(reason), name=f"webrtc-end:{self.session.call_id}")

    async def _end(self, reason: str) -> None:
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)
        if not self.feeder.done():  # it still reads the queue, so the end mark gets in
            await self.frames.put(None)
        with contextlib.suppress(Exception):
            await self.feeder
        await self.services.close_session(self.session, reason)
        with contextlib.suppress(Exception):
            await self.pc.close()
        self.services.peers.pop(self.session.call_id, None)
        self.ended.set()
        log.info("webrtc_call_ended", reason=reason)


def audio_sections(sdp: str) -> int:
    return sum(1 for line in sdp.splitlines() if line.startswith("m=audio"))


async def answer_offer(services: Services, call_id: str, offer: WebRtcOffer, agent_id: str) -> dict[str, str]:
    from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription

    sections = audio_sections(offer.sdp)
    roles = list(offer.track_roles)
    if len(set(roles)) != len(roles):
        raise ProtocolError(CloseCode.UNSUPPORTED_MEDIA, "track_roles must not repeat a role")
    stereo = sections == 1 and len(roles) == 2
    if sections != len(roles) and not stereo:
        raise ProtocolError(
            CloseCode.UNSUPPORTED_MEDIA,
            f"the offer has {sections} audio track(s) but {len(roles)} role(s) were given",
        )
    config = RTCConfiguration(
        iceServers=[RTCIceServer(urls=url) for url in services.settings.webrtc_ice_servers]
    )
    pc = RTCPeerConnection(configuration=config)
    session = await services.open_session(
        call_id, agent_id, AudioFormat(Encoding.PCM_S16LE, RATE, len(roles)), roles,
        {**offer.metadata, "source": "webrtc"},
    )  # fmt: skip
    call = WebRtcCall(services, session, pc, roles, stereo)
    services.peers[call_id] = call

    @pc.on("track")
    def on_track(track: Any) -> None:
        if track.kind == "audio":
            call.add_track(track)

    @pc.on("connectionstatechange")
    async def on_state() -> None:
        log.info("webrtc_state", state=pc.connectionState)
        if pc.connectionState in ("failed", "closed"):
            call.end(f"webrtc_{pc.connectionState}")

    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer.sdp, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
    except Exception as exc:
        call.end("error:bad_request")
        raise ProtocolError(CloseCode.BAD_REQUEST, f"could not answer the offer: {exc}") from None
    return {"type": "answer", "sdp": pc.localDescription.sdp, "call_id": call_id}
