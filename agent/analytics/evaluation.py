"""Scoring the analytics file on labelled turns and calls (`callassist analytics eval`).

Turns: JSON lines `{"role", "text", "categories": [...], "sentiment": "negative|neutral|positive"}`;
each turn is analysed alone (no call context). Calls: JSON lines `{"call_id", "turns": [{"role",
"start", "end", "text"}], "categories": [...], "qa": {"item": "met|missed|n/a"}}`; each call is
replayed as after hang-up. Precision and recall per category and overall, for negative turns, and
the share of QA items judged as labelled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.analytics.analysis import Analytics, AnalyzedTurn
from kb.embedders.cache import VectorCache


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, got: bool, want: bool) -> None:
        self.tp += got and want
        self.fp += got and not want
        self.fn += want and not got

    def scores(self) -> dict[str, float | int | None]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        return {"precision": _round(precision), "recall": _round(recall), "support": self.tp + self.fn}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class Report:
    categories: dict[str, Counts] = field(default_factory=dict)
    negative: Counts = field(default_factory=Counts)
    qa_right: int = 0
    qa_total: int = 0
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        overall = Counts()
        for counts in self.categories.values():
            overall.tp, overall.fp, overall.fn = (
                overall.tp + counts.tp,
                overall.fp + counts.fp,
                overall.fn + counts.fn,
            )
        out: dict[str, Any] = {
            "categories": overall.scores(),
            "per_category": {name: c.scores() for name, c in sorted(self.categories.items())},
            "negative_turns": self.negative.scores(),
        }
        if self.qa_total:
            out["qa_accuracy"] = round(self.qa_right / self.qa_total, 3)
            out["qa_items"] = self.qa_total
        return out


def load_rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
    return rows


def _score_categories(
    report: Report, names: Sequence[str], got: set[str], want: set[str], where: dict[str, Any]
) -> None:
    for name in names:
        report.categories.setdefault(name, Counts()).add(name in got, name in want)
    if got != want:
        report.mistakes.append({**where, "categories": sorted(got), "labelled": sorted(want)})


def evaluate_turns(
    analytics: Analytics,
    rows: Sequence[dict[str, Any]],
    texts: Sequence[str] | None = None,
    cache: VectorCache | None = None,
) -> Report:
    """`texts`: what to analyse instead of each row's text (the recognized speech of it); `cache`:
    where the turns' vectors are kept from one run to the next."""
    report = Report()
    names = [c.name for c in analytics.config.categories if c.detector == "phrases"]
    texts = [row["text"] for row in rows] if texts is None else list(texts)
    roles = [row.get("role", "customer") for row in rows]
    vectors = analytics.embed_many(texts, roles, cache)
    for i, row in enumerate(rows):
        text = texts[i]
        analysis = analytics.start()
        turn = AnalyzedTurn(i, roles[i], 0.0, 1.0, text)
        news = analysis.add(turn, vectors[i])
        _score_categories(
            report, names, {h.name for h in news.hits}, set(row.get("categories", [])), {"text": text}
        )
        if news.sentiment is not None and "sentiment" in row:
            negative, labelled = news.sentiment.label == "negative", row["sentiment"] == "negative"
            report.negative.add(negative, labelled)
            if negative != labelled:
                report.mistakes.append(
                    {"text": text, "sentiment": news.sentiment.label, "labelled": row["sentiment"]}
                )
    return report


def evaluate_calls(analytics: Analytics, calls: Sequence[dict[str, Any]]) -> Report:
    report = Report()
    names = [c.name for c in analytics.config.categories]
    for call in calls:
        turns = [
            AnalyzedTurn(i, t["role"], float(t["start"]), float(t["end"]), t["text"])
            for i, t in enumerate(call["turns"])
        ]
        result = analytics.replay(turns).result()
        got = {c["name"] for c in result["categories"]}
        _score_categories(
            report, names, got, set(call.get("categories", [])), {"call_id": call.get("call_id")}
        )
        judged = {item["name"]: item["status"] for item in result["qa"]["items"]}
        for name, labelled in call.get("qa", {}).items():
            report.qa_total += 1
            report.qa_right += judged.get(name) == labelled
            if judged.get(name) != labelled:
                report.mistakes.append(
                    {
                        "call_id": call.get("call_id"),
                        "qa": name,
                        "judged": judged.get(name),
                        "labelled": labelled,
                    }
                )
    return report
