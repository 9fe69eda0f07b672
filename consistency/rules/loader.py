"""Load rule files: safe YAML only, pydantic validation, errors as ``file:line:col: message``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from consistency.errors import RuleError
from consistency.models import FACT_MODELS
from consistency.rules.operators import OPERATORS, REGISTRY
from consistency.rules.render import TEMPLATE_FIELDS, template_fields
from consistency.rules.schema import Match, Pairing, Rule, RuleFile

SHIPPED_RULES = Path(__file__).resolve().parents[2] / "rules"
MAX_RULE_FILE_BYTES = 1_000_000


def load_rules(paths: Iterable[Path]) -> list[Rule]:
    """Every ``*.yaml`` under the given folders/files; later paths override earlier ids."""
    by_id: dict[str, Rule] = {}
    for path in paths:
        files = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if path.is_dir() else [path]
        seen_here: dict[str, str] = {}
        for file in files:
            for rule, where in load_rule_file(file):
                if rule.id in seen_here:
                    raise RuleError(f"{where}: duplicate rule id {rule.id!r} "
                                    f"(first defined at {seen_here[rule.id]})")
                seen_here[rule.id] = where
                by_id[rule.id] = rule
    return list(by_id.values())


def load_rule_file(file: Path) -> list[tuple[Rule, str]]:
    try:
        if file.stat().st_size > MAX_RULE_FILE_BYTES:
            raise RuleError(f"{file}:1:1: rule file larger than {MAX_RULE_FILE_BYTES} bytes")
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{file}:1:1: cannot read rule file: {exc}") from None
    node, data = _parse(file, text)
    if isinstance(data, list):
        data = {"rules": data}
        node = yaml.MappingNode("tag:yaml.org,2002:map", [(yaml.ScalarNode("", "rules"), node)])
    try:
        parsed = RuleFile.model_validate(data)
    except ValidationError as exc:
        raise RuleError(_located(file, node, data, exc)) from None
    out: list[tuple[Rule, str]] = []
    for i, rule in enumerate(parsed.rules):
        _check_rule(file, node, i, rule)
        out.append((rule, _where(file, _node_at(node, ("rules", i)))))
    return out


def _check_rule(file: Path, node: Any, i: int, rule: Rule) -> None:
    """What the models cannot say alone: the operator exists and fits the rule kind, its
    options validate, ``where`` names real fields, and the rule carries examples."""

    def fail(path: tuple[Any, ...], message: str) -> None:
        raise RuleError(f"{_where(file, _node_at(node, ('rules', i, *path)))}: "
                        f"rule {rule.id!r}: {message}")

    operator = REGISTRY.get(rule.compare)
    if operator is None:
        hint = difflib.get_close_matches(rule.compare, OPERATORS, n=1)
        fail(("compare",), f"unknown operator {rule.compare!r}" + (
            f" - did you mean {hint[0]!r}?" if hint else
            f"; expected one of {', '.join(sorted(OPERATORS))}"))
        return
    wanted = "pair" if rule.kind == "cross-source" else "single"
    if operator.arity != wanted:
        fail(("compare",), f"operator {rule.compare!r} compares "
             f"{'pairs of facts' if operator.arity == 'pair' else 'single facts'}; "
             f"it does not fit kind {rule.kind!r}")
    try:
        rule._options = operator.options.model_validate(rule.options)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            hint = difflib.get_close_matches(key, operator.options.model_fields, n=1)
            msg = f"unknown option {key!r} for operator {rule.compare!r}" + (
                f" - did you mean {hint[0]!r}?" if hint else "")
        fail(("options", *err["loc"]), f"options.{key}: {msg}")
    fields = _fact_fields(rule.facts)
    for key in rule.where:
        if key not in fields:
            hint = difflib.get_close_matches(key, fields, n=1)
            fail(("where", key), f"fact kind {rule.facts!r} has no field {key!r}"
                 + (f" - did you mean {hint[0]!r}?" if hint else ""))
    bad = _bad_template_fields(rule.message)
    if bad:
        fail(("message",), f"message template: unknown field {bad!r}; fields are "
             + ", ".join(sorted(TEMPLATE_FIELDS)))
    if not rule.examples.flag or not rule.examples.pass_:
        fail(("examples",) if "examples" in rule.model_fields_set else ("id",),
             "a rule needs examples: at least one 'flag' and one 'pass'")


def _bad_template_fields(template: str) -> str | None:
    """The first field a message template may not use: only plain names from TEMPLATE_FIELDS,
    no attribute or index access (a template fills in words, it never reaches into objects)."""
    try:
        names = template_fields(template)
    except ValueError as exc:
        return f"({exc})"
    return next((n for n in sorted(names) if n not in TEMPLATE_FIELDS), None)


def _fact_fields(kind: str) -> list[str]:
    model = FACT_MODELS[kind]
    value_model = model.model_fields["value"].annotation
    own = [f for f in model.model_fields if f not in ("value", "kind")]
    inner = list(getattr(value_model, "model_fields", {}))
    return own + [f for f in inner if f != "type"]


def _parse(file: Path, text: str) -> tuple[Any, Any]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None:
            _check_shape(file, node)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise RuleError(f"{file}:{pos}: invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{file}:1:1: invalid YAML: {exc}") from None
    except RecursionError:
        raise RuleError(f"{file}:1:1: YAML nested too deeply (more than the parser can hold)"
                        ) from None
    if data is None:
        raise RuleError(f"{file}:1:1: empty rule file")
    return node, data


MAX_EXPANDED_NODES = 100_000
MAX_DEPTH = 40


def _no_duplicate_keys(file: Path, node: Any) -> None:
    seen: set[str] = set()
    for key, _ in node.value:
        name = str(getattr(key, "value", key))
        if name in seen:
            raise RuleError(f"{_where(file, key)}: duplicate key {name!r}")
        seen.add(name)


def _check_shape(file: Path, root: Any) -> None:
    """Refuse alias bombs ("billion laughs") and absurd nesting before anything walks the data:
    the expanded size is computed on the node graph, each shared node counted once per use."""
    sizes: dict[int, int] = {}

    def size(node: Any, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise RuleError(f"{_where(file, node)}: nesting deeper than {MAX_DEPTH} levels")
        known = sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.MappingNode):
            _no_duplicate_keys(file, node)
            total = 1 + sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(v, depth + 1) for v in node.value)
        else:
            total = 1
        if total > MAX_EXPANDED_NODES:
            raise RuleError(f"{_where(file, node)}: YAML expands to more than "
                            f"{MAX_EXPANDED_NODES} nodes (alias bomb?)")
        sizes[id(node)] = total
        return total

    size(root, 0)


_KNOWN_KEYS = sorted({*Rule.model_fields, *Pairing.model_fields, *Match.model_fields,
                      "flag", "pass"})


def _located(file: Path, node: Any, data: Any, exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    rule_id = _rule_id(data, loc)
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        key = str(loc[-1])
        hint = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
        msg = f"unknown key {key!r}" + (f" - did you mean {hint[0]!r}?" if hint else "")
    elif err["type"] == "missing":
        msg = f"missing required key {loc[-1]!r}"
    if not loc:
        return (f"{_where(file, node)}: a rule file holds a list of rules or a mapping "
                f"with a 'rules' list, not {type(data).__name__}")
    field = ".".join(str(p) for p in loc[2:]) if len(loc) > 2 else ".".join(map(str, loc))
    who = f"rule {rule_id!r}: " if rule_id else ""
    return f"{_where(file, _node_at(node, loc))}: {who}{field}: {msg}"


def _rule_id(data: Any, loc: tuple[Any, ...]) -> str | None:
    try:
        return str(data["rules"][loc[1]]["id"])
    except (KeyError, IndexError, TypeError):
        return None


def _node_at(node: Any, loc: tuple[Any, ...]) -> Any:
    """The deepest YAML node along ``loc`` (so a missing key points at its parent mapping)."""
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    child = key if part == loc[-1] else value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            return node
        node = child
    return node


def _where(file: Path, node: Any) -> str:
    mark = getattr(node, "start_mark", None)
    if mark is None:
        return f"{file}:1:1"
    return f"{file}:{mark.line + 1}:{mark.column + 1}"
