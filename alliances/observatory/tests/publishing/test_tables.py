"""A report's tables as CSV and XLSX: published versions only, reliability rules, French CSV."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from alliances.observatory.demo import load_demo_survey
from alliances.observatory.models import Indicator
from alliances.observatory.publishing import tables
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.tests.publishing.factories import publish

WAVE = "phare-2015"


@pytest.fixture
def wave(db):
    return load_demo_survey(analyst=None).wave


@pytest.fixture
def published(wave):
    return publish(release_compute(wave=wave, user=None))


@pytest.fixture
def client():
    return Client(headers={"accept-language": "en"})


def csv_url(territory, number=None):
    if number is None:
        return reverse("observatory:report_csv", kwargs={"wave": WAVE, "territory": territory})
    return reverse(
        "observatory:report_version_csv",
        kwargs={"wave": WAVE, "number": number, "territory": territory},
    )


def xlsx_url(territory, number=None):
    if number is None:
        return reverse("observatory:report_xlsx", kwargs={"wave": WAVE, "territory": territory})
    return reverse(
        "observatory:report_version_xlsx",
        kwargs={"wave": WAVE, "number": number, "territory": territory},
    )


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (7.125, 2, "7,13"),
        (6.95, 1, "7,0"),
        (7.1, 1, "7,1"),
        (-0.25, 2, "-0,25"),
        (-0.04, 1, "0,0"),
        (12117000.0, 0, "12117000"),
        (None, 2, ""),
        (float("nan"), 2, ""),
    ],
)
def test_french_number_uses_a_decimal_comma_and_no_negative_zero(value, decimals, expected):
    assert tables.french_number(value, decimals) == expected


def test_csv_document_neutralises_formulas_but_not_negative_numbers():
    text = tables.csv_document(["a", "b", "c"], [["=1+2", "-0,5", "@SUM(A1)"], ["-x", "12", ""]])

    assert text.startswith("\ufeffa;b;c\r\n")
    assert text.splitlines()[1:] == ["'=1+2;-0,5;'@SUM(A1)", "'-x;12;"]


# --------------------------------------------------------------------------- CSV


def test_report_csv_has_one_row_per_cell_in_french_conventions(client, published):
    response = client.get(csv_url("ile-de-france"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "phare-2015-v1-ile-de-france-tableaux.csv" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:4] == ["version", "territory", "territory code", "population"]
    assert len(rows) == Indicator.objects.filter(release=published, territory="11").count()
    column = {name: index for index, name in enumerate(header)}
    employment = next(
        row
        for row in rows
        if row[column["item"]] == "frag_emploi" and row[column["population"]] == "PHARE-Citoyens"
    )
    cell = Indicator.objects.get(
        release=published, territory="11", population="citoyens", item="frag_emploi"
    )
    assert employment[column["estimate"]] == f"{cell.estimate:.2f}".replace(".", ",")
    assert employment[column["unit"]] == "score out of 10"
    assert employment[column["rank"]] == "1"
    assert employment[column["tied with the first"]] == "yes"
    assert employment[column["territory"]] == "Île-de-France"
    share = next(row for row in rows if row[column["item"]] == "impact_emploi")
    assert share[column["unit"]] == "%"
    assert 10 < float(share[column["estimate"]].replace(",", ".")) < 90
    assert all("." not in row[column["estimate"]] for row in rows)


def test_report_csv_keeps_suppressed_cells_without_any_value(client, published):
    cell = Indicator.objects.get(
        release=published, territory="94", population="citoyens", item="frag_pouvoir_achat"
    )
    assert (cell.n, cell.reliability) == (29, "suppressed")

    header, *rows = read_csv(client.get(csv_url("corse")))

    column = {name: index for index, name in enumerate(header)}
    row = next(
        row
        for row in rows
        if row[column["item"]] == "frag_pouvoir_achat"
        and row[column["population"]] == "PHARE-Citoyens"
    )
    assert row[column["unweighted base"]] == "29"
    assert row[column["reliability"]] == "Base too small"
    valued = [
        "estimate",
        "95% CI lower bound",
        "95% CI upper bound",
        "standard error",
        "rank",
        "tied with the first",
        "difference with the rest of France",
        "p-value of the difference (Holm)",
        "significant difference",
    ]
    assert [row[column[name]] for name in valued] == [""] * len(valued)


def test_report_csv_flags_small_bases(client, published):
    low = Indicator.objects.filter(release=published, territory="27", reliability="low").first()

    header, *rows = read_csv(client.get(csv_url("bourgogne-franche-comte")))

    column = {name: index for index, name in enumerate(header)}
    flagged = [row for row in rows if row[column["reliability"]] == "Small base"]
    assert str(low.n) in {row[column["unweighted base"]] for row in flagged}
    assert all(row[column["estimate"]] for row in flagged)


def test_report_csv_neutralises_labels_that_look_like_formulas(client, published):
    Indicator.objects.filter(release=published, territory="FR", item="frag_emploi").update(
        label_en='=HYPERLINK("http://example.com")'
    )

    header, *rows = read_csv(client.get(csv_url("france")))

    labels = {row[header.index("label")] for row in rows}
    assert '\'=HYPERLINK("http://example.com")' in labels
    assert not any(label.startswith("=") for label in labels)


def test_report_tables_are_only_downloadable_when_published(client, wave):
    draft = release_compute(wave=wave, user=None)

    assert client.get(csv_url("france")).status_code == 404
    assert client.get(xlsx_url("france", 1)).status_code == 404

    publish(draft)
    correction = release_compute(wave=wave, user=None)
    assert correction.number == 2
    assert client.get(csv_url("france", 2)).status_code == 404
    assert client.get(csv_url("france", 1)).status_code == 200
    assert read_csv(client.get(csv_url("france")))[1][0] == "1"

    publish(correction, note="Correction")
    assert read_csv(client.get(csv_url("france")))[1][0] == "2"
    assert read_csv(client.get(csv_url("france", 1)))[1][0] == "1"
    assert client.get(csv_url("atlantide")).status_code == 404


# --------------------------------------------------------------------------- XLSX


def test_report_xlsx_has_a_sheet_per_family_and_a_methodology(client, published):
    response = client.get(xlsx_url("corse"))

    assert response.status_code == 200
    assert response["Content-Type"] == tables.XLSX_CONTENT_TYPE
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Fragility score",
        "Partnership impact",
        "Innovation",
        "Engaged in partnerships",
        "Types of partnership practised",
        "Methodology",
    ]
    sheet = book["Fragility score"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["version", "territory", "territory code"]
    assert "family" not in header
    assert sheet.freeze_panes == "A2"
    column = {name: index for index, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    expected = Indicator.objects.filter(release=published, territory="94", family="fragility")
    assert len(rows) == expected.count()
    suppressed = next(
        row
        for row in rows
        if row[column["item"]] == "frag_pouvoir_achat"
        and row[column["population"]] == "PHARE-Citoyens"
    )
    assert suppressed[column["estimate"]] is None
    assert suppressed[column["reliability"]] == "Base too small"
    assert suppressed[column["unweighted base"]] == 29
    france = openpyxl.load_workbook(io.BytesIO(client.get(xlsx_url("france")).content))
    fragility = france["Fragility score"]
    assert fragility.cell(row=2, column=column["estimate"] + 1).number_format == "0.00"
    assert isinstance(fragility.cell(row=2, column=column["estimate"] + 1).value, float)
    assert fragility.cell(row=2, column=column["standard error"] + 1).number_format == "0.000"
    impact = france["Partnership impact"]
    formats = {
        impact.cell(row=line, column=column["estimate"] + 1).number_format
        for line in range(2, impact.max_row + 1)
    }
    assert formats == {"0.0"}
    percent = impact.cell(row=2, column=column["estimate"] + 1).value
    assert 1 < percent < 100


def test_report_xlsx_methodology_names_sources_rules_and_simulated_data(client, published):
    book = openpyxl.load_workbook(io.BytesIO(client.get(xlsx_url("ile-de-france")).content))

    lines = {row[0]: row[1] for row in book["Methodology"].iter_rows(min_row=2, values_only=True)}

    assert lines["Report"].endswith("Île-de-France")
    assert lines["Version"] == "1"
    assert "Simulated data" in lines
    assert "PHARE" in lines["Simulated data"]
    assert "347 in this territory" in lines["PHARE-Citoyens"]
    assert "region*sexe" in lines["PHARE-Citoyens"]
    assert "30" in lines["Reliability"]
    assert "50" in lines["Reliability"]
    assert "logit" in lines["Confidence intervals"]
    assert "Holm" in lines["Ties"]


def test_report_xlsx_writes_formula_like_labels_as_text(client, published):
    Indicator.objects.filter(release=published, territory="FR", item="frag_emploi").update(
        label_en="=1+1"
    )

    book = openpyxl.load_workbook(io.BytesIO(client.get(xlsx_url("france")).content))

    sheet = book["Fragility score"]
    labels = [row[5] for row in sheet.iter_rows(min_row=2)]
    formula_like = [cell for cell in labels if cell.value == "=1+1"]
    assert formula_like
    assert all(cell.data_type == "s" for cell in formula_like)
