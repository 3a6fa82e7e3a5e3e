"""What identifies a stored run and a stored sweep or forecast.

:class:`RunRecord` and :class:`SweepRecord`: scenario, code version, seeds and sampled
inputs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from corridors import __version__
from corridors.scenarios.store_file import StoreError

MAX_SEED = 2**63 - 1
"""Largest seed a store holds (signed 64-bit integer)."""


@dataclass(frozen=True)
class RunRecord:
    """What identifies a run: scenario, code version, seed and sampled inputs.

    Attributes
    ----------
    scenario_name, scenario_hash, scenario_text : str
        The scenario as written (text) and its SHA-256.
    seed : int
        Seed the run used.
    kind : str
        ``run``, ``sweep``, ``forecast``, ``appraisal`` or ``calibration``.
    sample : dict
        Values drawn for the swept or uncertain variables.
    sweep_id : str or None
        Sweep the run belongs to.
    sample_index : int or None
        Index of the sample in its sweep.
    started_at : datetime
        When the run started (UTC).
    run_id : str
        Identifier (generated).
    code_version : str
        Version of corridors that made the run.
    """

    scenario_name: str
    scenario_hash: str
    scenario_text: str
    seed: int
    kind: str = "run"
    sample: Mapping[str, float] = field(default_factory=dict)
    sweep_id: str | None = None
    sample_index: int | None = None
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    run_id: str = field(default_factory=lambda: "r" + uuid.uuid4().hex[:12])
    code_version: str = __version__


@dataclass(frozen=True)
class SweepRecord:
    """What is stored about a sweep or forecast (written with its first completed run).

    Parameters
    ----------
    kind : str
        ``sweep`` or ``forecast``.
    scenario_name, scenario_hash, scenario_text : str
        The scenario as written (text) and its SHA-256.
    base_seed : int
        Seed the samples' seeds derive from.
    n_samples : int
        Number of samples asked for.
    variables : dict
        The varied or uncertain variables and their ranges or distributions.
    sweep_id : str
        Identifier (generated).
    created_at : datetime
        When the sweep started (UTC).
    code_version : str
        Version of corridors that made the sweep.
    """

    kind: str
    scenario_name: str
    scenario_hash: str
    scenario_text: str
    base_seed: int
    n_samples: int
    variables: Mapping[str, Any] = field(default_factory=dict)
    sweep_id: str = field(default_factory=lambda: "s" + uuid.uuid4().hex[:12])
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    code_version: str = __version__

    def __post_init__(self) -> None:
        check_seed(self.base_seed)


def check_seed(seed: int) -> None:
    """Refuse a seed a store cannot hold (:class:`StoreError`)."""
    if not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise StoreError(f"seed {seed!r} is not an integer between 0 and 2^63-1")


def naive_utc(t: dt.datetime) -> dt.datetime:
    """``t`` in UTC without its time zone (DuckDB's TIMESTAMP)."""
    return t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t
