"""``run --wide`` shows every ranking column whole, even in an 80-column terminal."""

from __future__ import annotations

import io

import pandas as pd
from rich.console import Console

from corridors.cli.scenario_views import frame_table, print_wide, rankings_view
from corridors.scenarios.result import RANKING_COLUMNS


def test_the_wide_ranking_keeps_the_measures_names_in_80_columns() -> None:
    """Squeezed into 80 columns the wide ranking lost its measure column (numbers are
    never cut); printed wide, every header and name is whole and the terminal's width
    is restored."""
    row: dict[str, object] = dict.fromkeys(RANKING_COLUMNS, 1.0e6)
    row |= {"rank": 1, "measure_id": "dostyk_moyinty_second_track"}
    table = frame_table(rankings_view(pd.DataFrame([row]), wide=True), title="measures")
    squeezed = io.StringIO()
    Console(file=squeezed, width=80, no_color=True).print(table)
    assert "dostyk_moyinty_second_track" not in squeezed.getvalue()
    out = io.StringIO()
    console = Console(file=out, width=80, no_color=True)
    print_wide(console, table)
    text = out.getvalue()
    assert "dostyk_moyinty_second_track" in text
    for header in ("measure_id", "capex M$", "B/C", "NPV M$", "rents M$", "NPV+rents M$"):
        assert header in text, header
    assert console.width == 80
