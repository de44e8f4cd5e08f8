"""The codebook loader: strict validation naming the place, and lossless round trips."""

import copy
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.observatory.codebook import (
    Codebook,
    CodebookError,
    ItemType,
    blank_missing_codes,
    codebook_from_dict,
    codebook_to_dict,
    dump_codebook,
    load_codebook,
    parse_codebook,
)
from alliances.observatory.phare import codebook_path

CITIZENS = codebook_path("citoyens")
COMPANIES = codebook_path("entreprises")


def document(path: Path = CITIZENS) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def index_of(entries: list[dict], entry_id: str) -> int:
    return next(i for i, entry in enumerate(entries) if entry["id"] == entry_id)


def expect_error(data: dict, path: str, fragment: str) -> CodebookError:
    with pytest.raises(CodebookError) as caught:
        codebook_from_dict(data)
    assert caught.value.path == path, str(caught.value)
    assert fragment in caught.value.message
    assert str(caught.value).startswith(f"{path}: ")
    return caught.value


def test_load_codebook_accepts_a_path_a_path_string_and_text():
    from_path = load_codebook(CITIZENS)
    assert load_codebook(str(CITIZENS)) == from_path
    assert load_codebook(CITIZENS.read_text(encoding="utf-8")) == from_path
    assert from_path.version == "1.0"
    assert from_path.item("frag_emploi").scale.maximum == 10


def test_loader_rejects_an_unknown_top_level_key():
    data = document()
    data["lable"] = {"fr": "x", "en": "x"}
    expect_error(data, "lable", "unknown key 'lable'")


def test_loader_rejects_an_unknown_key_in_an_item():
    data = document()
    data["items"][3]["lable"] = data["items"][3]["label"]
    expect_error(data, "items[3].lable", "unknown key")


def test_loader_rejects_a_duplicate_item_id():
    data = document()
    data["items"][6]["id"] = "region"
    expect_error(data, "items[6].id", "duplicate item id 'region' (first at items[1])")


def test_loader_rejects_a_rating_value_label_outside_the_scale():
    data = document()
    data["scales"][0]["values"][1]["code"] = 11
    expect_error(data, "scales[0].values[1].code", "outside the scale 0..10")


def test_loader_rejects_a_duplicate_code_in_a_scale():
    data = document()
    data["scales"][1]["values"][1]["code"] = 1
    expect_error(data, "scales[1].values[1].code", "duplicate code 1")


def test_loader_rejects_a_missing_code_inside_a_rating_scale():
    data = document()
    data["scales"][0]["missing"][0]["code"] = 5
    expect_error(data, "scales[0].missing[0].code", "inside the scale 0..10")


def test_loader_rejects_a_missing_code_that_is_also_valid():
    data = document()
    data["scales"][1]["missing"][0]["code"] = 2
    expect_error(data, "scales[1].missing[0].code", "also a valid code")


def test_loader_rejects_a_scale_whose_maximum_does_not_exceed_its_minimum():
    data = document()
    data["scales"][0]["maximum"] = 0
    expect_error(data, "scales[0].maximum", "must exceed minimum")


def test_loader_rejects_an_unknown_scale_kind():
    data = document()
    data["scales"][2]["kind"] = "likert"
    expect_error(data, "scales[2].kind", "expected one of rating, ordinal, nominal")


def test_loader_rejects_mixed_code_types_in_a_scale():
    data = document()
    region = index_of(data["scales"], "region")
    data["scales"][region]["values"][4]["code"] = 32
    expect_error(data, f"scales[{region}].values[4].code", "all be integers or all be texts")


def test_loader_rejects_a_yes_no_value_as_a_code():
    data = document()
    data["scales"][2]["values"][0]["code"] = True
    expect_error(data, "scales[2].values[0].code", "expected a code")


def test_loader_rejects_a_reference_to_an_unknown_scale():
    data = document()
    item = index_of(data["items"], "frag_emploi")
    data["items"][item]["scale"] = "fragilite_0_100"
    expect_error(data, f"items[{item}].scale", "unknown scale 'fragilite_0_100'")


def test_loader_rejects_a_scale_of_the_wrong_kind_for_the_item_type():
    data = document()
    item = index_of(data["items"], "frag_emploi")
    data["items"][item]["scale"] = "impact_4"
    expect_error(data, f"items[{item}].scale", "a rating item needs a rating scale")


