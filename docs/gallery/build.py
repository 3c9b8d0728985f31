"""Run the examples and copy their figures into docs/gallery/ for the documentation site.

Each example in ``examples/`` is run in its own process, writing into a
temporary folder; the figures the gallery page shows are copied here,
downscaled so that each PNG stays under ``MAX_BYTES``. ``ai_power_demand``
draws no figure of its own: its ``trajectories.csv`` is plotted here.

Usage (from the repository root)::

    python docs/gallery/build.py                 # all examples, 600 s each at most
    python docs/gallery/build.py maps own_data   # only these
    python docs/gallery/build.py --timeout 300

The PNGs are committed, so the documentation build does not run the examples.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

#: example -> {file written by the example: name in docs/gallery/}
FIGURES: dict[str, dict[str, str]] = {
    "ai_power_demand": {},  # plotted from trajectories.csv by plot_trajectories()
    "east_vs_west": {"compare.png": "east_vs_west_compare.png"},
    "latency_tradeoff": {"latency_tradeoff.png": "latency_tradeoff.png"},
    "carbon_and_green_targets": {"carbon_and_green_targets.png": "carbon_and_green_targets.png"},
    "pareto_and_uncertainty": {
        "pareto.png": "pareto.png",
        "build_probability.png": "build_probability.png",
    },
    "maps": {
        "east-data-west-computing.png": "maps_edwc_capacity.png",
        "east-data-west-computing_emissions.png": "maps_edwc_emissions.png",
        "inputs_electricity_price_cny_per_kwh.png": "maps_inputs_price.png",
        "inputs_grid_ef_t_co2_per_mwh.png": "maps_inputs_grid_ef.png",
    },
    "own_data": {"map.png": "own_data_map.png"},
    "bits_or_watts": {"bits_or_watts.png": "bits_or_watts.png", "maps.png": "bits_or_watts_maps.png"},
    "green_247": {"green_247.png": "green_247.png"},
}

MAX_BYTES = 300_000  # per PNG
MAX_WIDTH = 1200  # px


def shrink(src: Path, dst: Path) -> int:
    """Copy ``src`` to ``dst`` as a PNG under MAX_BYTES; return its size [bytes]."""
    from PIL import Image

    img = Image.open(src)
    img.load()
    if img.mode not in ("RGB", "RGBA"):
        img = img.convert("RGBA")
    width = min(img.width, MAX_WIDTH)
    while True:
        out = img if width == img.width else img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
        out.save(dst, optimize=True)
        if dst.stat().st_size <= MAX_BYTES:
            return dst.stat().st_size
        # a palette of 256 colours keeps maps and line plots readable at a fraction of the size
        out.quantize(256, method=Image.Quantize.FASTOCTREE).save(dst, optimize=True)
        if dst.stat().st_size <= MAX_BYTES or width < 400:
            return dst.stat().st_size
        width = int(width * 0.8)


def plot_trajectories(csv: Path, dst: Path) -> None:
    """The figure of ai_power_demand: China's data-center electricity by trajectory [TWh/yr]."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    traj = pd.read_csv(csv, index_col="year")
    fig, ax = plt.subplots(figsize=(7.0, 4.0))
    for column in traj.columns:
        ax.plot(traj.index, traj[column], marker="o", markersize=3, label=column)
    ax.set_xlabel("year")
    ax.set_ylabel("data-center electricity [TWh/yr]")
    ax.set_title("China's data-center electricity: published trajectories")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(dst, dpi=110)
    plt.close(fig)


def run(name: str, timeout: float) -> list[str]:
    """Run one example into a temporary folder and copy its figures here; return the gallery files."""
    script = ROOT / "examples" / f"{name}.py"
    written = []
    with tempfile.TemporaryDirectory(prefix=f"gallery-{name}-") as tmp:
        out = Path(tmp) / name
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(script), str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"{script.name} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        figures = dict(FIGURES[name])
        if name == "ai_power_demand":
            plot_trajectories(out / "trajectories.csv", out / "trajectories.png")
            figures["trajectories.png"] = "ai_power_demand_trajectories.png"
        for src, dst in figures.items():
            size = shrink(out / src, HERE / dst)
            written.append(dst)
            print(f"  {dst}: {size / 1000:.0f} kB")
        print(f"{name}: {seconds:.1f} s")
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", nargs="*", default=list(FIGURES), help="examples to run (default: all)")
    parser.add_argument("--timeout", type=float, default=600.0, help="time budget per example [s]")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.examples) - set(FIGURES))
    if unknown:
        parser.error(f"unknown example(s) {unknown}; expected some of {list(FIGURES)}")
    for name in args.examples:
        run(name, args.timeout)


if __name__ == "__main__":
    main()
