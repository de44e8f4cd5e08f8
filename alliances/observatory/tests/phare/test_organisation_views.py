"""Companies and associations rate the fragilities and impacts like citizens (« regard croisé »).

The organisations' views are drawn after the calibration, from their own random stream: they
must exist, be plausible, differ from citizens' in places (so that the cross-view shows both
agreement and disagreement) and leave every calibrated answer as it was.
"""

import numpy as np
import pyreadstat
import pytest

from alliances.observatory import estimation as est
from alliances.observatory.codebook import blank_missing_codes
from alliances.observatory.phare import POPULATIONS
from alliances.observatory.phare import demo as demo_module
from alliances.observatory.phare.demo import data_file_name, dataset_csv, generate, write_demo_files
from alliances.observatory.phare.populations import DOMAINS, IMPACT_DOMAINS

ORGANISATIONS = ("entreprises", "associations")
FRAGILITIES = tuple(f"frag_{domain}" for domain in DOMAINS)
IMPACTS = tuple(f"impact_{domain}" for domain in IMPACT_DOMAINS)
STRONG = (1, 2)


@pytest.fixture(scope="module")
def datasets():
    return generate(seed=2015)


@pytest.fixture(scope="module")
def raked(datasets):
    """Per population: the columns with missing codes blanked and the raked design."""
    out = {}
    for population, dataset in datasets.items():
        data = blank_missing_codes(codebook=dataset.codebook, columns=dataset.columns)
        margins = [
            est.Margin(variables=table.variables, targets=dict(table.targets))
            for table in dataset.margins
        ]
        result = est.rake(
            data, weights=data["poids"], margins=margins, tolerance=1e-12, max_iter=1_000
        )
        out[population] = (
            est.calibrated_design(est.SurveyDesign(weights=data["poids"]), result),
            data,
        )
    return out


def national_mean(raked, population, column):
    design, data = raked[population]
    (row,) = est.estimate(design, data, means=(column,))
    return row.estimate


def strong_share(raked, population, column):
    design, data = raked[population]
    (row,) = est.estimate(design, data, proportions=[(column, STRONG)])
    return row.estimate


@pytest.mark.parametrize("population", ORGANISATIONS)
def test_organisations_rate_every_domain_and_impact_with_some_dont_know(datasets, population):
    columns = datasets[population].columns
    ratings = np.column_stack([columns[column] for column in FRAGILITIES])
    impacts = np.column_stack([columns[column] for column in IMPACTS])
    valid_ratings = ratings[ratings != 99]
    assert set(np.unique(valid_ratings).tolist()) <= set(range(11))
    assert np.ptp(valid_ratings) >= 8  # the whole scale is used, not a constant
    assert 0.005 < np.mean(ratings == 99) < 0.02
    assert set(np.unique(impacts).tolist()) == {1, 2, 3, 4, 9}
    assert 0.03 < np.mean(impacts == 9) < 0.07


def test_organisation_views_leave_the_calibrated_answers_unchanged(datasets, monkeypatch):
    def blank_views(*, rng, columns):
        n = columns["region"].size
        return {column: np.zeros(n, dtype=np.int64) for column in (*FRAGILITIES, *IMPACTS)}

    monkeypatch.setattr(demo_module, "VIEW_DRAWERS", dict.fromkeys(ORGANISATIONS, blank_views))
    without = generate(seed=2015)
    assert dataset_csv(without["citoyens"]) == dataset_csv(datasets["citoyens"])
    for population in ORGANISATIONS:
        assert not without[population].columns["frag_emploi"].any()
        for column, values in without[population].columns.items():
            if column not in FRAGILITIES + IMPACTS:
                assert np.array_equal(
                    datasets[population].columns[column],
                    values,
                    equal_nan=values.dtype.kind == "f",
                ), (population, column)


