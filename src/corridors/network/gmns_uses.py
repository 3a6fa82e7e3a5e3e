"""GMNS uses on reading: a link's ``allowed_uses`` as a corridors mode.

GMNS names what may use a link (``allowed_uses``: ``rail``, ``truck``, ``walk``, or a
use defined in ``use_definition.csv``); corridors needs its mode. Uses that carry no
freight (walk, bike) leave the link out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from corridors.errors import Problem, did_you_mean
from corridors.network.schema import MODES, NON_FREIGHT_USES, USE_MODES
from corridors.network.tables import LINE


def split_uses(text: object) -> tuple[str, ...]:
    """The uses of an ``allowed_uses`` cell (``auto, bike`` or ``walk;bike``), lower case."""
    return tuple(w.strip().lower() for w in re.split(r"[;,]", str(text or "")) if w.strip())


def derive_link_modes(
    links: pd.DataFrame,
    *,
    use_modes: Mapping[str, str],
    filename: str,
    problems: list[Problem],
) -> tuple[pd.DataFrame, list[str]]:
    """Give links without a ``mode`` the mode of their ``allowed_uses``.

    A link allowing only uses that carry no freight (walk, bike) is left out; a use
    that is neither a known use nor defined in ``use_definition.csv`` is a problem.

    Returns
    -------
    tuple
        The links kept and notes on what was derived or left out.
    """
    modes: list[str] = []
    keep = np.ones(len(links), dtype=bool)
    left_out: dict[str, int] = {}
    derived = 0
    known = {**USE_MODES, **use_modes}
    for i, (mode, uses_text, line) in enumerate(
        zip(links["mode"], links["allowed_uses"], links[LINE], strict=True)
    ):
        if mode:
            modes.append(mode)
            continue
        uses = split_uses(uses_text)
        if not uses:
            problems.append(
                Problem(
                    filename,
                    int(line),
                    "mode",
                    "",
                    "the link needs a mode or allowed_uses",
                    "one of " + ", ".join(MODES),
                )
            )
            modes.append("")
            continue
        unknown = [u for u in uses if u not in known and u not in NON_FREIGHT_USES]
        for u in unknown:
            problems.append(
                Problem(
                    filename,
                    int(line),
                    "allowed_uses",
                    u,
                    "unknown use: not a GMNS use corridors knows nor defined in use_definition.csv",
                    did_you_mean(u, [*known, *NON_FREIGHT_USES]),
                )
            )
        found = {known[u] for u in uses if u in known}
        if not found:
            if not unknown:
                keep[i] = False
                key = ", ".join(uses)
                left_out[key] = left_out.get(key, 0) + 1
            modes.append("")
            continue
        derived += 1
        modes.append(next(m for m in MODES if m in found))
    links = links.assign(mode=pd.array(modes, dtype=object))[keep].reset_index(drop=True)
    notes: list[str] = []
    if derived:
        notes.append(f"{derived} link modes derived from allowed_uses")
    notes.extend(
        f"{n} links allowing only {uses} carry no freight: left out"
        for uses, n in sorted(left_out.items())
    )
    return links, notes


def use_modes_of(uses: pd.DataFrame) -> dict[str, str]:
    """Mode of each use in ``use_definition.csv``: its ``mode`` column, else its name."""
    out: dict[str, str] = {}
    for use, mode in zip(uses["use"], uses["mode"], strict=True):
        key = str(use).strip().lower()
        if mode:
            out[key] = str(mode)
        elif key in USE_MODES:
            out[key] = USE_MODES[key]
    return out
