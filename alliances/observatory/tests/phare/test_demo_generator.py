"""The seeded PHARE demo generator: reproducible, plausible, faithful to its codebooks."""

import numpy as np
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.observatory import estimation as est
from alliances.observatory.codebook import ItemType, blank_missing_codes
from alliances.observatory.phare import POPULATIONS, load_phare_codebook
from alliances.observatory.phare.demo import (
    NOTICE_FILE,
    data_file_name,
    dataset_csv,
    generate,
    main,
    write_demo_files,
)

REGIONS = {"11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"}


def as_texts(values) -> list[str]:
    """Values as a reader would show them: 11.0 as "11", NaN as ""."""
    if values.dtype.kind == "f":
        return [
            "" if np.isnan(v) else (str(int(v)) if v.is_integer() else repr(v))
            for v in values.tolist()
        ]
    return [str(v) for v in values.tolist()]


@pytest.fixture(scope="module")
def datasets():
    return generate(seed=2015)


@pytest.fixture(scope="module")
def demo_directory(tmp_path_factory, datasets):
    directory = tmp_path_factory.mktemp("phare-demo")
    write_demo_files(directory=directory, seed=2015, datasets=datasets)
    return directory


def test_generate_is_reproducible_to_the_byte(tmp_path, demo_directory):
    main([str(tmp_path), "--seed", "2015"])
    for population in POPULATIONS:
        name = data_file_name(population, "csv")
        assert (tmp_path / name).read_bytes() == (demo_directory / name).read_bytes()
    assert (tmp_path / NOTICE_FILE).read_bytes() == (demo_directory / NOTICE_FILE).read_bytes()


def test_another_seed_gives_other_answers(datasets):
    other = generate(seed=7)
    for population in POPULATIONS:
        assert dataset_csv(other[population]) != dataset_csv(datasets[population])


def test_sizes_cover_the_thirteen_regions_including_corsica(datasets):
    citizens = datasets["citoyens"]
    assert citizens.n_rows >= 2_000
    assert set(citizens.columns["region"].tolist()) == REGIONS
    corsica = int(np.sum(citizens.columns["region"] == "94"))
    assert 10 <= corsica < 50  # a small base, as in a national sample
    assert 900 <= datasets["associations"].n_rows <= 1_100
    assert 900 <= datasets["entreprises"].n_rows <= 1_100
    for population in ("associations", "entreprises"):
        assert set(datasets[population].columns["region"].tolist()) == REGIONS


def test_design_weights_are_uneven_so_that_raking_matters(datasets):
    for dataset in datasets.values():
        weights = dataset.columns[dataset.weight_column]
        assert np.all(weights > 0)
        assert np.std(weights) / np.mean(weights) > 0.2
        assert np.all(weights == np.round(weights, 4))


@pytest.mark.parametrize("population", POPULATIONS)
def test_every_value_is_a_code_of_the_codebook(datasets, population):
    dataset = datasets[population]
    codebook = load_phare_codebook(population)
    assert tuple(dataset.columns) == codebook.columns
    for item in codebook.items:
        if item.scale is not None:
            allowed = {str(code) for code in (*item.scale.valid_codes, *item.scale.missing_codes)}
            found = {str(value) for value in dataset.columns[item.id].tolist()}
            assert found <= allowed, (item.id, found - allowed)
    if "types_mecenat" in dataset.columns:
        types = np.column_stack(
            [dataset.columns[column] for column in codebook.item("types").columns]
        )
        partnered = dataset.columns["partenariat"] == 1
        assert np.all(np.isnan(types[~partnered]))
        assert not np.any(np.isnan(types[partnered]))
        assert np.all(types[partnered].sum(axis=1) >= 1)


def test_dont_know_answers_exist_and_are_declared_missing(datasets):
    citizens = datasets["citoyens"].columns
    assert np.any(citizens["impact_emploi"] == 9)
    assert np.any(citizens["frag_emploi"] == 99)
    assert np.any(datasets["entreprises"].columns["priorite"] == "nsp")


def test_files_are_marked_as_simulated_data(demo_directory):
    names = sorted(path.name for path in demo_directory.iterdir())
    data_files = [
        name for name in names if name.endswith((".csv", ".sav")) and "marges" not in name
    ]
    assert data_files
    assert all("donnees-simulees" in name for name in data_files)
    notice = (demo_directory / NOTICE_FILE).read_text(encoding="utf-8")
    assert notice.startswith("DONNÉES SIMULÉES")
    assert "Données simulées" in notice
    for population in POPULATIONS:
        assert f"phare-2015-{population}.yaml" in names
        assert f"phare-2015-marges-{population}.csv" in names
    _, meta = pyreadstat.read_sav(
        str(demo_directory / data_file_name("citoyens", "sav")),
        metadataonly=True,
        output_format="polars",
    )
    assert "données simulées" in meta.file_label


def test_spss_file_holds_the_same_answers_as_the_csv(demo_directory):
    codebook = load_phare_codebook("citoyens")
    from_csv = est.read_survey(demo_directory / data_file_name("citoyens", "csv"))
    from_sav = est.read_survey(demo_directory / data_file_name("citoyens", "sav"))
    csv_columns = blank_missing_codes(codebook=codebook, columns=from_csv.columns)
    sav_columns = blank_missing_codes(codebook=codebook, columns=from_sav.columns)
    assert list(sav_columns) == list(csv_columns)
    for name, values in csv_columns.items():
        assert as_texts(sav_columns[name]) == as_texts(values), name
    rating = codebook.item("frag_emploi")
    assert rating.type is ItemType.RATING
    assert from_sav.value_labels["frag_emploi"][10.0] == "Tout à fait prioritaire"


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_any_seed_reproduces_the_national_scores_with_the_engine(seed):
    citizens = generate(seed=seed, n_associations=800, n_companies=800)["citoyens"]
    data = blank_missing_codes(codebook=citizens.codebook, columns=citizens.columns)
    margins = [
        est.Margin(variables=table.variables, targets=dict(table.targets))
        for table in citizens.margins
    ]
    result = est.rake(data, weights=data["poids"], margins=margins, tolerance=1e-12, max_iter=1_000)
    design = est.calibrated_design(est.SurveyDesign(weights=data["poids"]), result)
    rows = est.estimate(design, data, means=("frag_emploi", "frag_securite", "frag_exclusion"))
    assert [round(row.estimate, 1) for row in rows] == [7.1, 6.6, 6.3]


def test_generate_refuses_samples_too_small_to_fit_the_published_figures():
    with pytest.raises(ValueError, match="entreprises: at least 800"):
        generate(n_companies=100)
