"""Results store: scenario runs and their tables in a DuckDB file.

Each run is written in one transaction (its ``runs`` row and all its result rows),
so a process killed while writing leaves either the whole run or nothing. A sweep
writes each completed run as it arrives, so the runs finished before a crash are
kept; the sweep's own row is written with its first completed run, so a sweep that
dies before any run finished leaves no record.

DuckDB lets one process at a time write a file (or several read it), so a writer
holds the file only while it writes one run: two sweeps, or a sweep and ``runs list``,
share a store by taking turns. A process that finds the file locked waits up to
``lock_timeout`` seconds, then raises :class:`StoreBusyError` naming the process that
holds it.

Tables: ``sweeps``, ``runs``, ``corridor_volumes``, ``link_flows``,
``transit_times``, ``measure_rankings``, ``bottlenecks``, ``calibration_fit`` (observed against
modelled volumes of a calibration run).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd

from corridors import __version__
from corridors.errors import CorridorsError
from corridors.scenarios.result import (
    BOTTLENECK_COLUMNS,
    CORRIDOR_VOLUME_COLUMNS,
    LINK_FLOW_COLUMNS,
    RANKING_COLUMNS,
    TRANSIT_TIME_COLUMNS,
    ScenarioResult,
)

logger = logging.getLogger(__name__)

DEFAULT_STORE = "corridors.duckdb"

_DDL = """
CREATE TABLE IF NOT EXISTS sweeps (
    sweep_id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    scenario_name VARCHAR NOT NULL,
    scenario_hash VARCHAR NOT NULL,
    scenario_text VARCHAR NOT NULL,
    code_version VARCHAR NOT NULL,
    base_seed BIGINT NOT NULL,
    n_samples INTEGER NOT NULL,
    variables_json VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    sweep_id VARCHAR,
    sample_index INTEGER,
    kind VARCHAR NOT NULL,
    scenario_name VARCHAR NOT NULL,
    scenario_hash VARCHAR NOT NULL,
    scenario_text VARCHAR NOT NULL,
    code_version VARCHAR NOT NULL,
    seed BIGINT NOT NULL,
    sample_json VARCHAR NOT NULL,
    info_json VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS corridor_volumes (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, market VARCHAR NOT NULL,
    corridor VARCHAR NOT NULL, volume_teu DOUBLE, volume_t DOUBLE, share DOUBLE,
    cost_usd_teu DOUBLE, hours DOUBLE, usd_teu DOUBLE
);
CREATE TABLE IF NOT EXISTS link_flows (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, link_id VARCHAR NOT NULL, volume_teu DOUBLE
);
CREATE TABLE IF NOT EXISTS transit_times (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, corridor VARCHAR NOT NULL,
    p50_h DOUBLE, p90_h DOUBLE, p95_h DOUBLE, mean_h DOUBLE
);
CREATE TABLE IF NOT EXISTS measure_rankings (
    run_id VARCHAR NOT NULL, rank INTEGER, measure_id VARCHAR NOT NULL, capex_usd DOUBLE,
    volume_gain_teu DOUBLE, hours_saved DOUBLE, usd_saved DOUBLE, usd_saved_per_usd DOUBLE,
    npv_usd DOUBLE
);
CREATE TABLE IF NOT EXISTS bottlenecks (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, element VARCHAR NOT NULL,
    cargo VARCHAR NOT NULL, volume_teu DOUBLE, capacity_teu DOUBLE, utilisation DOUBLE,
    shadow_price_usd_teu DOUBLE, queue_h DOUBLE
);
ALTER TABLE bottlenecks ADD COLUMN IF NOT EXISTS queue_h DOUBLE;
CREATE TABLE IF NOT EXISTS calibration_fit (
    run_id VARCHAR NOT NULL, target VARCHAR NOT NULL, corridor VARCHAR NOT NULL,
    unit VARCHAR NOT NULL, year INTEGER NOT NULL, observed DOUBLE, modelled DOUBLE,
    error_pct DOUBLE, in_sample BOOLEAN
);
"""

CALIBRATION_FIT_COLUMNS = (
    "target",
    "corridor",
    "unit",
    "year",
    "observed",
    "modelled",
    "error_pct",
    "in_sample",
)

_RESULT_TABLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("corridor_volumes", "corridor_volumes", CORRIDOR_VOLUME_COLUMNS),
    ("link_flows", "link_flows", LINK_FLOW_COLUMNS),
    ("transit_times", "transit_times", TRANSIT_TIME_COLUMNS),
    ("measure_rankings", "rankings", RANKING_COLUMNS),
    ("bottlenecks", "bottlenecks", BOTTLENECK_COLUMNS),
)


class StoreError(CorridorsError, LookupError):
    """A run or sweep the store does not hold, or a path that is not a results store."""


class StoreBusyError(StoreError):
    """Another process holds the store's lock longer than the wait allowed."""


MAX_SEED = 2**63 - 1
"""Largest seed a store holds (signed 64-bit integer)."""

LOCK_TIMEOUT_S = 60.0
"""Default wait for another process's lock on the store, seconds."""

_MAGIC = b"DUCK"
_LOCK_HOLDER = re.compile(r"held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")


def _check_path(path: Path, *, read_only: bool) -> None:
    """Refuse a path that cannot be a DuckDB store before DuckDB sees it."""
    if path.is_dir():
        raise StoreError(f"--store {path} is a folder, not a DuckDB results store file")
    if path.exists():
        with path.open("rb") as fh:
            head = fh.read(12)
        if head and head[8:12] != _MAGIC:
            raise StoreError(
                f"{path} is not a DuckDB results store (give a new or existing .duckdb file)"
            )
        if not read_only and not os.access(path, os.W_OK):
            raise StoreError(f"results store {path} is read-only")
        return
    if read_only:
        raise StoreError(f"no results store at {path}")
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise StoreError(f"cannot create the results store {path}: no folder {folder}")
    if not os.access(folder, os.W_OK):
        raise StoreError(f"cannot create the results store {path}: folder {folder} is read-only")


def _connect(path: Path, *, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, waiting up to ``timeout`` seconds for another process's lock."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" not in text.lower():
                raise StoreError(f"cannot open the results store {path}: {text}") from None
            if time.monotonic() >= deadline:
                m = _LOCK_HOLDER.search(text)
                who = f"process {m['pid']} ({Path(m['exe']).name})" if m else "another process"
                raise StoreBusyError(
                    f"results store {path} is in use by {who}; waited {timeout:g} s. "
                    "Try again when it finishes, or give another --store"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the results store {path}: {exc}") from None


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
        _check_seed(self.base_seed)


def _check_seed(seed: int) -> None:
    if not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise StoreError(f"seed {seed!r} is not an integer between 0 and 2^63-1")


def _naive_utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t


class ResultsStore:
    """A DuckDB file of runs and results.

    Parameters
    ----------
    path : str or Path
        DuckDB file (created when missing).
    read_only : bool
        Open without the right to write (several readers may share the file).
    lock_timeout : float
        Seconds to wait for another process's lock before :class:`StoreBusyError`.

    Examples
    --------
    >>> with ResultsStore("corridors.duckdb") as store:  # doctest: +SKIP
    ...     store.write_run(record, result)
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_STORE,
        *,
        read_only: bool = False,
        lock_timeout: float = LOCK_TIMEOUT_S,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self._open: duckdb.DuckDBPyConnection | None = None
        _check_path(self.path, read_only=read_only)
        if not read_only:
            try:
                self._con.execute(_DDL)
            except duckdb.Error as exc:
                self.close()
                raise StoreError(f"{self.path} is not a usable results store: {exc}") from None
            self._release()

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        """The open connection (opened on first use, waiting for another writer)."""
        if self._open is None:
            self._open = _connect(self.path, read_only=self.read_only, timeout=self.lock_timeout)
        return self._open

    def _release(self) -> None:
        """Close the file after a write so that other processes can take their turn."""
        if self._open is not None:
            self._open.close()
            self._open = None

    def close(self) -> None:
        """Close the file."""
        self._release()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def write_run(
        self,
        record: RunRecord,
        result: ScenarioResult,
        *,
        sweep: SweepRecord | None = None,
        calibration_fit: pd.DataFrame | None = None,
    ) -> str:
        """Write a run and all its result tables in one transaction; return its id.

        ``sweep`` is the sweep (or forecast) the run belongs to: its row is written in
        the same transaction as its first run, so a sweep killed before any run
        finished leaves no record. ``calibration_fit`` (columns of
        :data:`CALIBRATION_FIT_COLUMNS`) is stored with a calibration run.
        """
        _check_seed(record.seed)
        if sweep is not None and sweep.sweep_id != record.sweep_id:
            raise ValueError(f"run of sweep {record.sweep_id!r} given sweep {sweep.sweep_id!r}")
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            if sweep is not None:
                con.execute(
                    "INSERT OR IGNORE INTO sweeps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        sweep.sweep_id,
                        sweep.kind,
                        sweep.scenario_name,
                        sweep.scenario_hash,
                        sweep.scenario_text,
                        sweep.code_version,
                        sweep.base_seed,
                        sweep.n_samples,
                        json.dumps(dict(sweep.variables), sort_keys=True, default=str),
                        _naive_utc(sweep.created_at),
                    ],
                )
            con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    record.run_id,
                    record.sweep_id,
                    record.sample_index,
                    record.kind,
                    record.scenario_name,
                    record.scenario_hash,
                    record.scenario_text,
                    record.code_version,
                    record.seed,
                    json.dumps(dict(record.sample), sort_keys=True),
                    json.dumps(result.info, sort_keys=True, default=str),
                    _naive_utc(record.started_at),
                    _naive_utc(dt.datetime.now(dt.UTC)),
                ],
            )
            tables: list[tuple[str, pd.DataFrame, tuple[str, ...]]] = [
                (table, getattr(result, attr), columns) for table, attr, columns in _RESULT_TABLES
            ]
            if calibration_fit is not None:
                tables.append(("calibration_fit", calibration_fit, CALIBRATION_FIT_COLUMNS))
            for table, frame, columns in tables:
                if frame.empty:
                    continue
                data = frame.loc[:, list(columns)].copy()
                data.insert(0, "run_id", record.run_id)
                con.register("_frame", data)
                try:
                    con.execute(f"INSERT INTO {table} SELECT * FROM _frame")  # noqa: S608
                finally:
                    con.unregister("_frame")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            self._release()
            raise
        self._release()
        logger.info("stored run %s (sample %s)", record.run_id, record.sample_index)
        return record.run_id

    # --- reading -------------------------------------------------------------------------

    def list_runs(
        self,
        *,
        sweep_id: str | None = None,
        limit: int | None = None,
        kind: str | None = None,
        scenario: str | None = None,
        standalone: bool = False,
    ) -> pd.DataFrame:
        """Runs, newest first: id, sweep, kind, scenario, hash, seed, sample, times.

        Parameters
        ----------
        sweep_id, kind, scenario : str, optional
            Only the runs of this sweep, of this kind (``run``, ``sweep``, ``forecast``,
            ``calibration``) or of this scenario name.
        limit : int, optional
            At most this many (the newest).
        standalone : bool
            Leave out the samples of sweeps and forecasts (they are summarised by
            :meth:`list_sweeps`).
        """
        sql = (
            "SELECT run_id, sweep_id, sample_index, kind, scenario_name, "
            "left(scenario_hash, 12) AS scenario_hash, code_version, seed, sample_json, "
            "started_at, finished_at FROM runs"
        )
        where: list[str] = ["sweep_id IS NULL"] if standalone else []
        params: list[Any] = []
        for column, value in (("sweep_id", sweep_id), ("kind", kind), ("scenario_name", scenario)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY finished_at DESC, sample_index"
        if limit is not None:
            if limit < 0:
                raise ValueError(f"limit must not be negative (got {limit})")
            sql += f" LIMIT {int(limit)}"
        return self._con.execute(sql, params).df()

    def list_sweeps(self) -> pd.DataFrame:
        """Sweeps, newest first, with the number of runs stored for each."""
        return self._con.execute(
            "SELECT s.sweep_id, s.kind, s.scenario_name, s.n_samples, count(r.run_id) AS stored, "
            "s.created_at FROM sweeps s LEFT JOIN runs r USING (sweep_id) "
            "GROUP BY ALL ORDER BY s.created_at DESC"
        ).df()

    def resolve(self, run_id: str) -> str:
        """Full id of a run from an id or a unique prefix of one."""
        rows = self._con.execute(
            "SELECT run_id FROM runs WHERE starts_with(run_id, ?)", [run_id]
        ).fetchall()
        if len(rows) == 1:
            return str(rows[0][0])
        if not rows:
            raise StoreError(f"no run {run_id!r} in {self.path}")
        raise StoreError(f"run id {run_id!r} is ambiguous ({len(rows)} runs start with it)")

    def run_info(self, run_id: str) -> dict[str, Any]:
        """The ``runs`` row of a run as a dict (sample and info decoded)."""
        rid = self.resolve(run_id)
        frame = self._con.execute("SELECT * FROM runs WHERE run_id = ?", [rid]).df()
        row = {str(k): v for k, v in frame.iloc[0].to_dict().items()}
        row["sample"] = json.loads(row.pop("sample_json"))
        row["info"] = json.loads(row.pop("info_json"))
        return row

    def table(self, name: str, run_id: str) -> pd.DataFrame:
        """A result table of one run (``corridor_volumes``, ``link_flows``, ...)."""
        known = [*(t for t, _, _ in _RESULT_TABLES), "calibration_fit"]
        if name not in known:
            raise StoreError(f"no table {name!r}; known: {', '.join(known)}")
        rid = self.resolve(run_id)
        return self._con.execute(
            f"SELECT * EXCLUDE (run_id) FROM {name} WHERE run_id = ?",  # noqa: S608
            [rid],
        ).df()

    def corridor_totals(self, run_id: str) -> pd.DataFrame:
        """Volume a year per corridor of a run (TEU and tonnes), summed over markets."""
        rid = self.resolve(run_id)
        return self._con.execute(
            "SELECT year, corridor, sum(volume_teu) AS volume_teu, sum(volume_t) AS volume_t "
            "FROM corridor_volumes WHERE run_id = ? GROUP BY ALL ORDER BY year, corridor",
            [rid],
        ).df()

    def sweep_volumes(self, sweep_id: str) -> pd.DataFrame:
        """Corridor volume by run, year and corridor for every run of a sweep, TEU."""
        return self._con.execute(
            "SELECT r.run_id, r.sample_index, v.year, v.corridor, sum(v.volume_teu) AS volume_teu, "
            "sum(v.volume_t) AS volume_t FROM runs r JOIN corridor_volumes v USING (run_id) "
            "WHERE r.sweep_id = ? GROUP BY ALL ORDER BY r.sample_index, v.year, v.corridor",
            [sweep_id],
        ).df()

    def diff(self, run_a: str, run_b: str) -> pd.DataFrame:
        """Corridor volumes of two runs side by side with the difference (b - a), TEU."""
        a = self.corridor_totals(run_a)
        b = self.corridor_totals(run_b)
        merged = a.merge(b, on=["year", "corridor"], how="outer", suffixes=("_a", "_b"))
        merged = merged.fillna(
            {"volume_teu_a": 0.0, "volume_teu_b": 0.0, "volume_t_a": 0.0, "volume_t_b": 0.0}
        )
        merged["delta_teu"] = merged["volume_teu_b"] - merged["volume_teu_a"]
        merged["delta_pct"] = (
            100.0 * merged["delta_teu"] / merged["volume_teu_a"].where(merged["volume_teu_a"] > 0)
        )
        return merged.sort_values(["year", "corridor"]).reset_index(drop=True)

    def count(self, table: str) -> int:
        """Rows in a table."""
        known = {"runs", "sweeps", *(t for t, _, _ in _RESULT_TABLES)}
        if table not in known:
            raise StoreError(f"no table {table!r}")
        row = self._con.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
        return int(row[0]) if row else 0
