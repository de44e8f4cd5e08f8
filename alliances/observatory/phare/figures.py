# Copyright 2026 The alliances contributors. SPDX-License-Identifier: AGPL-3.0-or-later
"""The published national PHARE 2015 figures that the demonstration data must reproduce.

Scores are published with one decimal, shares in whole percent.  Shares are computed over the
respondents who gave a valid answer (missing codes such as « ne sait pas » excluded); for the
types of partnership, that is the organisations that have at least one partnership (the
question is not asked to the others).  Everything is estimated with the raked weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from alliances.observatory.codebook import Code


@dataclass(frozen=True, kw_only=True)
class PublishedScore:
    """A weighted mean on the 0–10 scale, published with one decimal."""

    population: str
    column: str
    value: float


@dataclass(frozen=True, kw_only=True)
class PublishedShare:
    """The weighted share of `codes` among valid answers, published in whole percent.

    With `among`, the share is computed inside the group of respondents whose column
    ``among[0]`` equals ``among[1]`` (for instance associations that employ staff).
    """

    population: str
    column: str
    codes: tuple[Code, ...]
    percent: int
    among: tuple[str, Code] | None = None


CITIZENS: Final = "citoyens"
ASSOCIATIONS: Final = "associations"
COMPANIES: Final = "entreprises"

STRONG_IMPACT: Final[tuple[Code, ...]] = (1, 2)  # « très fort » and « fort »
YES: Final[tuple[Code, ...]] = (1,)

PUBLISHED_SCORES: Final = (
    PublishedScore(population=CITIZENS, column="frag_emploi", value=7.1),
    PublishedScore(population=CITIZENS, column="frag_pouvoir_achat", value=6.6),
    PublishedScore(population=CITIZENS, column="frag_developpement_economique", value=6.5),
    PublishedScore(population=CITIZENS, column="frag_securite", value=6.6),
    PublishedScore(population=CITIZENS, column="frag_environnement", value=6.3),
    PublishedScore(population=CITIZENS, column="frag_exclusion", value=6.3),
)

PUBLISHED_SHARES: Final = (
    PublishedShare(population=CITIZENS, column="impact_emploi", codes=STRONG_IMPACT, percent=49),
    PublishedShare(
        population=CITIZENS,
        column="impact_developpement_economique",
        codes=STRONG_IMPACT,
        percent=46,
    ),
    PublishedShare(
        population=CITIZENS, column="impact_environnement", codes=STRONG_IMPACT, percent=42
    ),
    PublishedShare(population=CITIZENS, column="impact_exclusion", codes=STRONG_IMPACT, percent=36),
    PublishedShare(population=CITIZENS, column="impact_education", codes=STRONG_IMPACT, percent=36),
    PublishedShare(population=CITIZENS, column="innovation", codes=YES, percent=69),
    PublishedShare(population=ASSOCIATIONS, column="innovation", codes=YES, percent=86),
    PublishedShare(population=COMPANIES, column="innovation", codes=YES, percent=81),
    PublishedShare(population=COMPANIES, column="partenariat", codes=YES, percent=37),
    PublishedShare(population=ASSOCIATIONS, column="partenariat", codes=YES, percent=38),
    PublishedShare(
        population=ASSOCIATIONS,
        column="partenariat",
        codes=YES,
        percent=53,
        among=("employeur", 1),
    ),
    PublishedShare(
        population=ASSOCIATIONS,
        column="partenariat",
        codes=YES,
        percent=35,
        among=("employeur", 0),
    ),
    PublishedShare(population=COMPANIES, column="priorite", codes=("emploi",), percent=61),
    # Types of partnership practised (multiple answers, among organisations with partnerships).
    PublishedShare(
        population=COMPANIES, column="types_pratiques_responsables", codes=YES, percent=45
    ),
    PublishedShare(population=COMPANIES, column="types_mecenat", codes=YES, percent=30),
    PublishedShare(
        population=COMPANIES, column="types_cooperation_economique", codes=YES, percent=25
    ),
    PublishedShare(
        population=COMPANIES, column="types_innovation_societale", codes=YES, percent=16
    ),
    PublishedShare(population=ASSOCIATIONS, column="types_mecenat", codes=YES, percent=67),
    PublishedShare(
        population=ASSOCIATIONS, column="types_pratiques_responsables", codes=YES, percent=29
    ),
    PublishedShare(
        population=ASSOCIATIONS, column="types_cooperation_economique", codes=YES, percent=26
    ),
    PublishedShare(
        population=ASSOCIATIONS, column="types_innovation_societale", codes=YES, percent=25
    ),
)

# Regional findings (citizens): employment first everywhere; in Île-de-France four domains are
# statistically tied with it (paired contrasts, Holm, alpha = 0.05) and the others are not.
FRAGILITY_COLUMNS: Final = (
    "frag_emploi",
    "frag_pouvoir_achat",
    "frag_developpement_economique",
    "frag_securite",
    "frag_environnement",
    "frag_exclusion",
    "frag_education",
    "frag_sante",
    "frag_logement",
)
FIRST_EVERYWHERE: Final = "frag_emploi"
ILE_DE_FRANCE: Final = "11"
TIED_IN_ILE_DE_FRANCE: Final = frozenset(
    {"frag_emploi", "frag_securite", "frag_environnement", "frag_exclusion", "frag_education"}
)
TIES_ALPHA: Final = 0.05
