"""``corridors assign`` on a corridor network: the scenario model's equilibrium, presented."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from corridors import atomic
from corridors.assignment.errors import NotConvergedError
from corridors.cli.common import write_table


def assign_corridor_model(
    network: Path,
    demand: Path,
    output: Path,
    *,
    scenario: str | None,
    year: int | None,
    threshold: float,
    report: Path | None,
    allow_unconverged: bool,
    tolerance: float | None = None,
    max_iterations: int | None = None,
) -> None:
    """Solve the corridor model for a demand table, write the flows and print the answer.

    The demand table's rows become the markets of ``scenario`` for ``year``
    (:func:`corridors.studies.corridor_equilibrium.assign_corridor_equilibrium`); prints
    the volume by corridor, unserved demand and the elements above ``threshold`` of
    their capacity.
    """
    from corridors.cli.common import load_network  # noqa: PLC0415
    from corridors.studies.corridor_equilibrium import (  # noqa: PLC0415
        assign_corridor_equilibrium,
    )

    net = load_network(network)
    res = assign_corridor_equilibrium(
        net,
        demand,
        network_path=network,
        scenario=scenario,
        year=year,
        threshold=threshold,
        tolerance=tolerance,
        max_iterations=max_iterations,
    )
    if not (res.converged or allow_unconverged):
        raise NotConvergedError(iterations=res.iterations, gap=res.gap, target=res.tolerance)
    html = None
    if report is not None:
        from corridors.reports.run_report import result_report  # noqa: PLC0415

        html = result_report(
            net,
            res.result,
            info={
                "scenario_name": f"{demand.name} with {res.scenario}",
                "kind": f"assign {res.year}",
                "run_id": "",
                "seed": "-",
            },
        )
    write_table(res.links(), output, network=net)
    if report is not None and html is not None:
        atomic.write_text(report, html)
    out = Console()
    state = "converged" if res.converged else "NOT converged"
    out.print(
        f"{demand.name} at equilibrium in {res.year} with the behaviour of {res.scenario} "
        f"({len(res.markets)} markets): {state}, {res.iterations} iterations, gap "
        f"{res.gap:.1e}; wrote {output}" + (f" and {report}" if report is not None else ""),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    out.print("volume a year by corridor:", highlight=False)
    for _, row in res.corridor_volumes().iterrows():
        out.print(
            f"  {row['corridor']} {row['commodity']}: {row['volume']:,.0f} {row['unit']}",
            highlight=False,
            markup=False,
        )
    unserved = res.unserved()
    if len(unserved):
        out.print("unserved demand, a year (no route, or no room; not in the volumes above):")
        for _, row in unserved.iterrows():
            out.print(
                f"  {row['market']} {row['origin']} - {row['destination']}: "
                f"{row['volume']:,.0f} {row['unit']} ({row['reason']})",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    worst = res.bottlenecks()
    if worst.empty:
        out.print(f"no element above {threshold:.0%} of capacity", highlight=False)
        return
    out.print(f"above {threshold:.0%} of capacity:", highlight=False)
    for _, row in worst.iterrows():
        out.print(
            f"  {row['element']} ({row['cargo']}): {row['volume_teu']:,.0f} / "
            f"{row['capacity_teu']:,.0f} TEU-eq/yr (utilisation {row['utilisation']:.2f}, "
            f"shadow price {row['shadow_price_usd_teu']:,.0f} USD/TEU)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
