"""Seeded generator of the small datasets compared against R (run once; outputs committed).

    .venv/bin/python -m alliances.observatory.tests.estimation.generate_golden_data

Writes ``golden/data/*.csv``, ``golden/data/clustered_margins.csv`` and ``golden/cases.json``
(the statistics both R and the tests compute).  Then ``Rscript r/reference.R`` writes the
golden JSON files from them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
DATA = GOLDEN / "data"
REGIONS = np.array([11, 24, 27, 28, 32, 44, 52, 53])
REGION_NAMES = {
    11: "Île-de-France", 24: "Centre-Val de Loire", 27: "Bourgogne-Franche-Comté",
    28: "Normandie", 32: "Hauts-de-France", 44: "Grand Est", 52: "Pays de la Loire",
    53: "Bretagne",
}  # fmt: skip
SCORE_MEANS = (7.1, 6.6, 6.5, 6.6, 6.3, 6.3)
POPULATIONS = np.array(["citoyens", "entreprises", "associations"])


def _scores(rng: np.random.Generator, n: int, effect: np.ndarray, missing: float) -> np.ndarray:
    out = np.empty((n, len(SCORE_MEANS)))
    for j, mean in enumerate(SCORE_MEANS):
        raw = rng.normal(mean, 2.2, n) + effect
        values = np.clip(np.rint(raw), 0, 10)
        rate = 0.3 if j == len(SCORE_MEANS) - 1 else missing
        values[rng.random(n) < rate] = np.nan
        out[:, j] = values
    return out


def _impacts(rng: np.random.Generator, n: int) -> np.ndarray:
    probabilities = ([0.12, 0.39, 0.34, 0.15], [0.15, 0.39, 0.33, 0.13], [0.2, 0.44, 0.26, 0.1])
    out = np.empty((n, 3))
    for j, p in enumerate(probabilities):
        values = rng.choice([1.0, 2.0, 3.0, 4.0], size=n, p=p)
        values[rng.random(n) < 0.08] = np.nan
        out[:, j] = values
    return out


def _fmt(value: object) -> str:
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return repr(value)
    return str(value)


def _write(path: Path, columns: dict[str, np.ndarray]) -> None:
    names = list(columns)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for i in range(len(columns[names[0]])):
            writer.writerow([_fmt(columns[name][i].item()) for name in names])


def _common(rng: np.random.Generator, n: int, effect: np.ndarray) -> dict[str, np.ndarray]:
    scores = _scores(rng, n, effect, 0.05)
    impacts = _impacts(rng, n)
    y = np.round(rng.lognormal(3.0, 1.0, n), 1)
    y[rng.random(n) < 0.04] = np.nan
    z = np.round(rng.lognormal(2.0, 0.5, n), 2)
    z[rng.random(n) < 0.03] = np.nan
    columns = {f"x{j + 1}": scores[:, j] for j in range(scores.shape[1])}
    columns |= {f"i{j + 1}": impacts[:, j] for j in range(impacts.shape[1])}
    columns |= {"y": y, "z": z}
    columns["sex"] = rng.choice(np.array(["F", "H"]), size=n, p=[0.55, 0.45])
    columns["age"] = rng.choice(np.array(["18-34", "35-54", "55+"]), size=n, p=[0.2, 0.35, 0.45])
    return columns


def clustered(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """6 strata, PSUs 8/6/5/4/3/1 (the last stratum has a lonely PSU), uneven regions."""
    psus_per_stratum = (8, 6, 5, 4, 3, 1)
    stratum, psu = [], []
    number = 0
    for s, count in enumerate(psus_per_stratum, start=1):
        for _ in range(count):
            number += 1
            size = int(rng.integers(15, 45))
            stratum += [f"S{s}"] * size
            psu += [f"P{number:03d}"] * size
    n = len(stratum)
    strata = np.array(stratum)
    psus = np.array(psu)
    _, psu_code = np.unique(psus, return_inverse=True)
    effect = rng.normal(0, 0.6, psu_code.max() + 1)[psu_code]
    region = rng.choice(REGIONS[:7], size=n, p=[0.3, 0.1, 0.1, 0.15, 0.15, 0.1, 0.1])
    rare = rng.choice(n, size=9, replace=False)  # a rare region, within a few PSUs
    region[rare] = 53
    population = rng.choice(POPULATIONS, size=n, p=[0.6, 0.25, 0.15])
    population[region == 53] = "citoyens"  # empty cells region 53 x other populations
    population[(region == 24) & (population == "associations")] = "entreprises"
    w = np.round(rng.lognormal(0, 0.45, n) * (1 + np.char.count(strata, "S2")), 4) * 100
    columns = {"stratum": strata, "psu": psus, "w": w, "region": region, "population": population}
    return columns | _common(rng, n, effect)


def simple(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Weights only (each respondent its own PSU), region names with accents, zero weights."""
    n = 600
    w = np.round(rng.lognormal(0, 0.5, n), 5)
    w[[5, 77, 300]] = 0.0
    region = np.array([REGION_NAMES[r] for r in rng.choice(REGIONS, size=n)])
    return {"w": w, "region": region} | _common(rng, n, np.zeros(n))


