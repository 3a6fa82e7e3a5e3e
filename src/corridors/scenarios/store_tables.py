"""The tables of the results store: their SQL and the result columns each holds.

Tables: ``sweeps``, ``runs``, ``corridor_volumes``, ``link_flows``, ``transit_times``,
``measure_rankings``, ``bottlenecks``, ``unserved`` (demand no route carried),
``calibration_fit`` (observed against modelled
volumes of a calibration run).

A column added to a table later (``link_flows``' directions, ``bottlenecks``'
``queue_h``, ``measure_rankings``' ``rents_usd`` and ``npv_with_rents_usd``) is declared
last and added by ``ALTER TABLE ... ADD COLUMN IF NOT EXISTS`` when a store is opened for
writing, so a store made by an older version opens, its older rows hold NULL there (rows
are inserted by position: a result's columns end with the added ones). Opened read-only,
an older store's table lacks the column.
"""

from __future__ import annotations

from corridors.scenarios.result import (
    BOTTLENECK_COLUMNS,
    CORRIDOR_VOLUME_COLUMNS,
    LINK_FLOW_COLUMNS,
    RANKING_COLUMNS,
    TRANSIT_TIME_COLUMNS,
    UNSERVED_COLUMNS,
)

DDL = """
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
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, link_id VARCHAR NOT NULL, volume_teu DOUBLE,
    volume_ab_teu DOUBLE, volume_ba_teu DOUBLE
);
ALTER TABLE link_flows ADD COLUMN IF NOT EXISTS volume_ab_teu DOUBLE;
ALTER TABLE link_flows ADD COLUMN IF NOT EXISTS volume_ba_teu DOUBLE;
CREATE TABLE IF NOT EXISTS transit_times (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, corridor VARCHAR NOT NULL,
    p50_h DOUBLE, p90_h DOUBLE, p95_h DOUBLE, mean_h DOUBLE
);
CREATE TABLE IF NOT EXISTS measure_rankings (
    run_id VARCHAR NOT NULL, rank INTEGER, measure_id VARCHAR NOT NULL, capex_usd DOUBLE,
    volume_gain_teu DOUBLE, hours_saved DOUBLE, usd_saved DOUBLE, usd_saved_per_usd DOUBLE,
    npv_usd DOUBLE, rents_usd DOUBLE, npv_with_rents_usd DOUBLE
);
ALTER TABLE measure_rankings ADD COLUMN IF NOT EXISTS rents_usd DOUBLE;
ALTER TABLE measure_rankings ADD COLUMN IF NOT EXISTS npv_with_rents_usd DOUBLE;
CREATE TABLE IF NOT EXISTS bottlenecks (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, element VARCHAR NOT NULL,
    cargo VARCHAR NOT NULL, volume_teu DOUBLE, capacity_teu DOUBLE, utilisation DOUBLE,
    shadow_price_usd_teu DOUBLE, queue_h DOUBLE
);
ALTER TABLE bottlenecks ADD COLUMN IF NOT EXISTS queue_h DOUBLE;
CREATE TABLE IF NOT EXISTS unserved (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, market VARCHAR NOT NULL,
    origin VARCHAR NOT NULL, destination VARCHAR NOT NULL, cargo_class VARCHAR NOT NULL,
    unit VARCHAR NOT NULL, volume DOUBLE, volume_teu DOUBLE, reason VARCHAR NOT NULL
);
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

RESULT_TABLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("corridor_volumes", "corridor_volumes", CORRIDOR_VOLUME_COLUMNS),
    ("link_flows", "link_flows", LINK_FLOW_COLUMNS),
    ("transit_times", "transit_times", TRANSIT_TIME_COLUMNS),
    ("measure_rankings", "rankings", RANKING_COLUMNS),
    ("bottlenecks", "bottlenecks", BOTTLENECK_COLUMNS),
    ("unserved", "unserved", UNSERVED_COLUMNS),
)
"""Result tables of a run: the store's table, the attribute of
:class:`~corridors.scenarios.result.ScenarioResult` it takes, its columns."""
