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

The store's tables are declared in :mod:`corridors.scenarios.store_tables`, its file
and lock handled by :mod:`corridors.scenarios.store_file`, and what identifies a run
or sweep in :mod:`corridors.scenarios.run_record`; their public names are re-exported
here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd

from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.run_record import (
    MAX_SEED,
    RunRecord,
    SweepRecord,
    check_seed,
    naive_utc,
)
from corridors.scenarios.store_file import (
    LOCK_TIMEOUT_S,
    StoreBusyError,
    StoreError,
    check_path,
    connect,
)
from corridors.scenarios.store_tables import CALIBRATION_FIT_COLUMNS, DDL, RESULT_TABLES

__all__ = [
    "CALIBRATION_FIT_COLUMNS",
    "DEFAULT_STORE",
    "LOCK_TIMEOUT_S",
    "MAX_SEED",
    "ResultsStore",
    "RunRecord",
    "StoreBusyError",
    "StoreError",
    "SweepRecord",
]

logger = logging.getLogger(__name__)

DEFAULT_STORE = "corridors.duckdb"


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
        check_path(self.path, read_only=read_only)
        if not read_only:
            try:
                self._con.execute(DDL)
            except duckdb.Error as exc:
                self.close()
                raise StoreError(f"{self.path} is not a usable results store: {exc}") from None
            self._release()

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        """The open connection (opened on first use, waiting for another writer)."""
        if self._open is None:
            self._open = connect(self.path, read_only=self.read_only, timeout=self.lock_timeout)
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
        check_seed(record.seed)
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
                        naive_utc(sweep.created_at),
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
                    naive_utc(record.started_at),
                    naive_utc(dt.datetime.now(dt.UTC)),
                ],
            )
            tables: list[tuple[str, pd.DataFrame, tuple[str, ...]]] = [
                (table, getattr(result, attr), columns) for table, attr, columns in RESULT_TABLES
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
        known = [*(t for t, _, _ in RESULT_TABLES), "calibration_fit"]
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
        known = {"runs", "sweeps", *(t for t, _, _ in RESULT_TABLES)}
        if table not in known:
            raise StoreError(f"no table {table!r}")
        row = self._con.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
        return int(row[0]) if row else 0
