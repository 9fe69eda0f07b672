"""Rule kinds: how a rule walks the story's facts.

- ``cross-source``: facts of different articles, aligned into clusters, compared pairwise; one
  finding per cluster holding a pair with a verdict the rule gives a severity.
- ``within-doc``: each fact checked on its own (a weekday that does not fit its date).
- ``consensus``: each fact checked against the story's consensus (a page date years off); the
  finding quotes the fact and the evidence the consensus rests on.
"""

from __future__ import annotations

from consistency.rules.kinds.common import (
    KindRunner,
    block_key,
    fingerprint,
    make_finding,
    options_of,
    select,
)
from consistency.rules.kinds.consensus import run_consensus
from consistency.rules.kinds.cross_source import clusters_for, run_cross_source, threshold_of
from consistency.rules.kinds.within_doc import run_within_doc

KINDS: dict[str, KindRunner] = {
    "cross-source": run_cross_source,
    "within-doc": run_within_doc,
    "consensus": run_consensus,
}

__all__ = [
    "KINDS",
    "block_key",
    "clusters_for",
    "fingerprint",
    "make_finding",
    "options_of",
    "select",
    "threshold_of",
]
