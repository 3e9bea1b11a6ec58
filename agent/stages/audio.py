"""Stage 1: a call's audio frames through the shared worker pool (decode, resample, silero-vad,
segmenter: `agent/pipeline.py`), one job per call at a time, into speech events."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Executor

from agent import metrics
from agent.events import PipelineEvent
from agent.pipeline import AudioPipeline
from agent.stages import END


class AudioStage:
    def __init__(
        self,
        pipeline: AudioPipeline,
        executor: Executor,
        queue_frames: int,
        frames_per_job: int,
        events: asyncio.Queue[PipelineEvent | None],
    ) -> None:
        self.pipeline = pipeline
        self._executor = executor
        self._frames_per_job = frames_per_job
        self.frames: asyncio.Queue[bytes | None] = asyncio.Queue(queue_frames)  # bounded: back-pressure
        self._events = events

    async def put(self, frame: bytes | None) -> None:
        """A frame (None: the audio has ended); waits while this call is behind."""
        await self.frames.put(frame)

    def drop_waiting(self) -> None:
        """Unblock a feeder waiting on a full queue (the call has failed)."""
        while not self.frames.empty():
            self.frames.get_nowait()

    async def run(self) -> None:
        """Frames waiting are coalesced into one job, up to `frames_per_job`."""
        loop = asyncio.get_running_loop()
        while True:
            chunk = [await self.frames.get()]
            while chunk[-1] is not END and len(chunk) < self._frames_per_job and not self.frames.empty():
                chunk.append(self.frames.get_nowait())
            data = b"".join(frame for frame in chunk if frame is not END)
            if data:
                started = time.perf_counter()
                events = await loop.run_in_executor(self._executor, self.pipeline.process, data)
                metrics.PIPELINE_CHUNK_SECONDS.observe(time.perf_counter() - started)
                for event in events:
                    await self._events.put(event)
            if chunk[-1] is END:
                for event in await loop.run_in_executor(self._executor, self.pipeline.finish):
                    await self._events.put(event)
                await self._events.put(END)
                return
