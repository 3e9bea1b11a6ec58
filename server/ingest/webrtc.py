"""WebRTC ingest (aiortc): `POST /v1/calls/{call_id}/webrtc` takes an SDP offer and returns the
answer; `DELETE` hangs up (docs/protocols.md, "WebRTC").

Each incoming audio track is a channel, in the order of the offer's audio sections, with the role
given for it (`track_roles`); a single stereo track with two roles is split left/right. Frames
(48 kHz Opus, decoded by aiortc) are resampled to 16 kHz and placed by their timestamps
(`agent/audio/tracks.py`), then fed through the call's handle like any other ingest, which runs
the call's life as for every transport (`server/ingest/call_handle.py`): it ends on hang-up
(`stop`), when the peer connection fails or closes (`disconnected`), when no audio has arrived for
`CALLASSIST_IDLE_TIMEOUT_SECONDS` (`error:idle_timeout`; a remote track does not end by itself
when its sender stops), past the maximum duration, or at the server's shutdown.
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
from server.errors import CloseCode, ProtocolError
from server.ingest.call_handle import CallHandle, Disconnected, run_call
from server.ingest.messages import WebRtcOffer
from server.services import Services

log = structlog.get_logger(__name__)

RATE = 16000
QUEUE_FRAMES = 200  # per call, between the track readers and the feeder (about 2 s per track)


class WebRtcCall:
    """One call's peer connection: track readers → one feeder → the call's handle."""

    def __init__(self, call: CallHandle, pc: Any, roles: list[Role], stereo: bool) -> None:
        self.call = call
        self.pc = pc
        self.roles = roles
        self.stereo = stereo
        self.aligner = TrackAligner(
            len(roles), 2, b"\x00\x00", RATE, max_gap_s=call.services.settings.max_timestamp_gap_s
        )
        self.frames: asyncio.Queue[tuple[int, int, bytes] | None] = asyncio.Queue(QUEUE_FRAMES)
        self.readers: list[asyncio.Task[None]] = []
        self.feeder: asyncio.Task[None] | None = None
        self.over: asyncio.Future[Any] = asyncio.get_running_loop().create_future()  # why it ends

    def add_track(self, track: Any) -> None:
        index = len(self.readers)
        if index >= (1 if self.stereo else len(self.roles)):
            log.warning("webrtc_extra_track_ignored", kind=track.kind)
            return
        self.readers.append(asyncio.create_task(self._read(track, index), name=f"webrtc-track:{index}"))

    def end(self, failure: BaseException) -> None:
        """The call is over for `failure` (the first one counts)."""
        if not self.over.done():
            self.over.set_exception(failure)

    async def run(self) -> None:
        """The call's body: until hang-up, a failure, or no audio within the idle timeout; then the
        last frames are fed and the peer connection closed."""
        self.feeder = asyncio.create_task(self._feed(), name="webrtc-feed")
        hang_up: asyncio.Future[Any] = asyncio.ensure_future(self.call.hang_up.wait())
        try:
            while not hang_up.done():
                left = self.call.idle.left()
                if left <= 0:
                    raise self.call.idle.expired()
                await asyncio.wait({hang_up, self.over}, timeout=left, return_when=asyncio.FIRST_COMPLETED)
                if self.over.done():
                    self.over.result()
        finally:
            hang_up.cancel()
            await self._close()

    async def _close(self) -> None:
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)
        if self.feeder is not None:
            if not self.feeder.done():  # it still reads the queue, so the end mark gets in
                await self.frames.put(None)
            with contextlib.suppress(Exception):
                await self.feeder
        with contextlib.suppress(Exception):
            await self.pc.close()
        if not self.over.done():
            self.over.cancel()
        else:
            self.over.exception()  # retrieved: a later failure is not news

    async def _read(self, track: Any, index: int) -> None:
        import av

        layout = "stereo" if self.stereo else "mono"
        resampler = av.AudioResampler(format="s16", layout=layout, rate=RATE)
        first: int | None = None
        position = 0
        try:
            while True:
                frame = await track.recv()
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
        except Exception as exc:  # MediaStreamError when the connection goes away
            log.info("webrtc_track_ended", track=index, error=type(exc).__name__)

    async def _feed(self) -> None:
        """Frames into the call; a timestamp gap past the bound ends it (`error:bad_request`), and
        so does audio past the maximum call length (`max_duration`), as on every transport."""
        try:
            while (item := await self.frames.get()) is not None:
                index, position, data = item
                try:
                    ready = self.aligner.push(index, position, data)
                except TimestampGap as gap:
                    raise ProtocolError(CloseCode.BAD_REQUEST, f"track {index}: {gap}") from None
                await self.call.feed(ready)
            await self.call.feed(self.aligner.flush())
        except Exception as failure:
            self.end(failure)


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
    call = CallHandle(services, "webrtc")
    await call.open(
        call_id, agent_id, AudioFormat(Encoding.PCM_S16LE, RATE, len(roles)), roles,
        {**offer.metadata, "source": "webrtc"},
    )  # fmt: skip
    pc = RTCPeerConnection(configuration=config)
    peer = WebRtcCall(call, pc, roles, stereo)

    @pc.on("track")
    def on_track(track: Any) -> None:
        if track.kind == "audio":
            peer.add_track(track)

    @pc.on("connectionstatechange")
    async def on_state() -> None:
        log.info("webrtc_state", state=pc.connectionState)
        if pc.connectionState == "connected":  # ICE took its time: the idle clock starts from here
            call.idle.active()
        if pc.connectionState in ("failed", "closed"):
            peer.end(Disconnected(f"peer connection {pc.connectionState}"))

    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer.sdp, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
    except Exception as exc:
        refusal = ProtocolError(CloseCode.BAD_REQUEST, f"could not answer the offer: {exc}")
        await call.finish("error:bad_request")
        with contextlib.suppress(Exception):
            await pc.close()
        raise refusal from None

    async def reply(error: ProtocolError) -> None:  # the peer connection is closed by then
        log.info("webrtc_call_refused", code=int(error.code), reason=error.message)

    call.task = asyncio.create_task(run_call(call, peer.run, reply), name=f"webrtc-call:{call_id}")
    return {"type": "answer", "sdp": pc.localDescription.sdp, "call_id": call_id}
