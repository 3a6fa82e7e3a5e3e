"""``corridors assign`` on links: a TNTP network, or a corridor network's link model.

Both are Frank-Wolfe user equilibria (:mod:`corridors.studies.assign`) shown with one
iteration bar (iteration and relative gap) and written as link flows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from corridors import atomic
from corridors.assignment.equilibrium import Algorithm
from corridors.assignment.errors import NotConvergedError
from corridors.cli.common import quiet, write_table


@dataclass(frozen=True)
class IterationBar:
    """A progress bar of an equilibrium's iterations and relative gap."""

    progress: Progress
    task: TaskID

    def tick(self, iteration: int, gap: float) -> None:
        """Show ``iteration`` done at relative ``gap`` (the assignment's callback)."""
        self.progress.update(self.task, completed=iteration, gap=f"{gap:.2e}")

    def done(self, iterations: int, *, converged: bool) -> None:
        """Finish: a full bar at the iteration it converged on, else where it stopped."""
        if converged:
            self.progress.update(self.task, total=iterations, completed=iterations)
        else:
            self.progress.update(self.task, completed=iterations)


@contextmanager
def iteration_bar(console: Console, description: str, max_iter: int) -> Iterator[IterationBar]:
    """An :class:`IterationBar` of at most ``max_iter`` iterations on ``console``."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("iteration {task.completed:.0f}/{task.total:.0f}"),
        TextColumn("gap {task.fields[gap]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=quiet(),
    ) as progress:
        yield IterationBar(progress, progress.add_task(description, total=max_iter, gap="-"))


def assign_tntp_folder(
    console: Console,
    folder: Path,
    algorithm: Algorithm,
    gap: float,
    max_iter: int,
    output: Path,
    allow_unconverged: bool,
) -> None:
    """User equilibrium of a TNTP folder with an iteration bar; write the link flows."""
    from corridors.studies.assign import assign_tntp  # noqa: PLC0415

    with iteration_bar(console, f"{folder.name} {algorithm}", max_iter) as bar:
        study = assign_tntp(
            folder, algorithm=algorithm, gap=gap, max_iter=max_iter, callback=bar.tick
        )
        result = study.result
        bar.done(result.iterations, converged=result.converged)
    if not (result.converged or allow_unconverged):
        raise NotConvergedError(iterations=result.iterations, gap=result.gap, target=gap)
    write_table(study.links, output)
    state = "converged" if result.converged else "NOT converged"
    console.print(
        f"{state}: {result.iterations} iterations, relative gap {result.gap:.3e}, "
        f"Beckmann objective {result.objective:.10g}; wrote {output}",
        highlight=False,
    )


def assign_link_model(
    console: Console,
    network: Path,
    demand: Path,
    algorithm: Algorithm,
    gap: float,
    max_iter: int,
    output: Path,
    *,
    unit: str,
    vot: float | None,
    year: int | None,
    threshold: float,
    report: Path | None = None,
    allow_unconverged: bool = False,
) -> None:
    """The road-style link model of a corridor network (``--link-model``), presented.

    Multi-class Frank-Wolfe with BPR delays and soft capacities, with an iteration bar;
    writes the link flows (and ``report``) and prints the nodes and links above
    ``threshold`` of their capacity.
    """
    from corridors.cli.common import cost_parameters, load_network  # noqa: PLC0415
    from corridors.studies.assign import assign_corridor_demand  # noqa: PLC0415

    net = load_network(network)
    params = cost_parameters(unit=unit, vot=vot, carbon_price=0.0, year=year, close=None)
    with iteration_bar(console, f"assign {algorithm}", max_iter) as bar:
        res = assign_corridor_demand(
            net,
            demand,
            params=params,
            algorithm=algorithm,
            gap=gap,
            max_iter=max_iter,
            threshold=threshold,
            callback=bar.tick,
        )
        bar.done(res.result.iterations, converged=res.result.converged)
    if not (res.result.converged or allow_unconverged):
        raise NotConvergedError(iterations=res.result.iterations, gap=res.result.gap, target=gap)
    html = None
    if report is not None:
        from corridors.reports.assignment_map import assignment_report  # noqa: PLC0415

        html = assignment_report(
            res,
            title=f"Assignment of {demand.name} on {network.name}",
            inputs=f"{network} {demand} --algorithm {algorithm} --gap {gap:g} --unit {unit}",
            target_gap=gap,
        )
    write_table(res.links(), output, network=net)
    if report is not None and html is not None:
        atomic.write_text(report, html)
    out = Console()
    r = res.result
    out.print(
        f"{'converged' if r.converged else 'NOT converged'}: {r.iterations} iterations, "
        f"relative gap {r.gap:.3e}; wrote {output}"
        + (f" and {report}" if report is not None else ""),
        highlight=False,
    )
    out.print(
        "classes: "
        + ", ".join(
            f"{n} ({v:.3g} USD/{res.unit}-h)"
            for n, v in zip(res.class_names, res.class_vot, strict=True)
        ),
        highlight=False,
        markup=False,
    )
    worst = res.bottlenecks()
    if worst.empty:
        out.print(f"no node or link above {threshold:.0%} of capacity", highlight=False)
        return
    out.print(f"above {threshold:.0%} of capacity:", highlight=False)
    for _, row in worst.iterrows():
        split = ""
        if len(res.class_names) > 1:
            split = "; " + ", ".join(f"{n} {row[f'flow[{n}]']:,.0f}" for n in res.class_names)
        out.print(
            f"  {row['label']}: {row['flow']:,.0f} / {row['capacity']:,.0f} "
            f"{res.unit}/yr (v/c {row['volume_capacity']:.2f}, delay "
            f"{row['delay_h']:.1f} h{split})",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
