"""What a replication records (station visits, sailings) and the result they become.

A mixin of the engine's run: :meth:`RunRecords.init_records` opens the lists the
shipment and ship processes append to; :meth:`RunRecords.result` turns them into the
numpy arrays of a :class:`~corridors.simulation.run_result.RunResult`.
"""

from __future__ import annotations

import numpy as np

from corridors.simulation.model import SimulationModel
from corridors.simulation.run_result import RunResult
from corridors.simulation.stations import YardState

__all__ = ["RunRecords"]


class RunRecords:
    """The records of one replication, and its :class:`RunResult`."""

    model: SimulationModel
    horizon_h: float
    events: int
    storms: dict[str, list[tuple[float, float]]]
    yards: dict[str, YardState]
    res_ids: list[str]
    res_kinds: list[str]
    res_servers: list[int]
    res_nodes: list[str]
    res_links: list[str]
    res_closed: list[float]
    line_ids: list[str]
    ship_ids: list[str]
    ship_lines: list[int]
    ship_gen: np.ndarray
    created: np.ndarray
    arrived: list[float]

    def init_records(self) -> None:
        """Open the visit and sailing records."""
        # visit records
        self.v_ship: list[int] = []
        self.v_step: list[int] = []
        self.v_res: list[int] = []
        self.v_arr: list[float] = []
        self.v_start: list[float] = []
        self.v_end: list[float] = []
        # sailing records
        self.s_ship: list[int] = []
        self.s_from: list[int] = []
        self.s_ready: list[float] = []
        self.s_decided: list[float] = []
        self.s_depart: list[float] = []
        self.s_arrive: list[float] = []
        self.s_load: list[float] = []
        self.s_units: list[int] = []

    def _slot_hours(self) -> np.ndarray:
        out = np.zeros(len(self.res_ids))
        for y in self.yards.values():
            out[y.res] = y.slot_hours(self.horizon_h)
        return out

    def result(self, seed: np.random.SeedSequence, wall_s: float) -> RunResult:
        """The records as numpy arrays, with the seed and the wall time of the run."""
        m = self.model
        gens = m.generators
        f8 = np.float64
        return RunResult(
            name=m.name,
            seed_entropy=int(seed.entropy) if isinstance(seed.entropy, int) else 0,
            seed_spawn_key=tuple(int(x) for x in seed.spawn_key),
            horizon_h=self.horizon_h,
            warmup_h=m.warmup_h,
            gen_ids=tuple(g.generator_id for g in gens),
            gen_origin=tuple(g.origin for g in gens),
            gen_destination=tuple(g.destination for g in gens),
            gen_corridor=tuple(g.corridor for g in gens),
            gen_kind=tuple(g.kind for g in gens),
            gen_teu=np.array([g.teu for g in gens], dtype=f8),
            gen_tonnes=np.array([g.tonnes for g in gens], dtype=f8),
            gen_wagons=np.array([g.wagons for g in gens], dtype=f8),
            ship_gen=self.ship_gen,
            ship_created=self.created,
            ship_arrived=np.array(self.arrived, dtype=f8),
            res_ids=tuple(self.res_ids),
            res_kinds=tuple(self.res_kinds),
            res_servers=np.array(self.res_servers, dtype=np.int64),
            res_nodes=tuple(self.res_nodes),
            res_links=tuple(self.res_links),
            res_closed_h=np.array(self.res_closed, dtype=f8),
            res_slot_h=self._slot_hours(),
            v_ship=np.array(self.v_ship, dtype=np.int64),
            v_step=np.array(self.v_step, dtype=np.int32),
            v_res=np.array(self.v_res, dtype=np.int32),
            v_arr=np.array(self.v_arr, dtype=f8),
            v_start=np.array(self.v_start, dtype=f8),
            v_end=np.array(self.v_end, dtype=f8),
            line_ids=tuple(self.line_ids),
            ship_ids=tuple(self.ship_ids),
            ship_lines=np.array(self.ship_lines, dtype=np.int32),
            s_ship=np.array(self.s_ship, dtype=np.int32),
            s_from=np.array(self.s_from, dtype=np.int32),
            s_ready=np.array(self.s_ready, dtype=f8),
            s_decided=np.array(self.s_decided, dtype=f8),
            s_depart=np.array(self.s_depart, dtype=f8),
            s_arrive=np.array(self.s_arrive, dtype=f8),
            s_load=np.array(self.s_load, dtype=f8),
            s_units=np.array(self.s_units, dtype=np.int64),
            storms=tuple((k, tuple(v)) for k, v in self.storms.items()),
            events=self.events,
            wall_s=wall_s,
        )
