"""``corridors places`` and ``corridors passages``: what can be named on the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import typer

from corridors.cli.common import (
    FormatOpt,
    NetworkOpt,
    json_envelope,
    load_network,
    output_format,
    write_or_print,
)

OutputOpt = typer.Option(None, "--output", "-o", help="Write to this file (.json, .csv, .txt).")


def _text_rows(rows: list[list[str]], header: list[str]) -> str:
    """Plain aligned columns; the last column is never padded (no wrapping, any width)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for r in [header, *rows]:
        cells = [c.ljust(w) for c, w in zip(r, widths, strict=False)]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def _csv(rows: list[list[str]], header: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def register(app: typer.Typer) -> None:
    """Add the ``places`` and ``passages`` commands."""

    @app.command("places")
    def places_cmd(
        query: str | None = typer.Argument(
            None, help="Part of a name, alias or id, or a country code (e.g. KZ)."
        ),
        network: NetworkOpt = None,
        fmt: FormatOpt = None,
        output: Path | None = OutputOpt,
    ) -> None:
        """List the places of the network, with their aliases.

        With QUERY, only the places whose id, name or an alias contains it (ignoring
        case, accents and punctuation), or those of a country; when none matches, the
        closest names are suggested and the exit code is 1.
        """
        fmt = output_format(fmt, output, allowed=("table", "json", "csv"))
        net = load_network(network)
        found = net.find_places(query)
        if not found:
            hint = net.similar_places(query or "")
            msg = f"no place matches {query!r}"
            if hint:
                msg += "; did you mean " + " or ".join(repr(h) for h in hint) + "?"
            from corridors.cli.common import print_error  # noqa: PLC0415

            print_error(msg)
            raise typer.Exit(1)
        nodes = net.nodes.set_index("node_id").loc[found]
        header = ["id", "name", "kind", "country", "aliases"]
        rows = [
            [str(nid), str(r["name"]), str(r["kind"]), str(r["country"]), "; ".join(r["aliases"])]
            for nid, r in nodes.iterrows()
        ]
        if fmt == "json":
            places = [
                {**dict(zip(header[:-1], r[:-1], strict=True)), "aliases": list(aliases)}
                for r, aliases in zip(rows, nodes["aliases"], strict=True)
            ]
            text = json_envelope(
                {"command": "places", "query": query, "network": net.name}, places=places
            )
        elif fmt == "csv":
            text = _csv(rows, header)
        else:
            text = _text_rows(rows, header)
        write_or_print(text, output)

    @app.command("passages")
    def passages_cmd(
        network: NetworkOpt = None,
        fmt: FormatOpt = None,
        output: Path | None = OutputOpt,
    ) -> None:
        """List what --close accepts: sea passages, countries, borders (and any node or link).

        Sea passages close every sea leg through them; a country closes its nodes; a
        border (CN-KZ) closes the land and ferry links between two countries. Any place
        (see 'corridors places') or link id can be closed too.
        """
        from corridors.network.closures import PASSAGE_NAMES, borders_of  # noqa: PLC0415
        from corridors.network.schema import SEA_PASSAGES  # noqa: PLC0415

        fmt = output_format(fmt, output, allowed=("table", "json", "csv"))
        net = load_network(network)
        legs = dict.fromkeys(SEA_PASSAGES, 0)
        for through in net.links["passages"]:
            for p in through:
                legs[p] = legs.get(p, 0) + 1
        passages = [
            [p, PASSAGE_NAMES[p][0], ", ".join(PASSAGE_NAMES[p][1]), str(legs[p])]
            for p in SEA_PASSAGES
        ]
        counts = net.nodes["country"].value_counts()
        countries = [[str(c), str(int(n))] for c, n in sorted(counts.items())]
        borders = [
            [f"{a}-{b}", "; ".join(net.links.set_index("link_id").loc[ids, "name"].astype(str))]
            for (a, b), ids in borders_of(net).items()
        ]
        if fmt == "json":
            text = json_envelope(
                {"command": "passages", "network": net.name},
                passages=[
                    {
                        "id": r[0],
                        "name": r[1],
                        "aliases": list(PASSAGE_NAMES[r[0]][1]),
                        "sea_legs": int(r[3]),
                    }
                    for r in passages
                ],
                countries=[{"code": c, "nodes": int(n)} for c, n in countries],
                borders=[{"border": b, "links": links.split("; ")} for b, links in borders],
            )
        elif fmt == "csv":
            rows = [["passage", r[0], r[1]] for r in passages]
            rows += [["country", c, f"{n} nodes"] for c, n in countries]
            rows += [["border", b, links] for b, links in borders]
            text = _csv(rows, ["kind", "close", "description"])
        else:
            text = (
                "Sea passages (--close suez, or by name: --close 'Strait of Hormuz'):\n"
                + _text_rows(passages, ["id", "name", "aliases", "sea legs"])
                + "\nCountries (--close RU closes every node of the country):\n"
                + _text_rows(countries, ["code", "nodes"])
                + "\nBorders (--close CN-KZ closes the crossings between two countries):\n"
                + _text_rows(borders, ["border", "crossings"])
                + "\nPlaces and links: any node (see 'corridors places') or link id.\n"
            )
        write_or_print(text, output)