def test_loader_rejects_a_binary_item_whose_scale_has_three_codes():
    data = document()
    item = index_of(data["items"], "innovation")
    data["items"][item]["scale"] = "pcs"
    expect_error(data, f"items[{item}].scale", "exactly two codes")


def test_loader_rejects_a_label_without_english():
    data = document()
    data["items"][2]["label"] = {"fr": "Sexe"}
    expect_error(data, "items[2].label.en", "required key is missing")


def test_loader_rejects_a_plain_text_label():
    data = document()
    data["items"][2]["label"] = "Sexe"
    expect_error(data, "items[2].label", "both languages")


def test_loader_rejects_an_unquoted_version():
    data = document()
    data["version"] = 1.0
    expect_error(data, "version", "quoted version string")


def test_loader_rejects_an_unknown_item_type():
    data = document()
    data["items"][1]["type"] = "categorical"
    expect_error(data, "items[1].type", "expected one of identifier, weight")


def test_loader_rejects_an_item_id_that_is_not_an_identifier():
    data = document()
    data["items"][5]["id"] = "Frag-Emploi"
    expect_error(data, "items[5].id", "expected an identifier")


def test_loader_rejects_an_unknown_domain():
    data = document()
    data["items"][5]["domain"] = "chomage"
    expect_error(data, "items[5].domain", "unknown domain 'chomage'")


def test_loader_rejects_a_second_weight_item():
    data = document()
    extra = copy.deepcopy(data["items"][-1])
    extra["id"] = "poids_bis"
    data["items"].append(extra)
    expect_error(data, f"items[{len(data['items']) - 1}].type", "only one item")


def test_loader_rejects_fieldwork_that_ends_before_it_starts():
    data = document()
    data["population"]["fieldwork"]["end"] = dt.date(2015, 8, 1)
    expect_error(data, "population.fieldwork.end", "ends before it starts")


def test_loader_rejects_a_filter_on_an_invalid_code():
    data = document(COMPANIES)
    item = index_of(data["items"], "types")
    data["items"][item]["asked_if"]["codes"] = [2]
    expect_error(data, f"items[{item}].asked_if.codes[0]", "not a valid code of item")


def test_loader_rejects_a_filter_on_a_later_item():
    data = document(COMPANIES)
    item = index_of(data["items"], "types")
    data["items"][item]["asked_if"]["item"] = "innovation"
    expect_error(data, f"items[{item}].asked_if.item", "not an item defined before this one")


def test_loader_rejects_two_items_producing_the_same_data_column():
    data = document(COMPANIES)
    clash = copy.deepcopy(data["items"][index_of(data["items"], "partenariat")])
    clash["id"] = "types_mecenat"
    data["items"].append(clash)
    expect_error(data, f"items[{len(data['items']) - 1}]", "also produced by item 'types'")


def test_loader_rejects_options_on_an_item_that_is_not_multiple():
    data = document(COMPANIES)
    item = index_of(data["items"], "partenariat")
    data["items"][item]["options"] = data["items"][index_of(data["items"], "types")]["options"]
    expect_error(data, f"items[{item}].options", "takes no options")


def test_loader_rejects_an_empty_item_list():
    data = document()
    data["items"] = []
    expect_error(data, "items", "at least 1")


def test_parser_rejects_duplicate_yaml_keys_with_their_line():
    text = CITIZENS.read_text(encoding="utf-8").replace(
        'version: "1.0"\n', 'version: "1.0"\nversion: "1.1"\n', 1
    )
    with pytest.raises(CodebookError, match="duplicate key 'version'") as caught:
        parse_codebook(text)
    assert caught.value.path == "line 3"


def test_parser_reports_invalid_yaml_with_its_line_and_column():
    with pytest.raises(CodebookError, match="invalid YAML") as caught:
        parse_codebook("version: [1.0\nwave: x\n")
    assert caught.value.path.startswith("line ")


