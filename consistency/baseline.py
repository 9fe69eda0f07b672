"""Baselines for CI: the findings a team has accepted, so that a check fails only on new ones.

A baseline is a JSON file listing fingerprints (with the rule, story and message for people
reading it). Fingerprints survive shifted offsets, reordered or renamed articles and reworded
messages, so a baseline stays valid while articles are edited elsewhere.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from consistency.errors import ConsistencyError
from consistency.models import Finding


class BaselineError(ConsistencyError):
    """A baseline file that cannot be read."""


class BaselineEntry(BaseModel):
    fingerprint: str
    rule: str
    story: str | None = None
    message: str = ""


class Baseline(BaseModel):
    tool: str = "consistency"
    format: int = 1
    created: datetime = Field(default_factory=lambda: datetime.now().replace(microsecond=0))
    findings: list[BaselineEntry] = Field(default_factory=list)

    @classmethod
    def of(cls, findings: list[Finding]) -> Baseline:
        return cls(findings=[BaselineEntry(fingerprint=f.fingerprint, rule=f.rule, story=f.story,
                                           message=f.message) for f in findings])

    def split(self, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(findings not in the baseline, findings the baseline accepts)."""
        known = {e.fingerprint for e in self.findings}
        return ([f for f in findings if f.fingerprint not in known],
                [f for f in findings if f.fingerprint in known])


def read_baseline(path: Path) -> Baseline:
    try:
        return Baseline.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a readable baseline: nested too deeply") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a readable baseline: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise BaselineError(f"{path}: {where}: {err['msg']}") from None
