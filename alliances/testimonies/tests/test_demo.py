from __future__ import annotations

import re
from collections import Counter

import pytest

from alliances.testimonies import demo, models, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(author, moderator):
    demo.load_demo_testimonies(author=author, moderator=moderator)
    return author, moderator


def test_demo_publishes_at_least_twelve_across_the_four_types(loaded):
    published = models.Testimony.objects.filter(status="approved")

    assert published.count() >= 12
    types = Counter(published.values_list("partnership_type", flat=True))
    assert set(types) == {
        "mecenat",
        "pratiques_responsables",
        "cooperation_economique",
        "innovation_societale",
    }
    assert min(types.values()) >= 2
    assert set(
        published.filter(partnership_type="mecenat").values_list("mecenat_form", flat=True)
    ) == {"financier", "nature", "logistique", "competences"}
    assert published.values("region").distinct().count() >= 7
    assert set(published.values_list("source_kind", flat=True)) == {"association", "company", "duo"}


def test_demo_testimonies_are_complete_and_clearly_fictional(loaded):
    for testimony in models.Testimony.objects.prefetch_related("quotes"):
        assert testimony.is_fictional
        assert "fictif" in testimony.organization_names or "fictive" in testimony.organization_names
        assert "Témoignage fictif" in testimony.story
        if testimony.status == "approved":
            assert 2 <= len(testimony.success_factor_list) <= 4, testimony.title
            assert 1 <= len(testimony.difficult_moment_list) <= 3, testimony.title
            assert 1 <= len(testimony.quotes.all()) <= 3, testimony.title
            assert testimony.reviews.get().decision == "approve"


def test_demo_french_typography_has_no_plain_space_before_high_punctuation(loaded):
    for testimony in models.Testimony.objects.prefetch_related("quotes"):
        texts = [testimony.title, testimony.summary, testimony.story]
        texts += [quote.text for quote in testimony.quotes.all()]
        for text in texts:
            assert not re.search(r" [:;!?»]|« ", text), text


def test_demo_fills_the_moderation_queue_and_a_returned_one(loaded):
    author, moderator = loaded

    [waiting] = selectors.testimony_moderation_queue(user=moderator)
    assert waiting.author == author
    returned = models.Testimony.objects.get(status="changes_requested")
    assert returned.author == author
    assert returned.reviews.get().note


def test_demo_loads_twice_without_duplicates(loaded):
    author, moderator = loaded
    before = models.Testimony.objects.count()

    demo.load_demo_testimonies(author=author, moderator=moderator)

    assert models.Testimony.objects.count() == before == 14
    assert models.TestimonyReview.objects.count() == 13


def test_demo_is_found_by_search(loaded):
    results = selectors.testimony_list_published(
        filters=selectors.TestimonyFilters(text="handicapés")
    )

    [result] = results
    assert result.title.startswith("Accueillir des salariés en situation de handicap")
