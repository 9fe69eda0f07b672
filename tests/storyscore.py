"""Score a report against a story's expected.yaml, as ../shared/tools/score_story.py does
(same matching rules), so the tests also run where ../shared is absent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Score:
    found: dict[str, list[str]] = field(default_factory=dict)  # tier -> ids found
    missed: dict[str, list[str]] = field(default_factory=dict)
    traps: list[str] = field(default_factory=list)
    unlabeled: int = 0


def score(story: Path, report: dict[str, Any]) -> Score:
    gold = yaml.safe_load((story / "expected.yaml").read_text(encoding="utf-8"))
    keys: dict[str, str] = gold["docs"]
    serious = [f for f in report["findings"] if f["severity"] not in ("info",)]

    def key_of(doc: str) -> str | None:
        return next((k for k, sub in keys.items() if sub in doc), None)

    def matches(item: dict[str, Any], finding: dict[str, Any]) -> bool:
        used: set[int] = set()
        for side in item["sides"]:
            hit = next((i for i, c in enumerate(finding["claims"]) if i not in used
                        and key_of(c["doc"]) in side["docs"] and re.search(side["text"], c["text"])),
                       None)
            if hit is None:
                return False
            used.add(hit)
        return True

    result = Score()
    matched: set[int] = set()
    for item in gold.get("findings") or []:
        hits = [i for i, f in enumerate(serious) if matches(item, f)]
        matched.update(hits)
        bucket = result.found if hits else result.missed
        bucket.setdefault(item["tier"], []).append(item["id"])
    for item in gold.get("traps") or []:
        if any(matches(item, f) and i not in matched for i, f in enumerate(serious)):
            result.traps.append(item["id"])
    result.unlabeled = len([i for i in range(len(serious)) if i not in matched])
    return result
