"""The demo news: six published articles with drawn covers, in French, loaded once."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from alliances.engagement.demo_news import COURSE_SLUG, WAVE_SLUG, load_demo_news
from alliances.engagement.exceptions import ArticleError
from alliances.engagement.models import Article, ArticleStatus
from alliances.learning.tests.factories import CourseFactory, build_cohort
from alliances.observatory.tests.factories import StudyWaveFactory

pytestmark = pytest.mark.django_db

NO_BREAK = "\u00a0\u202f"


@pytest.fixture
def editor(role_user):
    return role_user("moderator")


def texts(article):
    return {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "cover_alt": article.cover_alt,
    }


def test_load_demo_news_is_idempotent(editor):
    load_demo_news(author=editor)
    first = dict(Article.objects.values_list("slug", "pk"))
    load_demo_news(author=editor)
    assert Article.objects.count() == len(first) == 6
    assert dict(Article.objects.values_list("slug", "pk")) == first


def test_load_demo_news_publishes_every_article_over_the_past_months(editor):
    load_demo_news(author=editor)
    articles = list(Article.objects.all())
    assert all(article.status == ArticleStatus.PUBLISHED for article in articles)
    now = timezone.now()
    dates = sorted(article.published_at for article in articles)
    assert all(moment < now for moment in dates)
    assert now - dates[0] > timedelta(days=120)
    assert len({(moment.year, moment.month) for moment in dates}) >= 4
    assert {article.category for article in articles} == {
        "etudes",
        "formation",
        "referentiels",
        "debats",
        "plateforme",
    }


def test_load_demo_news_covers_the_announced_subjects(editor):
    load_demo_news(author=editor)
    titles = " ".join(Article.objects.values_list("title", flat=True))
    for subject in (
        "Les partenariats qui changent le monde",
        "PHARE",
        "investisseur sociétal",
        "boussole",
        "tour de France",
    ):
        assert subject in titles
    compass = Article.objects.get(title__contains="boussole")
    assert "huit repères" in compass.body
    assert "DLA" in compass.body
    investor = Article.objects.get(title__contains="investisseur")
    for lever in (
        "financement pluriannuel",
        "accompagnement stratégique",
        "compétences et à ses réseaux",
        "évaluation de l’utilité sociale",
    ):
        assert lever in investor.body


def test_load_demo_news_says_it_is_demo_content(editor):
    load_demo_news(author=editor)
    for article in Article.objects.all():
        assert "démonstration" in article.body
    phare = Article.objects.get(title__contains="PHARE")
    assert "Données simulées" in phare.body


def test_load_demo_news_draws_a_cover_with_a_meaningful_alternative(editor):
    load_demo_news(author=editor)
    for article in Article.objects.all():
        assert (article.cover_width, article.cover_height) == (1200, 630)
        assert article.cover_alt.startswith("Illustration")
        assert len(article.cover_alt) > 60
        with Image.open(Path(article.cover.path)) as image:
            assert image.size == (1200, 630)
            assert len(image.getcolors(maxcolors=100_000) or []) > 2  # shapes, not a flat fill


def test_load_demo_news_writes_french_typography(editor):
    load_demo_news(author=editor)
    for article in Article.objects.all():
        for field, text in texts(article).items():
            where = f"{article.slug}.{field}"
            assert "'" not in text, where
            assert '"' not in text, where
            for mark in re.finditer(r"[:;!?%»]", text.replace("://", "")):
                before = text.replace("://", "")[mark.start() - 1]
                assert before in NO_BREAK, f"{where}: {text[mark.start() - 20 : mark.end()]!r}"
            for mark in re.finditer("«", text):
                assert text[mark.end()] in NO_BREAK, where
            assert not re.search(r"\d \d{3}\b", text), where
    sample = Article.objects.get(title__contains="investisseur")
    assert "sociétal\u00a0: quatre leviers" in sample.title


def test_load_demo_news_links_the_demo_wave_and_the_next_session(editor):
    wave = StudyWaveFactory(slug=WAVE_SLUG, name="PHARE 2015")
    course = CourseFactory(slug=COURSE_SLUG)
    today = timezone.localdate()
    build_cohort(course, start=today - timedelta(days=9), code="en-cours", title="En cours")
    upcoming = build_cohort(
        course, start=today + timedelta(days=20), code="suivante", title="Suite"
    )
    build_cohort(course, start=today + timedelta(days=50), code="apres", title="Après")
    load_demo_news(author=editor)
    assert Article.objects.get(title__contains="PHARE").study == wave
    assert Article.objects.get(title__contains="changent le monde").cohort == upcoming


def test_load_demo_news_takes_the_latest_session_when_none_is_to_come(editor):
    course = CourseFactory(slug=COURSE_SLUG)
    build_cohort(course, start=date(2025, 1, 6), code="janvier", title="Janvier")
    latest = build_cohort(course, start=date(2025, 3, 3), code="mars", title="Mars")
    load_demo_news(author=editor)
    assert Article.objects.get(title__contains="changent le monde").cohort == latest


def test_load_demo_news_works_without_the_other_demos(editor):
    load_demo_news(author=editor)
    assert Article.objects.get(title__contains="PHARE").study is None
    assert Article.objects.get(title__contains="changent le monde").cohort is None


def test_load_demo_news_needs_a_news_editor(user_factory):
    with pytest.raises(ArticleError):
        load_demo_news(author=user_factory())
    assert not Article.objects.exists()


def test_demo_news_pages_render(client, editor):
    load_demo_news(author=editor)
    assert client.get("/actualites/").content.decode().count('class="news-card"') == 6
    for article in Article.objects.all():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert '<figure class="news-cover">' in response.content.decode()
