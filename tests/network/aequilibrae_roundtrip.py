"""Load a GMNS export of corridors into an AequilibraE project and print what it holds.

Run by ``tests/network/test_gmns_write.py`` with an interpreter that has AequilibraE and a
SQLite that loads extensions (``make aequilibrae`` builds one from Debian's python3 and
``libsqlite3-mod-spatialite``)::

    python aequilibrae_roundtrip.py GMNS_FOLDER PROJECT_FOLDER

Prints one JSON object: ``nodes`` and ``links`` (row counts), ``distance_m`` (link id ->
distance AequilibraE computed from the geometry, metres) and ``modes`` (mode names).
Imports nothing of corridors: it is what a user of AequilibraE would do with the files.
"""

from __future__ import annotations

import csv
import json
import sys
import warnings
from pathlib import Path


def main(folder: Path, project_folder: Path) -> dict[str, object]:
    """Create an AequilibraE project from the GMNS files in ``folder``; report its tables."""
    import aequilibrae

    project = aequilibrae.Project()
    project.new(str(project_folder))
    try:
        # AequilibraE 1.7 upper-cases the uses of use_group.csv but not allowed_uses, so
        # lowercase GMNS uses (rail, sea, ...) must be modes of the project: declare them
        # from use_definition.csv, as a user of AequilibraE would
        modes = project.network.modes
        with (folder / "use_definition.csv").open(newline="", encoding="utf-8") as fh:
            uses = list(csv.DictReader(fh))
        for use in uses:
            mode = modes.new(use["use"][0])
            mode.mode_name = use["use"]
            mode.description = use["description"]
            modes.add(mode)
            mode.save()
        with warnings.catch_warnings():  # AequilibraE's own pandas deprecations
            warnings.simplefilter("ignore")
            project.network.create_from_gmns(
                str(folder / "link.csv"), str(folder / "node.csv"), srid=4326
            )
        with project.db_connection as conn:
            return {
                "nodes": conn.execute("select count(*) from nodes").fetchone()[0],
                "links": conn.execute("select count(*) from links").fetchone()[0],
                "distance_m": dict(conn.execute("select link_id, distance from links").fetchall()),
                "modes": sorted(m for (m,) in conn.execute("select mode_name from modes")),
            }
    finally:
        project.close()


if __name__ == "__main__":
    result = main(Path(sys.argv[1]), Path(sys.argv[2]))
    sys.stdout.write(json.dumps(result) + "\n")
