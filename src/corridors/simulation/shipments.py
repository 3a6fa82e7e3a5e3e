"""Shipments: what a demand flow sends along its itinerary, and how often.

Containers run as block trains of ``teu_per_train`` TEU (``wagons_per_train`` wagons;
~100 TEU a train, corridor-facts.md "Block trains China -> Azerbaijan") for
``block_train_share`` of the TEU and as wagon groups for the rest; bulk runs as wagon
groups of ``wagons_per_group`` wagons of ``tonnes_per_wagon`` t; ``trucks`` demand runs
as single trucks (:class:`~corridors.simulation.options.BuildOptions`).
"""

from __future__ import annotations

from typing import Any

from corridors.simulation.model import HOURS_PER_YEAR, ShipmentGenerator, Step
from corridors.simulation.options import BuildOptions

__all__ = ["hash_fraction", "shipment_generators"]


def shipment_generators(
    opt: BuildOptions,
    o: str,
    d: str,
    *,
    commodity: str,
    volume: float,
    unit: str,
    itinerary: tuple[Step, ...],
    corridor: str,
    share: float,
    tag: str = "",
) -> list[ShipmentGenerator]:
    """Shipment generators of one flow on one itinerary (sizes and rates from ``opt``).

    Containers run as block trains of ``teu_per_train`` TEU for ``block_train_share``
    of the TEU and as wagon groups for the rest; bulk as wagon groups of
    ``wagons_per_group`` wagons of ``tonnes_per_wagon`` t; ``trucks`` as single trucks.
    ``volume x share`` is the flow's volume a year in ``unit`` (TEU or t).
    """
    vol = volume * share
    base = f"{o}>{d}:{corridor}{':' + tag if tag else ''}:{commodity}"
    common: dict[str, Any] = {
        "origin": o,
        "destination": d,
        "itinerary": itinerary,
        "corridor": corridor,
    }
    out: list[ShipmentGenerator] = []
    per_year = HOURS_PER_YEAR / 24.0
    if commodity == "trucks":
        tonnes = vol if unit == "t" else vol * opt.tonnes_per_teu
        n = tonnes / opt.tonnes_per_truck
        out.append(
            ShipmentGenerator(
                f"{base}:truck",
                kind="truck",
                trucks=1,
                tonnes=opt.tonnes_per_truck,
                teu=0.0 if unit == "t" else opt.tonnes_per_truck / opt.tonnes_per_teu,
                arrivals=opt.truck_arrivals,
                per_day=n / per_year,
                **common,
            )
        )
        return out
    if commodity == "containers":
        teu = vol if unit == "TEU" else vol / opt.tonnes_per_teu
        trains = teu * opt.block_train_share / opt.teu_per_train
        if trains > 0:
            out.append(
                ShipmentGenerator(
                    f"{base}:block_train",
                    kind="block_train",
                    wagons=opt.wagons_per_train,
                    teu=opt.teu_per_train,
                    tonnes=opt.teu_per_train * opt.tonnes_per_teu,
                    arrivals=opt.block_train_arrivals,
                    per_day=trains / per_year,
                    offset_h=(hash_fraction(base) * 24.0 * per_year / trains) % HOURS_PER_YEAR,
                    **common,
                )
            )
        rest = teu * (1.0 - opt.block_train_share)
        if rest > 0:
            group_teu = opt.wagons_per_group * opt.teu_per_wagon
            out.append(
                ShipmentGenerator(
                    f"{base}:wagon_group",
                    kind="wagon_group",
                    wagons=opt.wagons_per_group,
                    teu=group_teu,
                    tonnes=group_teu * opt.tonnes_per_teu,
                    arrivals=opt.wagon_group_arrivals,
                    per_day=rest / group_teu / per_year,
                    **common,
                )
            )
        return out
    tonnes = vol if unit == "t" else vol * opt.tonnes_per_teu
    group_t = opt.wagons_per_group * opt.tonnes_per_wagon
    if tonnes > 0:
        out.append(
            ShipmentGenerator(
                f"{base}:wagon_group",
                kind="wagon_group",
                wagons=opt.wagons_per_group,
                tonnes=group_t,
                arrivals=opt.wagon_group_arrivals,
                per_day=tonnes / group_t / per_year,
                **common,
            )
        )
    return out


def hash_fraction(text: str) -> float:
    """A stable number in [0, 1) from a text (spreads timetables of different flows)."""
    h = 2166136261
    for b in text.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h / 2**32
