"""Times given by people (REST query parameters, CLI options): epoch seconds, a date or an ISO
date-time. One parser for every edge; each edge turns its ValueError into its own clear error."""

from __future__ import annotations

import datetime as dt
import math

FORMS = "use epoch seconds, YYYY-MM-DD or an ISO date-time"


def parse_time(value: str | None, *, end_of_day: bool = False) -> float | None:
    """Epoch seconds, an ISO date (YYYY-MM-DD, whole day) or an ISO date-time (UTC if no zone).
    None for no value; ValueError, saying what is accepted, for anything else."""
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        if not math.isfinite(seconds):
            raise ValueError(f"{value!r} is not a time: {FORMS}")
        return seconds
    try:
        if len(value) == 10:
            day = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
            return (day + dt.timedelta(days=1) if end_of_day else day).timestamp() - (
                1e-3 if end_of_day else 0
            )
        moment = dt.datetime.fromisoformat(value)
        return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()
    except ValueError:
        raise ValueError(f"{value!r} is not a time: {FORMS}") from None


_RELATIVE = {"m": 60.0, "h": 3600.0, "d": 86400.0, "w": 7 * 86400.0}


def parse_since(value: str | None, now: float) -> float | None:
    """Like `parse_time`, or a span back from `now`: `30m`, `12h`, `7d`, `4w`."""
    if value is not None and len(value.strip()) > 1 and value.strip()[-1] in _RELATIVE:
        number = value.strip()[:-1]
        if number.isdigit() and len(number) <= 6:
            return now - int(number) * _RELATIVE[value.strip()[-1]]
        raise ValueError(f"{value!r} is not a span: use a whole number and m, h, d or w (e.g. 7d)")
    return parse_time(value)