def test_codebook_lists_columns_of_multiple_items_one_per_option():
    companies = load_codebook(COMPANIES)
    types = companies.item("types")
    assert types.type is ItemType.MULTIPLE
    assert types.columns == (
        "types_mecenat",
        "types_pratiques_responsables",
        "types_cooperation_economique",
        "types_innovation_societale",
    )
    assert types.asked_if is not None
    assert types.asked_if.item == "partenariat"
    assert companies.weight_item is not None
    assert companies.weight_item.id == "poids"


def test_blank_missing_codes_blanks_numbers_and_texts():
    citizens = load_codebook(CITIZENS)
    companies = load_codebook(COMPANIES)
    blanked = blank_missing_codes(
        codebook=citizens,
        columns={"frag_emploi": np.array([7, 99, 0]), "impact_emploi": np.array([9.0, 1.0, 4.0])},
    )
    np.testing.assert_array_equal(blanked["frag_emploi"], [7.0, np.nan, 0.0])
    np.testing.assert_array_equal(blanked["impact_emploi"], [np.nan, 1.0, 4.0])
    priority = blank_missing_codes(
        codebook=companies, columns={"priorite": np.array(["emploi", "nsp"])}
    )
    assert priority["priorite"].tolist() == ["emploi", ""]


@pytest.mark.parametrize("population", ["citoyens", "associations", "entreprises"])
def test_phare_codebooks_round_trip_through_yaml(population):
    original = load_codebook(codebook_path(population))
    assert parse_codebook(dump_codebook(original)) == original
    assert codebook_from_dict(codebook_to_dict(original)) == original


# --------------------------------------------------------------------------- Hypothesis

texts = (
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1)
    .map(str.strip)
    .filter(bool)
)
identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
labels = st.fixed_dictionaries({"fr": texts, "en": texts})
text_codes = st.from_regex(r"[0-9A-Za-z][0-9A-Za-z_+.-]{0,8}", fullmatch=True)


@st.composite
def codebooks(draw) -> dict:
    use_texts = draw(st.booleans())
    code_strategy = text_codes if use_texts else st.integers(-1000, 1000)
    codes = draw(st.lists(code_strategy, min_size=3, max_size=8, unique_by=str))
    valid, missing = codes[:-1], codes[-1:]
    minimum = draw(st.integers(-5, 5))
    maximum = minimum + draw(st.integers(1, 10))
    anchors = draw(st.lists(st.integers(minimum, maximum), unique=True, max_size=3))
    rating: dict = {"id": "rating", "kind": "rating", "minimum": minimum, "maximum": maximum}
    if anchors:
        rating["values"] = [{"code": code, "label": draw(labels)} for code in anchors]
    rating["missing"] = [{"code": maximum + 1, "label": draw(labels)}]
    scales = [
        rating,
        {
            "id": "coded",
            "kind": draw(st.sampled_from(["ordinal", "nominal"])),
            "values": [{"code": code, "label": draw(labels)} for code in valid],
            "missing": [{"code": code, "label": draw(labels)} for code in missing],
        },
    ]
    item_ids = draw(st.lists(identifiers, min_size=2, max_size=6, unique=True))
    items = [{"id": "ident", "type": "identifier", "label": draw(labels)}]
    for index, item_id in enumerate(item_ids):
        name = f"q{index}_{item_id}"
        if index % 2:
            items.append({"id": name, "type": "rating", "scale": "rating", "label": draw(labels)})
        else:
            kind = scales[1]["kind"]
            items.append({"id": name, "type": kind, "scale": "coded", "label": draw(labels)})
    document: dict = {
        "version": draw(st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}", fullmatch=True)),
        "wave": {"id": draw(identifiers), "label": draw(labels), "year": 2015},
        "population": {"id": draw(identifiers), "label": draw(labels), "unit": "person"},
    }
    if draw(st.booleans()):
        document["notice"] = draw(labels)
    document["scales"] = scales
    document["items"] = items
    return document


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=codebooks())
def test_any_valid_codebook_round_trips_through_yaml(data):
    codebook = codebook_from_dict(data)
    assert isinstance(codebook, Codebook)
    assert parse_codebook(dump_codebook(codebook)) == codebook
    assert codebook_to_dict(codebook) == data


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "items", "label", "fr", "x"]), children, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200)
@given(data=json_like)
def test_loader_only_ever_raises_codebook_errors(data):
    with pytest.raises(CodebookError):
        codebook_from_dict(data)
