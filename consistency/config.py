"""Project configuration: ``[tool.consistency]`` in pyproject.toml, or ``.consistency.yaml``.

```yaml
rules: [newsroom-rules/]          # extra rule folders, after the shipped ones (override by id)
disable: [quote.wording]          # rule ids to switch off
severity:                         # per rule: one severity for every verdict, or per verdict
  person.name-spelling: low
  toll.killed: {developing: low}
suppress:                         # accepted findings, by fingerprint, each with a reason
  - fingerprint: f4a2836da2e0409a1bad
    reason: republished page, known and accepted
```

The file is found in the current folder (``.consistency.yaml`` first, then pyproject.toml);
``--config FILE`` names one explicitly.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from consistency.errors import ConsistencyError
from consistency.models import Finding, Suppression
from consistency.rules.schema import Rule, SeverityName, VerdictName


class ConfigError(ConsistencyError):
    """A configuration file that does not load."""


class SuppressionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fingerprint: str = Field(min_length=8)
    reason: str = Field(min_length=3, description="why this finding is accepted")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[Path] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)
    severity: dict[str, SeverityName | dict[VerdictName, SeverityName]] = Field(
        default_factory=dict)
    suppress: list[SuppressionEntry] = Field(default_factory=list)
    source: Path | None = Field(None, exclude=True)

    def apply(self, rules: list[Rule]) -> list[Rule]:
        """Disable and re-grade rules; unknown ids are errors (a typo must not pass silently)."""
        ids = {r.id for r in rules}
        for rule_id in [*self.disable, *self.severity]:
            if rule_id not in ids:
                raise ConfigError(f"{self.source}: unknown rule id {rule_id!r}")
        out = []
        for rule in rules:
            if rule.id in self.disable:
                continue
            grade = self.severity.get(rule.id)
            if isinstance(grade, str):
                rule = _regraded(rule, {verdict: grade for verdict in rule.severity})
            elif isinstance(grade, dict):
                rule = _regraded(rule, {**rule.severity, **grade})
            out.append(rule)
        return out

    def split(self, findings: list[Finding]) -> tuple[list[Finding], list[Suppression]]:
        """Findings kept, and the suppressions that matched (with the rule and message)."""
        reasons = {s.fingerprint: s.reason for s in self.suppress}
        kept, suppressed = [], []
        for f in findings:
            if f.fingerprint in reasons:
                suppressed.append(Suppression(fingerprint=f.fingerprint,
                                              reason=reasons[f.fingerprint], rule=f.rule,
                                              message=f.message))
            else:
                kept.append(f)
        return kept, suppressed


def _regraded(rule: Rule, severity: dict) -> Rule:
    copy = rule.model_copy(update={"severity": severity})
    copy._options = rule.parsed_options
    return copy


def load_config(explicit: Path | None = None, folder: Path | None = None) -> Config:
    if explicit is not None:
        return _read(explicit)
    folder = folder or Path.cwd()
    for candidate in (folder / ".consistency.yaml", folder / "pyproject.toml"):
        if candidate.is_file():
            config = _read(candidate)
            if config is not None:
                return config
    return Config()


def _read(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text).get("tool", {}).get("consistency", {})
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc or type(exc).__name__}") from None
    else:
        try:
            data = yaml.safe_load(text) or {}
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
            raise ConfigError(f"{path}{where}: invalid YAML: {exc.problem}") from None
        except (yaml.YAMLError, RecursionError) as exc:
            raise ConfigError(f"{path}:1:1: invalid YAML: nested too deeply or malformed "
                              f"({type(exc).__name__})") from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"{path}: {key}: {err['msg']}") from None
    config.source = path
    config.rules = [p if p.is_absolute() else path.parent / p for p in config.rules]
    return config
