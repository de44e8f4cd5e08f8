"""The whole chain on the generated files reproduces the published PHARE 2015 figures.

Files are read as an upload would be (the estimation engine's readers), the codebook's missing
codes are blanked, the design weights are raked to the margins file, and the estimates use the
calibrated design.  Expected values are the published ones (domain brief, section 4), to the
published precision: one decimal for scores, whole percent for shares.
"""

import numpy as np
import pytest

from alliances.observatory import estimation as est
from alliances.observatory.codebook import blank_missing_codes
from alliances.observatory.phare import load_phare_codebook
from alliances.observatory.phare.demo import data_file_name, write_demo_files

REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94")
FRAGILITIES = (
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
PUBLISHED_SCORES = {
    "frag_emploi": 7.1,
    "frag_pouvoir_achat": 6.6,
    "frag_developpement_economique": 6.5,
    "frag_securite": 6.6,
    "frag_environnement": 6.3,
    "frag_exclusion": 6.3,
}
PUBLISHED_STRONG_IMPACT = {
    "impact_emploi": 49,
    "impact_developpement_economique": 46,
    "impact_environnement": 42,
    "impact_exclusion": 36,
    "impact_education": 36,
}
PUBLISHED_INNOVATION = {"citoyens": 69, "associations": 86, "entreprises": 81}
PUBLISHED_TYPES = {
    "entreprises": {
        "types_pratiques_responsables": 45,
        "types_mecenat": 30,
        "types_cooperation_economique": 25,
        "types_innovation_societale": 16,
    },
    "associations": {
        "types_mecenat": 67,
        "types_pratiques_responsables": 29,
        "types_cooperation_economique": 26,
        "types_innovation_societale": 25,
    },
}
TIED_IN_ILE_DE_FRANCE = {
    "frag_emploi",
    "frag_securite",
    "frag_environnement",
    "frag_exclusion",
    "frag_education",
}


@pytest.fixture(scope="module")
def demo_directory(tmp_path_factory):
    directory = tmp_path_factory.mktemp("phare-chain")
    write_demo_files(directory=directory, seed=2015)
    return directory


def survey(directory, population, suffix="csv"):
    """Read, blank missing codes, rake: the data and the calibrated design."""
    codebook = load_phare_codebook(population)
    table = est.read_survey(directory / data_file_name(population, suffix))
    data = blank_missing_codes(codebook=codebook, columns=table.columns)
    margins = est.read_margins(directory / f"phare-2015-marges-{population}.csv")
    weights = data["poids"]
    result = est.rake(data, weights=weights, margins=margins, tolerance=1e-12, max_iter=1_000)
    assert result.converged, result.message
    assert np.max(np.abs(result.weights / weights - 1)) > 0.1, "raking should change the weights"
    return data, est.calibrated_design(est.SurveyDesign(weights=weights), result)


@pytest.fixture(scope="module")
def citizens(demo_directory):
    return survey(demo_directory, "citoyens")


@pytest.fixture(scope="module")
def associations(demo_directory):
    return survey(demo_directory, "associations")


@pytest.fixture(scope="module")
def companies(demo_directory):
    return survey(demo_directory, "entreprises")


def percent(value: float) -> int:
    return round(100 * value)


def by_variable(rows):
    return {row.variable: row.estimate for row in rows}


@pytest.mark.parametrize("suffix", ["csv", "sav"])
def test_citizens_fragility_scores_round_to_the_published_ones(demo_directory, suffix):
    data, design = survey(demo_directory, "citoyens", suffix)
    scores = by_variable(est.estimate(design, data, means=tuple(PUBLISHED_SCORES)))
    assert {column: round(value, 1) for column, value in scores.items()} == PUBLISHED_SCORES


def test_citizens_strong_impact_shares_round_to_the_published_ones(citizens):
    data, design = citizens
    rows = est.estimate(
        design, data, proportions=[(column, (1, 2)) for column in PUBLISHED_STRONG_IMPACT]
    )
    assert {row.variable: percent(row.estimate) for row in rows} == PUBLISHED_STRONG_IMPACT


def test_innovation_shares_round_to_the_published_ones(citizens, associations, companies):
    found = {}
    for population, (data, design) in (
        ("citoyens", citizens),
        ("associations", associations),
        ("entreprises", companies),
    ):
        (row,) = est.estimate(design, data, proportions=[("innovation", (1,))])
        found[population] = percent(row.estimate)
    assert found == PUBLISHED_INNOVATION


def test_companies_partnerships_and_first_priority(companies):
    data, design = companies
    rows = est.estimate(
        design, data, proportions=[("partenariat", (1,)), ("priorite", ("emploi",))]
    )
    assert {row.variable: percent(row.estimate) for row in rows} == {
        "partenariat": 37,
        "priorite": 61,
    }


def test_associations_partnerships_overall_and_by_employer_status(associations):
    data, design = associations
    rows = est.estimate(design, data, proportions=[("partenariat", (1,))], by=("employeur",))
    found = {str(row.by.get("employeur", "ensemble")): percent(row.estimate) for row in rows}
    assert found == {"ensemble": 38, "1": 53, "0": 35}


@pytest.mark.parametrize("population", ["entreprises", "associations"])
def test_partnership_types_round_to_the_published_ones(population, companies, associations):
    data, design = companies if population == "entreprises" else associations
    expected = PUBLISHED_TYPES[population]
    rows = est.estimate(design, data, proportions=[(column, (1,)) for column in expected])
    assert {row.variable: percent(row.estimate) for row in rows} == expected
    assert all(row.n == int(np.sum(data["partenariat"] == 1)) for row in rows)


@pytest.fixture(scope="module")
def regional_rankings(citizens):
    data, design = citizens
    rankings = est.rank_ties(
        design, data, items=FRAGILITIES, by=("region",), overall=False, alpha=0.05
    )
    return {str(ranking.by["region"]): ranking for ranking in rankings}


def test_employment_is_first_in_each_of_the_thirteen_regions(regional_rankings):
    assert sorted(regional_rankings) == sorted(REGIONS)
    firsts = {region: ranking.ranking[0].variable for region, ranking in regional_rankings.items()}
    assert set(firsts.values()) == {"frag_emploi"}, firsts


def test_five_priorities_are_tied_in_ile_de_france_and_no_other(regional_rankings):
    ile_de_france = regional_rankings["11"]
    assert set(ile_de_france.tied) == TIED_IN_ILE_DE_FRANCE
    for item in ile_de_france.ranking[1:]:
        if item.variable in TIED_IN_ILE_DE_FRANCE:
            assert item.p_holm > 0.5, item
        else:
            assert item.p_holm < 0.001, item


def test_national_ranking_puts_employment_alone_at_the_top(citizens):
    data, design = citizens
    (national,) = est.rank_ties(design, data, items=FRAGILITIES)
    assert national.ranking[0].variable == "frag_emploi"
    assert national.tied == ("frag_emploi",)
