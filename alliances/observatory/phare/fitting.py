# Copyright 2026 The alliances contributors. SPDX-License-Identifier: AGPL-3.0-or-later
"""Fitting simulated PHARE answers to the published figures, and checking that they fit.

Each ``calibrate_<population>`` function nudges answers (see `calibration.Nudger`) with the
raked weights until the published national figures of `figures` are reproduced with a safety
margin inside their rounding interval; for citizens it also shapes the regional findings
(employment first in every region, the Île-de-France tie set).  `published_mismatches` lists
what does not fit yet; the generator refuses to return data for which it is not empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from alliances.observatory.codebook import Code
from alliances.observatory.phare import figures
from alliances.observatory.phare.calibration import (
    CalibrationError,
    FloatArray,
    Nudger,
    paired_z,
    weighted_mean,
    weighted_share,
)
from alliances.observatory.phare.populations import (
    ASSOCIATION_TYPES,
    COMPANY_TYPES,
    DOMAINS,
    IMPACT_DONT_KNOW,
    PRIORITY_DONT_KNOW,
    RATING_DONT_KNOW,
    REGIONS,
    Columns,
    draw_partnership_types,
)

SCORE_TOLERANCE: Final = 0.01  # published 1 decimal: the rounding interval is +/- 0.05
SHARE_TOLERANCE: Final = 0.001  # published whole percent: the interval is +/- 0.005
LEAD_EVERYWHERE: Final = 0.08  # employment ahead of every other domain in each region
ILE_DE_FRANCE_LEAD: Final = (6.95, 6.97)  # employment's mean in Île-de-France
TIE_GAP: Final = (0.03, 0.06)  # employment minus a tied domain, in Île-de-France
CLEAR_GAP: Final = 0.65  # employment minus an untied domain, at least, in Île-de-France
TIE_MAX_Z: Final = 1.2  # |z| of a tied contrast stays far from significance
CLEAR_MIN_Z: Final = 4.5  # z of an untied contrast stays far from a tie after Holm
MAX_PASSES: Final = 60
COMFORTABLE_LEAD: Final = 0.25  # regions where national nudges may move answers
# The overall share of associations with partnerships (38 %) is not nudged: it follows from the
# employers' (53 %) and non-employers' (35 %) shares, which are aimed high enough within their
# own rounding intervals for the overall share to round to 38 % with 13 % of employers.
SHARE_WINDOWS: Final[dict[tuple[str, str, tuple[str, Code] | None], tuple[float, float]]] = {
    ("associations", "partenariat", ("employeur", 1)): (0.5323, 0.5337),
    ("associations", "partenariat", ("employeur", 0)): (0.3531, 0.3539),
}


def _valid_rating(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    return np.asarray(values != RATING_DONT_KNOW)


def _rating_mean(columns: Columns, column: str, weights: FloatArray, rows: Any) -> float:
    values = columns[column]
    return weighted_mean(values=values, weights=weights, rows=rows & _valid_rating(values))


def calibrate_citizens(*, columns: Columns, nudger: Nudger) -> None:
    weights = nudger.weights
    region = columns["region"]
    everyone = np.ones(region.size, dtype=bool)
    idf = region == figures.ILE_DE_FRANCE
    elsewhere = ~idf
    for _ in range(MAX_PASSES):
        _shape_ile_de_france(columns=columns, nudger=nudger, idf=idf)
        leads = regional_leads(columns=columns, weights=weights)
        comfortable = elsewhere & np.isin(
            region, [r for r, lead in leads.items() if lead > COMFORTABLE_LEAD]
        )
        for score in figures.PUBLISHED_SCORES:
            values = columns[score.column]
            nudger.mean_into(
                values=values,
                valid=_valid_rating(values),
                rows=everyone,
                movable=comfortable,
                window=(score.value - SCORE_TOLERANCE, score.value + SCORE_TOLERANCE),
                bounds=(0, 10),
                label=score.column,
            )
        for region_code, lead in regional_leads(columns=columns, weights=weights).items():
            if region_code == figures.ILE_DE_FRANCE or lead >= LEAD_EVERYWHERE:
                continue
            rows = region == region_code
            runner_up = _rating_mean(columns, figures.FIRST_EVERYWHERE, weights, rows) - lead
            values = columns[figures.FIRST_EVERYWHERE]
            nudger.mean_into(
                values=values,
                valid=_valid_rating(values),
                rows=rows,
                window=(runner_up + LEAD_EVERYWHERE + 0.02, runner_up + LEAD_EVERYWHERE + 0.12),
                bounds=(0, 10),
                label=f"{figures.FIRST_EVERYWHERE} in {region_code}",
            )
        if not published_mismatches(population="citoyens", columns=columns, weights=weights):
            break
    _calibrate_shares(population="citoyens", columns=columns, nudger=nudger)


def _shape_ile_de_france(*, columns: Columns, nudger: Nudger, idf: Any) -> None:
    weights = nudger.weights
    lead = columns[figures.FIRST_EVERYWHERE]
    nudger.mean_into(
        values=lead,
        valid=_valid_rating(lead),
        rows=idf,
        window=ILE_DE_FRANCE_LEAD,
        bounds=(0, 10),
        label="employment in Île-de-France",
    )
    top = _rating_mean(columns, figures.FIRST_EVERYWHERE, weights, idf)
    for column in figures.FRAGILITY_COLUMNS:
        if column == figures.FIRST_EVERYWHERE:
            continue
        values = columns[column]
        if column in figures.TIED_IN_ILE_DE_FRANCE:
            window = (top - TIE_GAP[1], top - TIE_GAP[0])
        elif _rating_mean(columns, column, weights, idf) > top - CLEAR_GAP:
            window = (top - CLEAR_GAP - 0.25, top - CLEAR_GAP - 0.05)
        else:
            continue
        nudger.mean_into(
            values=values,
            valid=_valid_rating(values),
            rows=idf,
            window=window,
            bounds=(0, 10),
            label=f"{column} in Île-de-France",
        )


def regional_leads(*, columns: Columns, weights: FloatArray) -> dict[str, float]:
    """Per region: employment's mean minus the best other domain's mean."""
    leads: dict[str, float] = {}
    for region_code in REGIONS:
        rows = columns["region"] == region_code
        first = _rating_mean(columns, figures.FIRST_EVERYWHERE, weights, rows)
        others = [
            _rating_mean(columns, column, weights, rows)
            for column in figures.FRAGILITY_COLUMNS
            if column != figures.FIRST_EVERYWHERE
        ]
        leads[region_code] = first - max(others)
    return leads


def calibrate_associations(*, columns: Columns, nudger: Nudger) -> None:
    _calibrate_shares(population="associations", columns=columns, nudger=nudger, only="partenariat")
    columns.update(
        draw_partnership_types(
            rng=nudger.rng, partnership=columns["partenariat"], shares=ASSOCIATION_TYPES
        )
    )
    _calibrate_shares(population="associations", columns=columns, nudger=nudger)
    _fit_partnership_types(population="associations", columns=columns, nudger=nudger)


def calibrate_companies(*, columns: Columns, nudger: Nudger) -> None:
    _calibrate_shares(population="entreprises", columns=columns, nudger=nudger, only="partenariat")
    columns.update(
        draw_partnership_types(
            rng=nudger.rng, partnership=columns["partenariat"], shares=COMPANY_TYPES
        )
    )
    _calibrate_shares(population="entreprises", columns=columns, nudger=nudger)
    _fit_partnership_types(population="entreprises", columns=columns, nudger=nudger)


def _calibrate_shares(
    *, population: str, columns: Columns, nudger: Nudger, only: str | None = None
) -> None:
    shares = [
        share
        for share in figures.PUBLISHED_SHARES
        if share.population == population and only in (None, share.column)
    ]
    everyone = np.ones(len(columns["region"]), dtype=bool)
    # The overall share of associations with partnerships follows from the shares of employers
    # and non-employers: it is checked, not nudged.
    shares = [
        share
        for share in shares
        if not (population == "associations" and share.column == "partenariat" and not share.among)
    ]
    for share in shares:
        values = columns[share.column]
        rows = everyone if share.among is None else columns[share.among[0]] == share.among[1]
        target = share.percent / 100
        window = SHARE_WINDOWS.get(
            (population, share.column, share.among),
            (target - SHARE_TOLERANCE, target + SHARE_TOLERANCE),
        )
        if share.column.startswith("types_"):
            continue
        raise_from, lower_from, valid = _recodings(share.column, values)
        nudger.share_into(
            values=values,
            valid=valid,
            rows=rows,
            codes=share.codes,
            window=window,
            raise_from=raise_from,
            lower_from=lower_from,
            label=share.column,
        )


def _fit_partnership_types(*, population: str, columns: Columns, nudger: Nudger) -> None:
    """Bring the shares of the partnership types to the published ones.

    Every organisation with a partnership keeps at least one type: a type is withdrawn only
    from organisations citing several.  When too few do, some organisations citing only an
    over-represented type switch to the most under-represented one.
    """
    shares = [
        share
        for share in figures.PUBLISHED_SHARES
        if share.population == population and share.column.startswith("types_")
    ]
    asked = columns["partenariat"] == 1
    windows = {
        share.column: (share.percent / 100 - SHARE_TOLERANCE, share.percent / 100 + SHARE_TOLERANCE)
        for share in shares
    }

    def current(column: str) -> float:
        return weighted_share(
            values=columns[column], codes=(1,), weights=nudger.weights, rows=asked
        )

    for _ in range(MAX_PASSES):
        for column, window in windows.items():
            values = columns[column]
            cited = np.nansum(np.column_stack([columns[c] for c in windows]), axis=1)
            try:
                nudger.share_into(
                    values=values,
                    valid=asked,
                    rows=asked,
                    codes=(1,),
                    window=window,
                    raise_from={0: (1,)},
                    lower_from={1: (0,)},
                    movable_down=cited >= 2,  # noqa: PLR2004 - keep at least one type cited
                    label=column,
                )
            except CalibrationError:
                _switch_single_type(
                    columns=columns,
                    nudger=nudger,
                    column=column,
                    excess=current(column) - sum(window) / 2,
                    deficits={c: sum(w) / 2 - current(c) for c, w in windows.items()},
                    asked=asked,
                )
        if all(low <= current(c) <= high for c, (low, high) in windows.items()):
            return
    raise CalibrationError(f"{population}: could not fit the shares of partnership types")


def _switch_single_type(
    *,
    columns: Columns,
    nudger: Nudger,
    column: str,
    excess: float,
    deficits: Mapping[str, float],
    asked: npt.NDArray[np.bool_],
) -> None:
    other = max((c for c in deficits if c != column), key=lambda c: deficits[c])
    names = list(deficits)
    cited = np.nansum(np.column_stack([columns[c] for c in names]), axis=1)
    single = np.flatnonzero(asked & (columns[column] == 1) & (cited == 1))
    total = float(np.sum(nudger.weights[asked]))
    removed = 0.0
    for row in single[nudger.rng.permutation(single.size)]:
        if removed >= excess:
            break
        columns[column][row] = 0.0
        columns[other][row] = 1.0
        removed += float(nudger.weights[row]) / total


def _recodings(
    column: str, values: npt.NDArray[Any]
) -> tuple[dict[Any, tuple[Any, ...]], dict[Any, tuple[Any, ...]], npt.NDArray[np.bool_]]:
    if column.startswith("impact_"):
        return {3: (2,)}, {2: (3,)}, np.asarray(values != IMPACT_DONT_KNOW)
    if column == "priorite":
        others = tuple(domain for domain in DOMAINS if domain != "emploi")
        return (
            dict.fromkeys(others, ("emploi",)),
            {"emploi": others},
            np.asarray(values != PRIORITY_DONT_KNOW),
        )
    return {0: (1,)}, {1: (0,)}, np.ones(values.size, dtype=bool)


# --------------------------------------------------------------------------- checking


def published_mismatches(
    *, population: str, columns: Mapping[str, npt.NDArray[Any]], weights: FloatArray
) -> list[str]:
    """What does not yet round to the published figures (empty when everything does).

    Figures are checked with a safety margin inside their rounding interval so that another
    raking implementation, converging to the same weights within 1e-9, rounds the same way.
    """
    problems: list[str] = []
    everyone = np.ones(weights.size, dtype=bool)
    for score in figures.PUBLISHED_SCORES:
        if score.population != population or score.column not in columns:
            continue
        values = columns[score.column]
        mean = weighted_mean(values=values, weights=weights, rows=_valid_rating(values))
        if abs(mean - score.value) > SCORE_TOLERANCE + 1e-9:
            problems.append(f"{score.column} = {mean:.4f}, published {score.value}")
    for share in figures.PUBLISHED_SHARES:
        if share.population != population or share.column not in columns:
            continue
        values = columns[share.column]
        rows = everyone if share.among is None else columns[share.among[0]] == share.among[1]
        if values.dtype.kind == "f":
            valid = ~np.isnan(values)
        else:
            valid = _recodings(share.column, values)[2]
        value = weighted_share(values=values, codes=share.codes, weights=weights, rows=rows & valid)
        if abs(value * 100 - share.percent) > 0.4:  # noqa: PLR2004 - margin inside 0.5
            problems.append(f"{share.column} = {value:.4%}, published {share.percent} %")
    if population == "citoyens" and "frag_emploi" in columns:
        problems += _regional_mismatches(columns=columns, weights=weights)
    return problems


def _regional_mismatches(
    *, columns: Mapping[str, npt.NDArray[Any]], weights: FloatArray
) -> list[str]:
    problems = [
        f"employment not first in region {region_code} (lead {lead:.3f})"
        for region_code, lead in regional_leads(columns=dict(columns), weights=weights).items()
        if lead <= 0.01  # noqa: PLR2004 - a visible lead, not a rounding artefact
    ]
    idf = columns["region"] == figures.ILE_DE_FRANCE

    def as_float(column: str) -> FloatArray:
        values = columns[column].astype(np.float64)
        return np.where(values == RATING_DONT_KNOW, np.nan, values)

    top = as_float(figures.FIRST_EVERYWHERE)
    for column in figures.FRAGILITY_COLUMNS:
        if column == figures.FIRST_EVERYWHERE:
            continue
        # The contrast uses the respondents who rated both domains, so its sign may differ from
        # the difference of the two means when both are close: only its size matters here.
        _, z = paired_z(first=top, second=as_float(column), weights=weights, rows=idf)
        tied = column in figures.TIED_IN_ILE_DE_FRANCE
        if tied and abs(z) > TIE_MAX_Z:
            problems.append(f"{column} not clearly tied in Île-de-France (z = {z:.2f})")
        if not tied and z < CLEAR_MIN_Z:
            problems.append(f"{column} not clearly below employment in Île-de-France (z={z:.2f})")
    return problems
