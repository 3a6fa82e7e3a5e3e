"""Demand: origin-destination tables of freight a year, read and checked in one place."""

from __future__ import annotations

from corridors.demand.reader import read_demand

__all__ = ["read_demand"]
