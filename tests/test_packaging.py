"""The package as a new user gets it: sdist -> wheel -> a clean venv, run outside the repo.

``python -m build`` builds the sdist from the repository and then the wheel FROM that sdist,
so a file that the sdist drops (as the old ``data/eurasia`` symlink did) is missing from the
wheel too. Nothing is downloaded: the build runs without isolation (hatchling and build come
with the dev extra) and the clean venv sees the current environment's dependencies through a
``.pth`` line, while ``corridors`` itself comes only from the wheel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATASET_FILES = (
    "config.csv",
    "node.csv",
    "link.csv",
    "vessel.csv",
    "corridor.csv",
    "demand-2024.csv",
    "measures.yaml",
    "fit-2021-2023.yaml",
    "SOURCES.md",
    "scenarios/baseline-2024.yaml",
)

pytestmark = pytest.mark.slow


def _run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build", reason="the packaging test needs 'build' (dev extra)")
    pytest.importorskip("hatchling", reason="the packaging test needs 'hatchling' (dev extra)")
    out = tmp_path_factory.mktemp("dist")
    # No --sdist/--wheel: build makes the sdist, then the wheel from the unpacked sdist.
    _run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        cwd=out,
    )
    return out


def test_sdist_and_wheel_carry_the_dataset_and_licence(dist: Path) -> None:
    (sdist,) = dist.glob("corridors-*.tar.gz")
    (wheel,) = dist.glob("corridors-*.whl")
    with tarfile.open(sdist) as tar:
        names = set(tar.getnames())
    root = sdist.name.removesuffix(".tar.gz")
    for name in DATASET_FILES:
        assert f"{root}/src/corridors/datasets/eurasia/{name}" in names, name
    assert f"{root}/LICENSE" in names
    assert not any(tar_name.endswith("data/eurasia") for tar_name in names)
    with zipfile.ZipFile(wheel) as whl:
        wheel_names = set(whl.namelist())
        meta_name = next(n for n in wheel_names if n.endswith(".dist-info/METADATA"))
        metadata = whl.read(meta_name).decode()
    for name in DATASET_FILES:
        assert f"corridors/datasets/eurasia/{name}" in wheel_names, name
    assert "corridors/py.typed" in wheel_names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel_names)
    for classifier in (
        "Typing :: Typed",
        "Topic :: Scientific/Engineering :: GIS",
        "Programming Language :: Python :: 3.11",
    ):
        assert f"Classifier: {classifier}" in metadata


def test_wheel_installed_in_a_clean_venv_runs_outside_the_repo(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("corridors-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=tmp_path,
        ).strip()
    )
    # The dependencies (numpy, pandas, searoute, ...) from the current environment, appended
    # after the clean venv's own site-packages. A .pth line adds a folder without running the
    # .pth files in it, so the editable install of this checkout stays invisible.
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        cwd=tmp_path,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"COLUMNS": "80", "NO_COLOR": "1"}
    where = _run([str(python), "-c", "import corridors; print(corridors.__file__)"], cwd=work)
    assert Path(where.strip()).is_relative_to(site), where
    corridors = str(env_dir / "bin" / "corridors")
    out = _run([corridors, "compare", "Xi'an", "Duisburg", "--format", "json"], cwd=work, env=env)
    routes = json.loads(out)["routes"]
    assert {r["corridor"] for r in routes} == {
        "northern",
        "southern",
        "middle",
        "sea_suez",
        "sea_cape",
    }
    out = _run([corridors, "run", "baseline-2024"], cwd=work, env=env)
    assert "baseline-2024" in out
    assert (work / "corridors.duckdb").is_file()  # the run is stored where the user stands
