# Copyright 2026 The alliances contributors. SPDX-License-Identifier: AGPL-3.0-or-later
"""Simulated respondents of PHARE 2015, before calibration to the published figures.

Each population is drawn like a quota sample: the sample over-represents some groups (older
people and retirees among citizens, employers among associations, large companies), and design
weights correct the composition only partly, with noise; raking to the margins finishes the job.
Answers follow simple latent models (a person-level tendency plus domain, region and profile
effects) so that the data look plausible beyond the published national figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from alliances.observatory.phare.margins import MarginTable

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
TextArray = npt.NDArray[np.str_]
Columns = dict[str, npt.NDArray[Any]]

REGIONS: Final = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94")
DOMAINS: Final = (
    "emploi",
    "pouvoir_achat",
    "developpement_economique",
    "securite",
    "environnement",
    "exclusion",
    "education",
    "sante",
    "logement",
)
IMPACT_DOMAINS: Final = (
    "emploi",
    "developpement_economique",
    "environnement",
    "exclusion",
    "education",
)
PARTNERSHIP_TYPES: Final = (
    "mecenat",
    "pratiques_responsables",
    "cooperation_economique",
    "innovation_societale",
)
RATING_DONT_KNOW: Final = 99
IMPACT_DONT_KNOW: Final = 9
PRIORITY_DONT_KNOW: Final = "nsp"
TEXT_DTYPE: Final = "<U32"

# Citizens: mean fragility scores before calibration.  Île-de-France has its own profile
# (employment barely ahead of four domains); elsewhere employment leads clearly.
CITIZEN_SCORES_ELSEWHERE: Final = {
    "emploi": 7.25,
    "pouvoir_achat": 6.72,
    "developpement_economique": 6.62,
    "securite": 6.5,
    "environnement": 6.15,
    "exclusion": 6.15,
    "education": 5.95,
    "sante": 6.2,
    "logement": 5.8,
}
CITIZEN_SCORES_ILE_DE_FRANCE: Final = {
    "emploi": 6.96,
    "pouvoir_achat": 6.25,
    "developpement_economique": 6.05,
    "securite": 6.91,
    "environnement": 6.9,
    "exclusion": 6.9,
    "education": 6.91,
    "sante": 5.95,
    "logement": 6.25,
}
STRONG_IMPACT_SHARES: Final = {
    "emploi": 0.49,
    "developpement_economique": 0.46,
    "environnement": 0.42,
    "exclusion": 0.36,
    "education": 0.36,
}
SAMPLE_AGE_SHARES: Final = {"18-24": 0.08, "25-34": 0.14, "35-49": 0.25, "50-64": 0.27, "65+": 0.26}
OCCUPATIONS: Final = (
    "independant",
    "cadre",
    "intermediaire",
    "employe",
    "ouvrier",
    "retraite",
    "inactif",
)
OCCUPATION_BY_AGE: Final = {
    "18-24": (0.02, 0.03, 0.12, 0.2, 0.15, 0.0, 0.48),
    "25-34": (0.05, 0.16, 0.22, 0.22, 0.17, 0.0, 0.18),
    "35-49": (0.08, 0.17, 0.2, 0.2, 0.17, 0.0, 0.18),
    "50-64": (0.07, 0.13, 0.15, 0.17, 0.12, 0.22, 0.14),
    "65+": (0.02, 0.01, 0.01, 0.02, 0.01, 0.88, 0.05),
}
# Profile effects on the 0–10 scores: (column value, domain) -> shift.
CITIZEN_PROFILE_EFFECTS: Final = {
    ("18-24", "emploi"): 0.4,
    ("18-24", "logement"): 0.5,
    ("18-24", "education"): 0.3,
    ("25-34", "logement"): 0.3,
    ("65+", "securite"): 0.6,
    ("65+", "sante"): 0.5,
    ("65+", "emploi"): -0.3,
    ("retraite", "pouvoir_achat"): 0.2,
    ("ouvrier", "pouvoir_achat"): 0.5,
    ("employe", "pouvoir_achat"): 0.4,
    ("ouvrier", "emploi"): 0.3,
    ("cadre", "environnement"): 0.5,
    ("cadre", "pouvoir_achat"): -0.5,
    ("F", "sante"): 0.3,
    ("F", "education"): 0.25,
    ("F", "exclusion"): 0.2,
}

COMPANY_SIZES: Final = ("10-49", "50-249", "250-4999", "5000+")
COMPANY_SAMPLE_SHARES: Final = (0.5, 0.28, 0.16, 0.06)
COMPANY_SECTORS: Final = ("industrie", "construction", "commerce", "services")
COMPANY_SECTOR_SHARES: Final = {
    "10-49": (0.17, 0.17, 0.3, 0.36),
    "50-249": (0.26, 0.1, 0.26, 0.38),
    "250-4999": (0.3, 0.06, 0.24, 0.4),
    "5000+": (0.32, 0.05, 0.23, 0.4),
}
COMPANY_PARTNERSHIP: Final = {"10-49": 0.33, "50-249": 0.5, "250-4999": 0.64, "5000+": 0.8}
COMPANY_TYPES: Final = (0.3, 0.45, 0.25, 0.16)  # same order as PARTNERSHIP_TYPES
COMPANY_PRIORITIES: Final = (0.61, 0.06, 0.12, 0.04, 0.06, 0.05, 0.03, 0.02, 0.01)
ASSOCIATION_EMPLOYER_SAMPLE_SHARE: Final = 0.35
ASSOCIATION_PARTNERSHIP: Final = {1: 0.53, 0: 0.35}
ASSOCIATION_TYPES: Final = (0.67, 0.29, 0.26, 0.25)


def sigmoid(value: FloatArray) -> FloatArray:
    result: FloatArray = 1 / (1 + np.exp(-value))
    return result


def logit(share: float) -> float:
    return math.log(share / (1 - share))


def allocate(*, total: int, sizes: Mapping[str, float], minimum: int = 0) -> dict[str, int]:
    """Split `total` proportionally to `sizes` (largest remainders), each at least `minimum`."""
    floors = dict.fromkeys(sizes, minimum)
    rest = total - minimum * len(sizes)
    scale = sum(sizes.values())
    raw = {key: rest * size / scale for key, size in sizes.items()}
    counts = {key: floors[key] + math.floor(value) for key, value in raw.items()}
    remainder = total - sum(counts.values())
    order = sorted(raw, key=lambda key: (-(raw[key] - math.floor(raw[key])), key))
    for key in order[:remainder]:
        counts[key] += 1
    return counts


def margin_totals(margin: MarginTable) -> dict[tuple[str, ...], float]:
    return dict(margin.targets)


def design_weights(
    *, rng: np.random.Generator, strata: Sequence[str], totals: Mapping[str, float], spread: float
) -> FloatArray:
    """Expansion weights per stratum (population / sample) with log-normal quota noise."""
    labels = np.array(strata)
    weights = np.empty(labels.size, dtype=np.float64)
    for stratum, total in totals.items():
        rows = labels == stratum
        weights[rows] = total / rows.sum()
    noise = np.exp(rng.normal(0.0, spread, labels.size) - spread**2 / 2)
    return np.round(weights * noise, 4)


def identifiers(prefix: str, n: int) -> TextArray:
    return np.array([f"{prefix}{index:05d}" for index in range(1, n + 1)], dtype=TEXT_DTYPE)


def draw_codes(
    rng: np.random.Generator, codes: Sequence[str], shares: Sequence[float], n: int
) -> TextArray:
    probabilities = np.array(shares, dtype=np.float64)
    return np.array(codes, dtype=TEXT_DTYPE)[
        rng.choice(len(codes), size=n, p=probabilities / probabilities.sum())
    ]


# --------------------------------------------------------------------------- citizens


def draw_citizens(
    *, rng: np.random.Generator, n: int, margins: Sequence[MarginTable]
) -> tuple[Columns, FloatArray]:
    region_sex = margin_totals(margins[0])
    adults = {region: region_sex[(region, "F")] + region_sex[(region, "M")] for region in REGIONS}
    per_region = allocate(total=n, sizes=adults, minimum=20)
    region = rng.permutation(
        np.array([r for r in REGIONS for _ in range(per_region[r])], dtype=TEXT_DTYPE)
    )
    sex = draw_codes(rng, ("F", "M"), (0.55, 0.45), n)
    age = draw_codes(rng, tuple(SAMPLE_AGE_SHARES), tuple(SAMPLE_AGE_SHARES.values()), n)
    occupation = np.empty(n, dtype=TEXT_DTYPE)
    for band, shares in OCCUPATION_BY_AGE.items():
        rows = age == band
        occupation[rows] = draw_codes(rng, OCCUPATIONS, shares, int(rows.sum()))
    weights = design_weights(rng=rng, strata=list(region), totals=adults, spread=0.3)
    columns: Columns = {
        "id_repondant": identifiers("C", n),
        "region": region,
        "sexe": sex,
        "age": age,
        "pcs": occupation,
    }
    person = rng.normal(0.0, 1.0, n)
    region_shift = {(r, d): rng.normal(0.0, 0.1) for r in REGIONS if r != "11" for d in DOMAINS}
    for domain in DOMAINS:
        mean = np.array(
            [
                CITIZEN_SCORES_ILE_DE_FRANCE[domain]
                if r == "11"
                else CITIZEN_SCORES_ELSEWHERE[domain] + region_shift[(r, domain)]
                for r in region
            ]
        )
        for (profile, effect_domain), shift in CITIZEN_PROFILE_EFFECTS.items():
            if effect_domain == domain:
                mean += shift * ((age == profile) | (occupation == profile) | (sex == profile))
        latent = mean + person + rng.normal(0.0, 1.6, n)
        scores = np.clip(np.rint(latent), 0, 10).astype(np.int64)
        scores[rng.random(n) < 0.01] = RATING_DONT_KNOW  # noqa: PLR2004 - 1 % don't know
        columns[f"frag_{domain}"] = scores
    optimism = rng.normal(0.0, 1.0, n)
    for domain in IMPACT_DOMAINS:
        strong = rng.random(n) < sigmoid(logit(STRONG_IMPACT_SHARES[domain]) + 0.6 * optimism)
        very = rng.random(n) < 0.3  # noqa: PLR2004 - a third of strong answers are "very"
        weak = rng.random(n) < 0.75  # noqa: PLR2004 - most other answers are "weak"
        answers = np.where(strong, np.where(very, 1, 2), np.where(weak, 3, 4)).astype(np.int64)
        answers[rng.random(n) < 0.05] = IMPACT_DONT_KNOW  # noqa: PLR2004 - 5 % don't know
        columns[f"impact_{domain}"] = answers
    young = (age == "18-24") | (age == "25-34")
    innovation = rng.random(n) < sigmoid(logit(0.69) + 0.5 * optimism + 0.3 * young)
    columns["innovation"] = innovation.astype(np.int64)
    columns["poids"] = weights
    return columns, weights


# --------------------------------------------------------------------------- companies


def draw_companies(
    *, rng: np.random.Generator, n: int, margins: Sequence[MarginTable]
) -> tuple[Columns, FloatArray]:
    cells = margin_totals(margins[0])
    by_size = allocate(total=n, sizes=dict(zip(COMPANY_SIZES, COMPANY_SAMPLE_SHARES, strict=True)))
    regions: list[str] = []
    sizes: list[str] = []
    for size_class in COMPANY_SIZES:
        in_size = {r: cells[(r, size_class)] for r in REGIONS if (r, size_class) in cells}
        counts = allocate(total=by_size[size_class], sizes=in_size, minimum=1)
        for region_code, count in counts.items():
            kept = min(count, int(in_size[region_code]))
            regions += [region_code] * kept
            sizes += [size_class] * kept
    total_n = len(regions)
    order = rng.permutation(total_n)
    regions = [regions[i] for i in order]
    sizes = [sizes[i] for i in order]
    size = np.array(sizes, dtype=TEXT_DTYPE)
    size_totals = {
        size_class: sum(total for (_, cell_size), total in cells.items() if cell_size == size_class)
        for size_class in COMPANY_SIZES
    }
    weights = design_weights(rng=rng, strata=sizes, totals=size_totals, spread=0.25)
    sector = np.empty(total_n, dtype=TEXT_DTYPE)
    for size_class, shares in COMPANY_SECTOR_SHARES.items():
        rows = size == size_class
        sector[rows] = draw_codes(rng, COMPANY_SECTORS, shares, int(rows.sum()))
    partnership_share = np.array([COMPANY_PARTNERSHIP[size_class] for size_class in sizes])
    columns: Columns = {
        "id_repondant": identifiers("E", total_n),
        "region": np.array(regions, dtype=TEXT_DTYPE),
        "taille": size,
        "secteur": sector,
        "partenariat": (rng.random(total_n) < partnership_share).astype(np.int64),
        "innovation": (rng.random(total_n) < 0.81).astype(np.int64),  # noqa: PLR2004
    }
    priority = draw_codes(rng, DOMAINS, COMPANY_PRIORITIES, total_n)
    priority[rng.random(total_n) < 0.03] = PRIORITY_DONT_KNOW  # noqa: PLR2004 - 3 % don't know
    columns["priorite"] = priority
    columns["poids"] = weights
    return columns, weights


# --------------------------------------------------------------------------- associations


def draw_associations(
    *, rng: np.random.Generator, n: int, margins: Sequence[MarginTable]
) -> tuple[Columns, FloatArray]:
    cells = margin_totals(margins[0])
    employers = round(n * ASSOCIATION_EMPLOYER_SAMPLE_SHARE)
    regions: list[str] = []
    statuses: list[int] = []
    for status, count in ((1, employers), (0, n - employers)):
        in_status = {r: cells[(r, str(status))] for r in REGIONS}
        for region_code, cell_count in allocate(total=count, sizes=in_status, minimum=3).items():
            regions += [region_code] * cell_count
            statuses += [status] * cell_count
    order = rng.permutation(len(regions))
    regions = [regions[i] for i in order]
    statuses = [statuses[i] for i in order]
    employer = np.array(statuses, dtype=np.int64)
    status_totals = {str(s): sum(t for (_, cs), t in cells.items() if cs == str(s)) for s in (0, 1)}
    weights = design_weights(
        rng=rng, strata=[str(s) for s in statuses], totals=status_totals, spread=0.25
    )
    share = np.array([ASSOCIATION_PARTNERSHIP[s] for s in statuses])
    columns: Columns = {
        "id_repondant": identifiers("A", n),
        "region": np.array(regions, dtype=TEXT_DTYPE),
        "employeur": employer,
        "partenariat": (rng.random(n) < share).astype(np.int64),
        "innovation": (rng.random(n) < 0.86).astype(np.int64),  # noqa: PLR2004
        "poids": weights,
    }
    return columns, weights


def draw_partnership_types(
    *, rng: np.random.Generator, partnership: IntArray, shares: Sequence[float]
) -> dict[str, FloatArray]:
    """Types practised (0/1), asked only to organisations with a partnership (NaN otherwise).

    Every organisation with a partnership cites at least one type.
    """
    n = partnership.size
    draw = _share_before_fallback(np.array(shares, dtype=np.float64))
    cited = rng.random((n, len(shares))) < draw
    none = ~cited.any(axis=1)
    fallback = rng.choice(len(shares), size=n, p=draw / draw.sum())
    cited[np.flatnonzero(none), fallback[none]] = True
    asked = partnership == 1
    return {
        f"types_{kind}": np.where(asked, cited[:, index].astype(np.float64), np.nan)
        for index, kind in enumerate(PARTNERSHIP_TYPES)
    }


def _share_before_fallback(shares: FloatArray) -> FloatArray:
    """Citation probabilities that give the wanted shares once the fallback is applied.

    Each type is cited with probability q; organisations citing none get one type drawn in
    proportion to q.  The fixed point makes the expected share of each type the wanted one.
    """
    draw = shares.copy()
    for _ in range(200):
        cite_none = float(np.prod(1 - draw))
        draw = np.clip(shares - cite_none * draw / draw.sum(), 0.01, 0.99)
    return draw


# --------------------------------------------------------------------------- organisations' views

# Organisations rate the same nine fragilities and five impacts as citizens (the « regard
# croisé »).  These answers are drawn after the calibration, from a generator of their own,
# so that they leave every calibrated column untouched.  Mean scores before profile effects:
# companies put employment and the economy first and see less insecurity and environmental
# fragility than citizens; associations put exclusion and the social domains first and the
# economy last.  Both agree with citizens on employment's high rank.
COMPANY_SCORES: Final = {
    "emploi": 6.9,
    "pouvoir_achat": 5.9,
    "developpement_economique": 6.8,
    "securite": 5.25,
    "environnement": 5.25,
    "exclusion": 5.55,
    "education": 5.9,
    "sante": 5.6,
    "logement": 5.2,
}
ASSOCIATION_SCORES: Final = {
    "emploi": 6.75,
    "pouvoir_achat": 6.5,
    "developpement_economique": 5.75,
    "securite": 5.85,
    "environnement": 6.15,
    "exclusion": 7.25,
    "education": 6.9,
    "sante": 6.75,
    "logement": 6.7,
}
# Regional specificities, (region, domain) -> shift, large enough for a region-vs-rest
# contrast to find them: insecurity and housing for companies in Île-de-France, employment
# in Hauts-de-France; exclusion in Hauts-de-France and housing in Île-de-France for
# associations.
COMPANY_REGION_EFFECTS: Final = {
    ("11", "securite"): 1.1,
    ("11", "logement"): 0.9,
    ("32", "emploi"): 0.8,
}
ASSOCIATION_REGION_EFFECTS: Final = {
    ("32", "exclusion"): 1.1,
    ("11", "logement"): 0.9,
}
# Profile effects, (column, code, domain) -> shift.
COMPANY_PROFILE_EFFECTS: Final = {
    ("secteur", "construction", "logement"): 0.8,
    ("secteur", "industrie", "environnement"): 0.5,
    ("secteur", "industrie", "emploi"): 0.3,
    ("secteur", "commerce", "securite"): 0.6,
    ("taille", "250-4999", "environnement"): 0.4,
    ("taille", "5000+", "environnement"): 0.6,
    ("taille", "10-49", "developpement_economique"): 0.2,
}
ASSOCIATION_PROFILE_EFFECTS: Final = {
    ("employeur", "1", "emploi"): 0.4,
    ("employeur", "1", "pouvoir_achat"): 0.2,
    ("partenariat", "1", "developpement_economique"): 0.3,
}
PRIORITY_EFFECT: Final = 0.8  # companies rate their own first priority domain higher
# Shares of « très fort » or « fort » impact answers, before the organisation's optimism
# (associations more optimistic than citizens, above all on exclusion and education).
COMPANY_STRONG_IMPACT: Final = {
    "emploi": 0.55,
    "developpement_economique": 0.58,
    "environnement": 0.44,
    "exclusion": 0.4,
    "education": 0.38,
}
ASSOCIATION_STRONG_IMPACT: Final = {
    "emploi": 0.5,
    "developpement_economique": 0.44,
    "environnement": 0.48,
    "exclusion": 0.55,
    "education": 0.52,
}


@dataclass(frozen=True, kw_only=True)
class ViewModel:
    """How one population of organisations rates fragilities and partnership impacts."""

    scores: Mapping[str, float]
    region_effects: Mapping[tuple[str, str], float]
    profile_effects: Mapping[tuple[str, str, str], float]
    strong_impact: Mapping[str, float]


COMPANY_VIEWS: Final = ViewModel(
    scores=COMPANY_SCORES,
    region_effects=COMPANY_REGION_EFFECTS,
    profile_effects=COMPANY_PROFILE_EFFECTS,
    strong_impact=COMPANY_STRONG_IMPACT,
)
ASSOCIATION_VIEWS: Final = ViewModel(
    scores=ASSOCIATION_SCORES,
    region_effects=ASSOCIATION_REGION_EFFECTS,
    profile_effects=ASSOCIATION_PROFILE_EFFECTS,
    strong_impact=ASSOCIATION_STRONG_IMPACT,
)


def draw_company_views(*, rng: np.random.Generator, columns: Columns) -> Columns:
    """Companies' fragility ratings and impact answers (``frag_*``, ``impact_*``)."""
    return _draw_views(rng=rng, columns=columns, model=COMPANY_VIEWS)


