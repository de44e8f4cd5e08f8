"""Benchmark: a whole PHARE wave with our engine and with R survey, side by side.

    .venv/bin/python bench/survey_estimation.py [--sizes 10000,100000,1000000]
                                                [--skip-r-above 100000] [--no-r]

A wave of SIZE respondents in all: 3 populations (citizens, companies, associations) of
SIZE / 3 respondents each, stratified by 13 regions (no clusters), 15 items scored 0-10
with 5% missing; for each population, national plus 13 regions: the 15 means, the 15 top-2
proportions (9 or 10) and the ties with the top item (paired contrasts, Holm).

Our time excludes reading the files (best of one timed run after a warm-up; memory is the
peak of NumPy/Python allocations during a second run, measured with tracemalloc).  R's time
excludes starting R but includes reading the files (fread), small next to its run; R's memory
is the sum of gc()'s "max used" column.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alliances.observatory import estimation as est  # noqa: E402

POPULATIONS = ("citoyens", "entreprises", "associations")
ITEMS = tuple(f"x{j:02d}" for j in range(1, 16))
REGIONS = np.array([11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93, 94])


def make_population(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    region = rng.choice(REGIONS, size=n, p=np.r_[0.19, np.full(12, 0.81 / 12)])
    data: dict[str, np.ndarray] = {
        "region": region,
        "w": rng.lognormal(0.0, 0.4, n),
    }
    means = np.linspace(7.1, 5.6, len(ITEMS))
    shift = (region == 11) * 0.3
    for item, mean in zip(ITEMS, means, strict=True):
        values = np.clip(np.rint(rng.normal(mean, 2.2, n) + shift), 0, 10)
        values[rng.random(n) < 0.05] = np.nan
        data[item] = values
    return data


def engine_wave(wave: dict[str, dict[str, np.ndarray]]) -> dict[str, tuple]:
    results = {}
    for pop, data in wave.items():
        design = est.SurveyDesign(weights=data["w"], strata=data["region"])
        rows = est.estimate(
            design,
            data,
            means=ITEMS,
            proportions=[(item, (9, 10)) for item in ITEMS],
            by=["region"],
        )
        ties = est.rank_ties(design, data, items=ITEMS, by=["region"])
        results[pop] = (rows, ties)
    return results


def run_engine(wave: dict[str, dict[str, np.ndarray]]) -> tuple[float, float, dict]:
    engine_wave(wave)  # warm-up (imports, caches)
    start = time.perf_counter()
    results = engine_wave(wave)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    engine_wave(wave)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20, results


def run_r(wave: dict[str, dict[str, np.ndarray]], folder: Path) -> tuple[float, float]:
    for pop, data in wave.items():
        pl.DataFrame(data).write_csv(folder / f"{pop}.csv")
    script = ROOT / "bench" / "r" / "wave.R"
    done = subprocess.run(
        ["Rscript", str(script), str(folder), *wave], capture_output=True, text=True, check=True
    )
    elapsed, memory = done.stdout.split()[-2:]
    return float(elapsed), float(memory)


def largest_difference(results: dict, folder: Path) -> tuple[float, int]:
    worst = 0.0
    tie_mismatches = 0
    for pop, (rows, ties) in results.items():
        ours = {}
        for row in rows:
            domain = "all" if not row.by else str(row.by["region"])
            name = row.variable if row.statistic == "mean" else f"top_{row.variable}"
            ours[(domain, name)] = (row.estimate, row.se)
        theirs = pl.read_csv(folder / f"{pop}_r.csv").iter_rows()
        for domain, variable, estimate, se in theirs:
            mine = ours[(str(domain), variable)]
            worst = max(worst, abs(mine[0] - estimate) / abs(estimate), abs(mine[1] - se) / se)
        r_ties = {str(k): v for k, v in pl.read_csv(folder / f"{pop}_r_ties.csv").iter_rows()}
        for ranking in ties:
            domain = "all" if not ranking.by else str(ranking.by["region"])
            if "|".join(sorted(ranking.tied)) != r_ties[domain]:
                tie_mismatches += 1
    return worst, tie_mismatches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--skip-r-above", type=int, default=300_000)
    parser.add_argument("--no-r", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    header = (
        f"{'respondents':>11} {'per pop':>9} {'engine s':>9} {'engine MiB':>10} "
        f"{'R s':>9} {'R MiB':>8} "
        f"{'speed-up':>8} {'max rel diff':>12} {'tie sets':>9}"
    )
    lines = [header, "-" * len(header)]
    print(header, flush=True)
    for size in sizes:
        per_population = size // len(POPULATIONS)
        wave = {pop: make_population(per_population, seed) for seed, pop in enumerate(POPULATIONS)}
        elapsed, memory, results = run_engine(wave)
        r_time = r_memory = diff = None
        mismatches = None
        if not args.no_r and size <= args.skip_r_above:
            with tempfile.TemporaryDirectory() as tmp:
                r_time, r_memory = run_r(wave, Path(tmp))
                diff, mismatches = largest_difference(results, Path(tmp))
        line = (
            f"{size:>11,} {per_population:>9,} {elapsed:>9.3f} {memory:>10.0f} "
            + (f"{r_time:>9.2f} {r_memory:>8.0f} {r_time / elapsed:>7.0f}x " if r_time else
               f"{'skipped':>9} {'':>8} {'':>8} ")
            + (f"{diff:>12.1e} {'same' if mismatches == 0 else f'{mismatches} differ':>9}"
               if diff is not None else "")
        )  # fmt: skip
        print(line, flush=True)
        lines.append(line)
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
