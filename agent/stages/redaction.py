"""Stage 3: recognized text as it may be stored, announced or sent anywhere — personal numbers,
names, birth dates, addresses and plates masked per speaker (a speaker's adjacent finals read
together), and digit-like words, and words where a name was announced, that the recognizer was
unsure of; word probabilities carried over."""

from __future__ import annotations

from collections.abc import Sequence

from agent.events import Role, UtteranceEvent
from agent.redaction.channel import ChannelRedactor
from agent.redaction.confidence import redact_with_probs
from agent.redaction.identity import asked_for
from agent.redaction.redactor import Redactor


class RedactionStage:
    def __init__(self, redactor: Redactor, roles: Sequence[Role], uncertain_below: float) -> None:
        self._roles = tuple(roles)
        self._uncertain_below = uncertain_below
        self._channels = [ChannelRedactor(redactor, agent=role is Role.AGENT) for role in self._roles]

    def partial(self, channel: int, text: str, start: float) -> str:
        """A partial's text, masked as its final will be (nothing is remembered from it)."""
        return self._channels[channel].peek(text, start)

    def final(
        self, utterance: UtteranceEvent, raw: str, probs: tuple[float, ...]
    ) -> tuple[str, tuple[float, ...]]:
        channel = self._channels[utterance.channel]
        spans = channel.final_spans(raw, utterance.start, utterance.end, probs, self._uncertain_below)
        return redact_with_probs(channel.redactor, raw, spans, probs)

    def heard(self, role: Role, raw: str) -> None:
        """The agent asked for something personal ("성함이 어떻게 되세요?"): the customer's next final
        is read as the answer (and the one after it, when the answer is split by a pause)."""
        if role is not Role.AGENT:
            return
        asked = asked_for(raw)
        if asked:
            for channel, other in enumerate(self._roles):
                if other is not Role.AGENT:
                    self._channels[channel].expect(asked)