def test_cross_view_shows_disagreement_between_populations(raked):
    def mean(population, domain):
        return national_mean(raked, population, f"frag_{domain}")

    assert mean("entreprises", "emploi") - mean("citoyens", "emploi") > 0.2
    assert (
        mean("entreprises", "developpement_economique")
        - mean("associations", "developpement_economique")
        > 0.9
    )
    assert mean("associations", "exclusion") - mean("entreprises", "exclusion") > 1.2
    assert mean("associations", "exclusion") - mean("citoyens", "exclusion") > 0.7
    assert mean("citoyens", "securite") - mean("entreprises", "securite") > 0.7
    assert mean("citoyens", "environnement") - mean("entreprises", "environnement") > 0.6


def test_cross_view_also_shows_agreement(raked):
    for population in ORGANISATIONS:
        design, data = raked[population]
        (ranking,) = est.rank_ties(design, data, items=FRAGILITIES, overall=True, alpha=0.05)
        top = {row.variable for row in ranking.ranking[:3]}
        assert "frag_emploi" in top, population  # employment high for all three
    citizens = national_mean(raked, "citoyens", "frag_pouvoir_achat")
    associations = national_mean(raked, "associations", "frag_pouvoir_achat")
    assert abs(citizens - associations) < 0.2


def test_organisations_first_priorities_differ(raked):
    firsts = {}
    for population in POPULATIONS:
        design, data = raked[population]
        (ranking,) = est.rank_ties(design, data, items=FRAGILITIES, overall=True, alpha=0.05)
        firsts[population] = ranking.ranking[0].variable
    assert firsts == {
        "citoyens": "frag_emploi",
        "entreprises": "frag_emploi",
        "associations": "frag_exclusion",
    }


def test_associations_are_more_optimistic_than_citizens_about_impacts(raked):
    assert 0.5 < strong_share(raked, "associations", "impact_exclusion") < 0.6
    for column in ("impact_exclusion", "impact_education", "impact_environnement"):
        assert (
            strong_share(raked, "associations", column)
            > strong_share(raked, "citoyens", column) + 0.05
        ), column
    assert strong_share(raked, "entreprises", "impact_developpement_economique") > 0.5


@pytest.mark.parametrize(
    ("population", "region", "column"),
    [
        ("entreprises", "11", "frag_securite"),
        ("entreprises", "11", "frag_logement"),
        ("associations", "32", "frag_exclusion"),
        ("associations", "11", "frag_logement"),
    ],
)
def test_regional_specificities_stand_out_against_the_rest(raked, population, region, column):
    design, data = raked[population]
    contrasts = est.contrast_with_rest(design, data, items=FRAGILITIES, by="region")
    (contrast,) = [c for c in contrasts if str(c.by["region"]) == region and c.variable == column]
    assert contrast.significant
    assert contrast.difference > 0.5


@pytest.mark.parametrize("population", ORGANISATIONS)
def test_organisations_cover_every_region_with_small_bases_somewhere(datasets, population):
    region = datasets[population].columns["region"]
    counts = {code: int(np.sum(region == code)) for code in np.unique(region).tolist()}
    assert len(counts) == 13
    assert counts["94"] < 30  # Corsica: below the publication threshold
    assert counts["11"] >= 150


def test_organisation_views_survive_the_spss_file(tmp_path, datasets):
    write_demo_files(directory=tmp_path, datasets=datasets, spss_populations=ORGANISATIONS)
    for population in ORGANISATIONS:
        frame, meta = pyreadstat.read_sav(
            str(tmp_path / data_file_name(population, "sav")),
            output_format="polars",
            user_missing=True,
        )
        for column in (*FRAGILITIES, *IMPACTS):
            assert np.array_equal(
                frame[column].to_numpy(), datasets[population].columns[column].astype(float)
            ), (population, column)
        assert meta.variable_value_labels["frag_emploi"][99] == "Ne sait pas"
        assert meta.variable_value_labels["impact_emploi"][1] == "Très fort"
        assert meta.missing_ranges["impact_emploi"] == [{"lo": 9.0, "hi": 9.0}]
