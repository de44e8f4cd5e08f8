"""The PHARE 2015 codebooks and margins shipped as data."""

import re

import pytest

from alliances.observatory import estimation as est
from alliances.observatory.codebook import ItemType, Label
from alliances.observatory.phare import POPULATIONS, load_phare_codebook, margins_path
from alliances.observatory.phare.margins import MarginsError, read_margin_tables

REGIONS = {"11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"}
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"


def all_labels(codebook) -> list[Label]:
    labels = [codebook.wave.label, codebook.population.label]
    labels += [codebook.notice] if codebook.notice else []
    labels += [codebook.population.universe] if codebook.population.universe else []
    labels += [domain.label for domain in codebook.domains]
    for scale in codebook.scales:
        labels += [scale.label] if scale.label else []
        labels += [value.label for value in (*scale.values, *scale.missing)]
    for item in codebook.items:
        labels += [item.label] + ([item.note] if item.note else [])
        labels += [option.label for option in item.options]
    return labels


@pytest.mark.parametrize("population", POPULATIONS)
def test_phare_codebooks_share_the_wave_and_carry_the_simulated_data_notice(population):
    codebook = load_phare_codebook(population)
    citizens = load_phare_codebook("citoyens")
    assert codebook.wave == citizens.wave
    assert codebook.wave.year == 2015
    assert codebook.population.id == population
    assert codebook.notice is not None
    assert codebook.notice.fr.startswith(f"Données simulées{NBSP}:")
    assert codebook.notice.en.startswith("Simulated data:")
    assert codebook.weight_item is not None
    assert codebook.identifier_item is not None
    region = codebook.item("region").scale
    assert set(region.valid_codes) == REGIONS


@pytest.mark.parametrize("population", POPULATIONS)
def test_phare_french_labels_follow_french_typography(population):
    for label in all_labels(load_phare_codebook(population)):
        assert "'" not in label.fr, label.fr
        assert "'" not in label.en, label.en
        assert not re.search(r" [:;!?»]", label.fr), label.fr
        assert not re.search(r"\S[;!?]", label.fr), label.fr
        assert not re.search(r"[^\s\u00a0]:", label.fr), label.fr
        assert not re.search(f"«[^{NBSP}{NARROW_NBSP}]", label.fr), label.fr
        assert not re.search(f"[^{NBSP}{NARROW_NBSP}]»", label.fr), label.fr


def test_citizens_codebook_rates_nine_domains_and_five_impacts():
    codebook = load_phare_codebook("citoyens")
    ratings = codebook.items_of_type(ItemType.RATING)
    impacts = [item for item in codebook.items if item.id.startswith("impact_")]
    assert [item.domain for item in ratings] == [domain.id for domain in codebook.domains]
    assert len(ratings) == 9
    assert len(impacts) == 5
    impact_scale = impacts[0].scale
    assert impact_scale.valid_codes == (1, 2, 3, 4)
    assert impact_scale.missing_codes == (9,)
    assert [value.label.fr for value in impact_scale.values] == [
        "Très fort",
        "Fort",
        "Faible",
        "Nul",
    ]
    assert {item.id for item in codebook.items} >= {"region", "sexe", "age", "pcs", "innovation"}


def test_organisation_codebooks_ask_partnership_types_only_with_a_partnership():
    for population, profile in (
        ("entreprises", {"taille", "secteur"}),
        ("associations", {"employeur"}),
    ):
        codebook = load_phare_codebook(population)
        assert {item.id for item in codebook.items} >= profile | {"partenariat", "innovation"}
        types = codebook.item("types")
        assert types.type is ItemType.MULTIPLE
        assert types.asked_if is not None
        assert (types.asked_if.item, types.asked_if.codes) == ("partenariat", (1,))
        assert [option.label.fr for option in types.options] == [
            "Mécénat",
            "Pratiques responsables",
            "Coopération économique",
            "Innovation sociétale",
        ]
    assert load_phare_codebook("entreprises").item("priorite").scale.missing_codes == ("nsp",)


@pytest.mark.parametrize(
    ("population", "variables"),
    [
        ("citoyens", [("region", "sexe"), ("age",), ("pcs",)]),
        ("entreprises", [("region", "taille")]),
        ("associations", [("region", "employeur")]),
    ],
)
def test_margins_are_consistent_totals_read_alike_by_the_engine(population, variables):
    tables = read_margin_tables(margins_path(population))
    assert [table.variables for table in tables] == variables
    totals = {round(table.total) for table in tables}
    assert len(totals) == 1, "every margin of a population has the same total"
    engine = est.read_margins(margins_path(population))
    assert [margin.variables for margin in engine] == variables
    for table, margin in zip(tables, engine, strict=True):
        assert dict(table.targets) == dict(margin.targets)
    regions = {
        codes[0] for table in tables if "region" in table.variables for codes, _ in table.targets
    }
    if regions:
        assert regions == REGIONS


def test_margins_hold_plausible_population_totals():
    citizens = read_margin_tables(margins_path("citoyens"))
    assert 50_000_000 < citizens[0].total < 51_000_000  # adults 18+ of the 13 regions
    region_sex = dict(citizens[0].targets)
    assert region_sex[("11", "F")] + region_sex[("11", "M")] == pytest.approx(
        12_117_000 * 0.785, rel=1e-3
    )
    companies = read_margin_tables(margins_path("entreprises"))[0]
    assert 195_000 < companies.total < 205_000
    associations = dict(read_margin_tables(margins_path("associations"))[0].targets)
    employers = sum(target for (_, employer), target in associations.items() if employer == "1")
    assert sum(associations.values()) == 1_300_000
    assert 0.12 < employers / 1_300_000 < 0.15


@pytest.mark.parametrize(
    ("text", "row", "fragment"),
    [
        ("variable;category;target\n", 1, "header"),
        ("variable,category,target\nregion*sexe,11,5\n", 2, "does not match"),
        ("variable,category,target\nage,65+,-3\n", 2, "positive"),
        ("variable,category,target\nage,65+,x\n", 2, "not a number"),
        ("variable,category,target\nage,65+,3\nage,65+,4\n", 3, "appears twice"),
    ],
)
def test_margin_reader_names_the_faulty_row(text, row, fragment):
    with pytest.raises(MarginsError, match=fragment) as caught:
        read_margin_tables(text)
    assert caught.value.row == row


@pytest.mark.parametrize("population", ["entreprises", "associations"])
def test_organisations_rate_the_same_domains_on_the_same_scales_as_citizens(population):
    citizens = load_phare_codebook("citoyens")
    codebook = load_phare_codebook(population)
    assert codebook.domains == citizens.domains
    shared = [item for item in citizens.items if item.id.startswith(("frag_", "impact_"))]
    assert len(shared) == 14
    for expected in shared:
        item = codebook.item(expected.id)
        assert (item.type, item.domain, item.scale) == (
            expected.type,
            expected.domain,
            expected.scale,
        ), expected.id
    ratings = codebook.items_of_type(ItemType.RATING)
    assert [item.id for item in ratings] == [item.id for item in shared[:9]]
    assert ratings[0].label.fr == f"Fragilité perçue du territoire{NBSP}: emploi"
    columns = codebook.columns
    assert columns.index("impact_education") < columns.index("innovation")
