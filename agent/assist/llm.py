"""The LLM, through the `openai` client: any OpenAI-compatible server (OpenAI, vLLM, Ollama, …).

Two calls: a streamed chat completion (answers, token by token) and a JSON-mode completion
(summaries). Each has one deadline for the whole call; the client itself never retries, so a
deadline means what it says. Callers fall back to extractive text on `LlmError`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog

log = structlog.get_logger(__name__)


class LlmError(RuntimeError):
    """The LLM did not give a usable answer in time: `reason` says why (timeout, http 500, …)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LlmConfig:
    model: str
    base_url: str | None = None
    api_key: str = ""
    timeout_s: float = 8.0
    max_tokens: int = 400
    temperature: float = 0.2


Message = dict[str, str]


class LlmClient:
    def __init__(self, config: LlmConfig) -> None:
        from openai import AsyncOpenAI

        self.config = config
        self._client: Any = AsyncOpenAI(  # the SDK's overloads do not fit list[dict] messages
            base_url=config.base_url or None,
            api_key=config.api_key or "none",
            timeout=config.timeout_s,
            max_retries=0,
        )

    @property
    def description(self) -> str:
        return f"{self.config.model} at {self.config.base_url or 'api.openai.com'}"

    async def stream(self, messages: Sequence[Message], on_delta: Callable[[str], Awaitable[None]]) -> str:
        """One streamed chat completion: `on_delta` gets each piece of text as it arrives; returns
        the whole text. Raises LlmError on error or past the deadline (which covers `on_delta` too:
        the deadline and the work it bounds run in this one frame)."""
        parts: list[str] = []
        try:
            async with asyncio.timeout(self.config.timeout_s):
                stream = await self._client.chat.completions.create(
                    model=self.config.model,
                    messages=list(messages),
                    stream=True,
                    max_tokens=self.config.max_tokens,
                    temperature=self.config.temperature,
                )
                async for chunk in stream:
                    if chunk.choices and chunk.choices[0].delta.content:
                        parts.append(chunk.choices[0].delta.content)
                        await on_delta(parts[-1])
        except TimeoutError:
            raise LlmError(f"timeout after {self.config.timeout_s:g} s") from None
        except Exception as exc:
            raise LlmError(_describe(exc)) from exc
        return "".join(parts)

    async def json(self, messages: Sequence[Message]) -> Any:
        """One completion in JSON mode, parsed; raises LlmError on error, timeout or bad JSON."""
        try:
            async with asyncio.timeout(self.config.timeout_s):
                response = await self._client.chat.completions.create(
                    model=self.config.model,
                    messages=list(messages),
                    response_format={"type": "json_object"},
                    max_tokens=self.config.max_tokens,
                    temperature=self.config.temperature,
                )
        except TimeoutError:
            raise LlmError(f"timeout after {self.config.timeout_s:g} s") from None
        except Exception as exc:
            raise LlmError(_describe(exc)) from exc
        content = response.choices[0].message.content if response.choices else None
        try:
            return json.loads(content or "")
        except json.JSONDecodeError:
            raise LlmError("the reply was not valid JSON") from None

    async def close(self) -> None:
        await self._client.close()


def _describe(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    return f"{name} (HTTP {status})" if status else f"{name}: {exc}"[:200]