def stratified(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Strata without clusters; stratum T9 holds a single respondent (a lonely PSU)."""
    n = 900
    strata = rng.choice(np.array([f"T{s}" for s in range(1, 9)]), size=n)
    strata[417] = "T9"
    w = np.round(rng.lognormal(1, 0.4, n), 3)
    region = rng.choice(REGIONS, size=n)
    return {"stratum": strata, "w": w, "region": region} | _common(rng, n, np.zeros(n))


def margins(columns: dict[str, np.ndarray]) -> list[tuple[str, str, float]]:
    """Region shares (sum to 1) and sex*age population totals."""
    shares = {11: 0.19, 24: 0.04, 27: 0.04, 28: 0.05, 32: 0.09, 44: 0.08, 52: 0.06, 53: 0.05}
    rest = 1.0 - sum(shares.values())
    shares[11] += rest
    rows = [("region", str(r), shares[r]) for r in REGIONS]
    totals = {
        ("F", "18-34"): 6_900_000.0, ("F", "35-54"): 8_600_000.0, ("F", "55+"): 11_200_000.0,
        ("H", "18-34"): 6_800_000.0, ("H", "35-54"): 8_300_000.0, ("H", "55+"): 9_000_000.0,
    }  # fmt: skip
    rows += [("sex*age", f"{s}*{a}", t) for (s, a), t in totals.items()]
    assert set(np.unique(columns["region"]).tolist()) == set(REGIONS.tolist())
    return rows


STATISTICS = {
    "means": [f"x{j}" for j in range(1, 7)],
    "proportions": [["i1", [3, 4]], ["i2", [3, 4]], ["i3", [4]], ["x1", [9, 10]]],
    "totals": ["y"],
    "ratios": [["y", "z"]],
    "ties_means": [f"x{j}" for j in range(1, 7)],
    "ties_proportions": {"items": ["i1", "i2", "i3"], "values": [3, 4]},
}

CASES = [
    {"name": "clustered", "data": "clustered.csv", "strata": "stratum", "psu": "psu",
     "weights": "w", "by": [[], ["region"], ["region", "population"]], "margins": None},
    {"name": "simple", "data": "simple.csv", "strata": None, "psu": None, "weights": "w",
     "by": [[], ["region"]], "margins": None},
    {"name": "stratified", "data": "stratified.csv", "strata": "stratum", "psu": None,
     "weights": "w", "by": [[], ["region"]], "margins": None},
    {"name": "raked", "data": "clustered.csv", "strata": "stratum", "psu": "psu", "weights": "w",
     "by": [[], ["region"]], "margins": "clustered_margins.csv"},
]  # fmt: skip


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20150917)
    data = {"clustered": clustered(rng), "simple": simple(rng), "stratified": stratified(rng)}
    for name, columns in data.items():
        _write(DATA / f"{name}.csv", columns)
    with (DATA / "clustered_margins.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["variable", "category", "target"])
        for variable, category, target in margins(data["clustered"]):
            writer.writerow([variable, category, repr(target)])
    cases = {"statistics": STATISTICS, "level": 0.95, "alpha": 0.05, "cases": CASES}
    (GOLDEN / "cases.json").write_text(json.dumps(cases, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