def draw_association_views(*, rng: np.random.Generator, columns: Columns) -> Columns:
    """Associations' fragility ratings and impact answers (``frag_*``, ``impact_*``)."""
    return _draw_views(rng=rng, columns=columns, model=ASSOCIATION_VIEWS)


def _draw_views(*, rng: np.random.Generator, columns: Columns, model: ViewModel) -> Columns:
    """Ratings from an organisation-level tendency plus domain, region and profile effects.

    Impact answers follow an organisation-level optimism, stronger among organisations that
    have a partnership or see partnerships as a source of innovation.  About 1 % of ratings
    and 5 % of impact answers are « ne sait pas ».
    """
    region = columns["region"]
    n = region.size
    texts = {column: columns[column].astype(str) for column, _, _ in model.profile_effects}
    priority = columns.get("priorite")
    views: Columns = {}
    tendency = rng.normal(0.0, 0.8, n)
    region_shift = {(r, d): rng.normal(0.0, 0.12) for r in REGIONS for d in DOMAINS}
    for domain in DOMAINS:
        mean = np.array(
            [
                model.scores[domain]
                + region_shift[(r, domain)]
                + model.region_effects.get((r, domain), 0.0)
                for r in region.tolist()
            ]
        )
        for (column, code, effect_domain), shift in model.profile_effects.items():
            if effect_domain == domain:
                mean += shift * (texts[column] == code)
        if priority is not None:
            mean += PRIORITY_EFFECT * (priority == domain)
        latent = mean + tendency + rng.normal(0.0, 1.5, n)
        scores = np.clip(np.rint(latent), 0, 10).astype(np.int64)
        scores[rng.random(n) < 0.01] = RATING_DONT_KNOW  # noqa: PLR2004 - 1 % don't know
        views[f"frag_{domain}"] = scores
    involvement = 0.4 * (columns["partenariat"] - columns["partenariat"].mean())
    involvement += 0.4 * (columns["innovation"] - columns["innovation"].mean())
    optimism = rng.normal(0.0, 1.0, n)
    for domain in IMPACT_DOMAINS:
        drive = logit(model.strong_impact[domain]) + 0.6 * optimism + involvement
        strong = rng.random(n) < sigmoid(drive)
        very = rng.random(n) < 0.3  # noqa: PLR2004 - a third of strong answers are "very"
        weak = rng.random(n) < 0.75  # noqa: PLR2004 - most other answers are "weak"
        answers = np.where(strong, np.where(very, 1, 2), np.where(weak, 3, 4)).astype(np.int64)
        answers[rng.random(n) < 0.05] = IMPACT_DONT_KNOW  # noqa: PLR2004 - 5 % don't know
        views[f"impact_{domain}"] = answers
    return views
