"""A wave's slug starts its public URLs, so it cannot take the analyst space's name."""

import pytest
from django.core.exceptions import ValidationError

from alliances.observatory.services.codebooks import wave_create


@pytest.mark.django_db
def test_wave_create_refuses_the_slug_of_the_analyst_space():
    with pytest.raises(ValidationError) as caught:
        wave_create(slug="analyse", name="Vague", year=2026)
    assert "analyse" in str(caught.value)


@pytest.mark.django_db
def test_wave_create_accepts_an_ordinary_slug():
    assert wave_create(slug="phare-2026", name="PHARE 2026", year=2026).slug == "phare-2026"
