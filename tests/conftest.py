"""Shared paths and fixtures: the seed story, the invented test data, and the development stories
in ``../shared/stories`` (skipped cleanly when that folder is not there)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"
BAD_INPUTS = DATA / "bad_inputs"
BAD_RULES = DATA / "bad_rules"
SHARED = Path(__file__).resolve().parents[2] / "shared"
STORIES = SHARED / "stories"


def _shared_stories() -> list[Path]:
    if not STORIES.is_dir():
        return []
    return sorted(p for p in STORIES.iterdir() if p.is_dir() and any(p.glob("*.txt")))


SHARED_STORIES = _shared_stories()

# Every story the evidence checks run on: (id, folder or None when the shared stories are absent).
STORY_PARAMS = [
    ("seeds", SEEDS),
    ("story_harbour_collapse", DATA / "story_harbour_collapse"),
    ("story_quiet", DATA / "story_quiet"),
    *((f"shared-{p.name}", p) for p in SHARED_STORIES),
]
if not SHARED_STORIES:
    STORY_PARAMS.append(("shared-stories", None))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def bad_inputs_dir() -> Path:
    return BAD_INPUTS


@pytest.fixture(scope="session")
def bad_rules_dir() -> Path:
    return BAD_RULES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared folder not present: {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def shared_stories() -> list[Path]:
    if not SHARED_STORIES:
        pytest.skip(f"no shared stories in {STORIES}")
    return SHARED_STORIES


@pytest.fixture(scope="module", params=[p for _, p in STORY_PARAMS],
                ids=[i for i, _ in STORY_PARAMS])
def story_dir(request: pytest.FixtureRequest) -> Path:
    """Each story folder in turn: seeds, the invented stories, every shared story."""
    if request.param is None:
        pytest.skip(f"no shared stories in {STORIES}")
    return request.param


@pytest.fixture(scope="session")
def shipped_rules():
    from consistency.rules.loader import SHIPPED_RULES, load_rules

    return load_rules([SHIPPED_RULES])
