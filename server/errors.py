"""Websocket close codes and the error that carries one. Listed in docs/protocols.md, "Close codes"."""

from __future__ import annotations

from enum import IntEnum


class CloseCode(IntEnum):
    NORMAL = 1000
    GOING_AWAY = 1001  # server shutting down
    POLICY_VIOLATION = 1008  # too many wrong keys from one address
    INTERNAL_ERROR = 1011
    TRY_AGAIN_LATER = 1013  # speech recognition at capacity: the call is refused, others keep their service
    BAD_REQUEST = 4400  # malformed JSON, unknown or out-of-order message, bad frame length
    UNAUTHENTICATED = 4401  # missing or unknown key
    FORBIDDEN = 4403  # key of the wrong role, or another agent's call
    NOT_FOUND = 4404  # no such call
    IDLE_TIMEOUT = 4408  # no message within the allowed time
    CONFLICT = 4409  # call id already live, or already used by an ended call
    TOO_LONG = 4410  # call exceeded the maximum duration
    FRAME_TOO_LARGE = 4413
    UNSUPPORTED_MEDIA = 4415  # encoding, sample rate, channels or roles not supported
    TOO_SLOW = 4429  # console did not keep up


class ProtocolError(Exception):
    """Ends a websocket with an `error` message and a close frame carrying `code` and `reason`."""

    def __init__(self, code: CloseCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        # A close reason is limited to 123 bytes of UTF-8.
        self.reason = reason.encode()[:123].decode(errors="ignore")
        self.message = reason

    def to_message(self) -> dict[str, object]:
        return {
            "type": "error",
            "code": int(self.code),
            "error": self.code.name.lower(),
            "message": self.message,
        }
