"""The news pages: the list and its filter, an article, its cover, and the editors' pages."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains

from alliances.engagement.models import Article, ArticleStatus
from alliances.engagement.services.news import ArticleContent, article_create, article_publish
from alliances.engagement.tests.factories import ArticleFactory, ScheduledDebateFactory
from alliances.learning.tests.factories import CourseFactory, build_cohort
from alliances.observatory.models import Release, ReleaseStatus
from alliances.observatory.tests.factories import StudyWaveFactory

pytestmark = pytest.mark.django_db

LIST = reverse("news:list")
MANAGE = reverse("news:manage")
CREATE = reverse("news:create")


def html(response):
    return response.content.decode()


def png(name="couverture.png", size=(300, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 85, 99)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(**overrides):
    data = {
        "title": "La nouvelle session du cours",
        "summary": "Les inscriptions sont ouvertes.",
        "body": "Quatre semaines, **un épisode par semaine**.",
        "category": "formation",
        "cover_alt": "",
        "study": "",
        "cohort": "",
        "debate": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def editor(role_user):
    return role_user("moderator")


@pytest.fixture
def reader(user_factory):
    return user_factory()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def with_cover(editor):
    """A published article with a cover, through the services."""
    article = article_create(
        by=editor,
        content=ArticleContent(
            title="Des cercles de couleur",
            summary="Un article illustré.",
            body="Le texte.",
            category="plateforme",
            cover_alt="Trois cercles bleus qui se chevauchent",
        ),
        cover=png(),
    )
    return article_publish(article=article, by=editor, now=datetime(2026, 3, 2, 10, tzinfo=UTC))


def draft(**fields):
    return ArticleFactory(status=ArticleStatus.DRAFT, published_at=None, **fields)


# --------------------------------------------------------------------------- the list


def test_list_shows_published_articles_newest_first(client):
    now = datetime(2026, 5, 10, 12, tzinfo=UTC)
    ArticleFactory(title="Plus ancienne", published_at=now - timedelta(days=30))
    ArticleFactory(title="La plus récente", published_at=now)
    draft(title="Brouillon caché")
    page = html(client.get(LIST))
    assert page.index("La plus récente") < page.index("Plus ancienne")
    assert "Brouillon caché" not in page
    assert "10 mai 2026" in page
    assert "2 actualités" in page  # the page is in French by default


def test_list_shows_each_article_with_its_category_summary_and_date_in_words(client):
    ArticleFactory(
        title="Le référentiel",
        category="referentiels",
        summary="Quatre leviers pour l’investisseur sociétal.",
        published_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    )
    page = html(client.get(LIST))
    assert "Quatre leviers pour l’investisseur sociétal." in page
    assert "1er mars 2026" in page
    assert 'datetime="2026-03-01T10:00:00+01:00"' in page


def test_list_shows_the_cover_with_its_alternative(client, with_cover):
    response = client.get(LIST)
    cover_url = reverse("news:cover", kwargs={"slug": with_cover.slug})
    assert re.search(
        rf'<img class="news-card__cover" src="{cover_url}\?v=\d+" '
        r'alt="Trois cercles bleus qui se chevauchent" width="300" height="200"',
        html(response),
    )


def test_list_filters_by_category_and_marks_it_current(client):
    ArticleFactory(title="Une étude", category="etudes")
    ArticleFactory(title="Une session", category="formation")
    response = client.get(LIST, {"categorie": "formation"})
    page = html(response)
    assert "Une session" in page
    assert "Une étude" not in page
    assertContains(response, f'<a href="{LIST}?categorie=formation" aria-current="page">', 1)
    assert f'<a href="{LIST}" aria-current="page">' not in page


def test_list_without_a_filter_marks_all_the_news_current(client):
    ArticleFactory(title="Une étude", category="etudes")
    response = client.get(LIST)
    assertContains(response, f'<a href="{LIST}" aria-current="page">', 1)
    assert 'categorie=etudes" aria-current' not in html(response)


def test_list_ignores_an_unknown_category(client):
    ArticleFactory(title="Une étude", category="etudes")
    response = client.get(LIST, {"categorie": "<script>"})
    assert response.status_code == 200
    assert "Une étude" in html(response)
    assert "<script>" not in html(response)


def test_list_says_when_a_category_is_empty(client):
    ArticleFactory(category="etudes")
    assertContains(client.get(LIST, {"categorie": "debats"}), 'class="news-empty"')


def test_list_is_paginated_and_keeps_the_category(client):
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for day in range(12):
        ArticleFactory(
            title=f"Session {day:02d}", category="formation", published_at=start + timedelta(day)
        )
    ArticleFactory(title="Hors filtre", category="etudes")
    first = client.get(LIST, {"categorie": "formation"})
    page = html(first)
    assert page.count('class="news-card"') == 10
    assert '<nav class="pager"' in page
    assert "Session 11" in page
    assert "Session 01" not in page
    assert 'href="?categorie=formation&amp;page=2" rel="next"' in page
    second = html(client.get(LIST, {"categorie": "formation", "page": 2}))
    assert second.count('class="news-card"') == 2
    assert "Session 01" in second
    assert "Session 00" in second
    assert 'href="?categorie=formation&amp;page=1" rel="prev"' in second


def test_list_offers_the_feeds_of_the_current_category(client):
    page = html(client.get(LIST, {"categorie": "etudes"}))
    rss, atom = reverse("news:feed_rss"), reverse("news:feed_atom")
    assert re.search(
        rf'<link rel="alternate" type="application/rss\+xml" title="[^"]+" '
        rf'href="{rss}\?categorie=etudes">',
        page,
    )
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
        rf'href="{atom}\?categorie=etudes">',
        page,
    )


def test_list_has_a_constant_number_of_queries(client, django_assert_num_queries, with_cover):
    ArticleFactory.create_batch(14)
    with django_assert_num_queries(2):  # the count and the page
        client.get(LIST)
    with django_assert_num_queries(2):
        client.get(LIST, {"categorie": "etudes", "page": 2})


# --------------------------------------------------------------------------- an article


def test_detail_shows_the_article_with_its_markdown_rendered(client):
    article = ArticleFactory(
        title="Les rapports sont en ligne",
        body="## Ce qui change\n\nUn texte **important** et un [lien](https://example.org).",
        published_at=datetime(2026, 2, 14, 9, tzinfo=UTC),
    )
    response = client.get(article.get_absolute_url())
    assertContains(response, "<h1>Les rapports sont en ligne</h1>", html=True)
    assertContains(response, "<h2>Ce qui change</h2>", html=True)
    assertContains(response, "<strong>important</strong>", html=True)
    assertContains(response, "14 février 2026")
    assertNotContains(response, 'class="news-draft"')


def test_detail_sanitises_the_markdown(client):
    article = ArticleFactory(
        body=(
            "Avant <script>alert('body')</script> après.\n\n"
            '<img src="x" onerror="alert(1)">\n\n[clic](javascript:alert(2))'
        ),
        summary="<script>alert('summary')</script>",
    )
    page = html(client.get(article.get_absolute_url()))
    assert "<script>" not in page
    assert "onerror" not in page
    assert "javascript:" not in page
    assert "&lt;script&gt;alert(&#x27;summary&#x27;)&lt;/script&gt;" in page


def test_detail_shows_the_cover_as_a_figure(client, with_cover):
    response = client.get(with_cover.get_absolute_url())
    assert re.search(
        r'<figure class="news-cover">\s*<img src="[^"]+/couverture/\?v=\d+" '
        r'alt="Trois cercles bleus qui se chevauchent"',
        html(response),
    )


def test_detail_of_a_draft_is_a_404_for_the_public_and_for_a_plain_user(client, reader):
    article = draft()
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(reader)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_detail_of_a_draft_is_a_preview_for_an_editor(editor_client):
    article = draft(title="En préparation")
    response = editor_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, 'class="news-draft"')
    assertContains(response, "En préparation")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_detail_of_an_unknown_article_is_a_404(client):
    assert client.get(reverse("news:detail", kwargs={"slug": "inconnu"})).status_code == 404


def test_detail_links_the_publication_of_a_published_study(client):
    wave = StudyWaveFactory(name="PHARE 2015")
    Release.objects.create(
        wave=wave, number=1, status=ReleaseStatus.PUBLISHED, published_at=datetime.now(UTC)
    )
    article = ArticleFactory(study=wave)
    publication = reverse("observatory:wave_publication", kwargs={"wave": wave.slug})
    assertContains(client.get(article.get_absolute_url()), f'href="{publication}"')


def test_detail_names_a_study_not_yet_published_without_a_link(client):
    wave = StudyWaveFactory(name="Vague à venir")
    Release.objects.create(wave=wave, number=1, status=ReleaseStatus.DRAFT)
    article = ArticleFactory(study=wave)
    response = client.get(article.get_absolute_url())
    assertContains(response, "Vague à venir")
    assertNotContains(response, reverse("observatory:wave_publication", args=[wave.slug]))


def test_detail_links_the_session_and_the_debate(client):
    cohort = build_cohort(CourseFactory(title="Le cours"), code="2026-11", title="Session 11")
    debate = ScheduledDebateFactory(title="Débat à Rennes")
    article = ArticleFactory(cohort=cohort, debate=debate)
    response = client.get(article.get_absolute_url())
    assertContains(response, f'href="{cohort.get_absolute_url()}"')
    assertContains(response, "Le cours – Session 11")
    assertContains(response, f'href="{debate.get_absolute_url()}"')
    assertContains(response, "Débat à Rennes")


def test_detail_has_a_constant_number_of_queries(client, django_assert_num_queries):
    wave = StudyWaveFactory()
    cohort = build_cohort(CourseFactory(), code="2026-11", title="Session")
    article = ArticleFactory(study=wave, cohort=cohort, debate=ScheduledDebateFactory())
    with django_assert_num_queries(2):  # the article with its links, the study's publication
        client.get(article.get_absolute_url())
    plain = ArticleFactory()
    with django_assert_num_queries(1):
        client.get(plain.get_absolute_url())


# --------------------------------------------------------------------------- the cover


def test_cover_is_served_for_a_published_article(client, with_cover):
    response = client.get(reverse("news:cover", kwargs={"slug": with_cover.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (300, 200)


def test_cover_of_a_draft_follows_the_rule_of_the_article(client, editor, reader, with_cover):
    Article.objects.filter(pk=with_cover.pk).update(status=ArticleStatus.DRAFT)
    url = reverse("news:cover", kwargs={"slug": with_cover.slug})
    assert client.get(url).status_code == 404
    client.force_login(reader)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_cover_of_an_article_without_one_is_a_404(client):
    article = ArticleFactory()
    assert client.get(reverse("news:cover", kwargs={"slug": article.slug})).status_code == 404


# --------------------------------------------------------------------------- the editors


@pytest.mark.parametrize(
    "url",
    [
        MANAGE,
        CREATE,
        "edit",
    ],
)
def test_editor_pages_are_forbidden_to_a_plain_user(client, reader, url):
    if url == "edit":
        url = reverse("news:edit", kwargs={"pk": ArticleFactory().pk})
    client.force_login(reader)
    assert client.get(url).status_code == 403


def test_editor_pages_send_an_anonymous_visitor_to_sign_in(client):
    response = client.get(MANAGE)
    assert response.status_code == 302
    assert "/compte/" in response["Location"]


@pytest.mark.parametrize("name", ["news:publish", "news:unpublish"])
def test_publication_is_forbidden_to_a_plain_user(client, reader, name):
    article = draft()
    client.force_login(reader)
    assert client.post(reverse(name, kwargs={"pk": article.pk})).status_code == 403
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_manage_lists_every_article_with_its_status(editor_client):
    draft(title="Un brouillon")
    ArticleFactory(title="Une publiée")
    response = editor_client.get(MANAGE)
    page = html(response)
    assert page.index("Un brouillon") < page.index("Une publiée")
    assert 'class="news-status news-status--draft"' in page
    assert 'class="news-status news-status--published"' in page


def test_create_shows_the_form(editor_client):
    response = editor_client.get(CREATE)
    assert response.status_code == 200
    page = html(response)
    for name in ("title", "summary", "body", "category", "cover", "cover_alt", "study"):
        assert f'name="{name}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="remove_cover"' not in page


def test_create_saves_a_draft_with_its_cover_and_opens_the_editor(editor_client, editor):
    response = editor_client.post(
        CREATE, form_data(cover=png(), cover_alt="Des formes bleues sur fond clair")
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("news:edit", kwargs={"pk": article.pk})
    assert article.status == ArticleStatus.DRAFT
    assert article.author == editor
    assert article.slug == "la-nouvelle-session-du-cours"
    assert (article.cover_width, article.cover_height) == (300, 200)
    page = html(editor_client.get(response["Location"]))
    assert f'href="{article.get_absolute_url()}"' in page  # the preview
    assert 'name="remove_cover"' in page


def test_create_keeps_the_typed_text_and_names_a_missing_field(editor_client):
    response = editor_client.post(CREATE, form_data(summary="", body="Mon texte tapé"))
    assert response.status_code == 200
    page = html(response)
    assert 'id="id_summary_error"' in page
    assert 'aria-describedby="id_summary_helptext id_summary_error"' in page
    assert 'value="La nouvelle session du cours"' in page
    assert "Mon texte tapé" in page
    assert not Article.objects.exists()


def test_create_requires_the_alternative_of_a_cover_on_its_field(editor_client):
    response = editor_client.post(CREATE, form_data(cover=png()))
    assert response.status_code == 200
    assert 'id="id_cover_alt_error"' in html(response)
    assert 'value="La nouvelle session du cours"' in html(response)
    assert not Article.objects.exists()


def test_create_refuses_a_file_that_is_not_an_image_naming_it(editor_client):
    upload = SimpleUploadedFile("notes.txt", b"pas une image", content_type="image/png")
    response = editor_client.post(CREATE, form_data(cover=upload, cover_alt="Une image"))
    assert response.status_code == 200
    error = re.search(r'<p class="field__error" id="id_cover_error">(.*?)</p>', html(response))
    assert error
    assert "notes.txt" in error.group(1)


def test_create_refuses_a_debate_that_is_not_public(editor_client):
    from alliances.engagement.tests.factories import DebateFactory

    response = editor_client.post(CREATE, form_data(debate=DebateFactory().pk))
    assert 'id="id_debate_error"' in html(response)
    assert not Article.objects.exists()


def test_edit_changes_the_text_and_removes_the_cover(editor_client, with_cover):
    url = reverse("news:edit", kwargs={"pk": with_cover.pk})
    response = editor_client.post(
        url,
        form_data(title="Un autre titre", category="plateforme", remove_cover="on"),
    )
    assert response.status_code == 302
    with_cover.refresh_from_db()
    assert with_cover.title == "Un autre titre"
    assert with_cover.slug == "des-cercles-de-couleur"  # published once: its address stays
    assert not with_cover.cover


def test_edit_of_an_unknown_article_is_a_404(editor_client):
    assert editor_client.get(reverse("news:edit", kwargs={"pk": 999})).status_code == 404


def test_publish_and_unpublish_from_the_editor(editor_client):
    article = draft()
    publish = reverse("news:publish", kwargs={"pk": article.pk})
    assert editor_client.get(publish).status_code == 405
    response = editor_client.post(publish)
    assert response["Location"] == reverse("news:edit", kwargs={"pk": article.pk})
    article.refresh_from_db()
    assert article.is_published
    assert article.published_at is not None
    editor_client.post(reverse("news:unpublish", kwargs={"pk": article.pk}))
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_publishing_twice_shows_a_message_rather_than_an_error(editor_client):
    article = ArticleFactory()
    response = editor_client.post(reverse("news:publish", kwargs={"pk": article.pk}), follow=True)
    assert response.status_code == 200
    assertContains(response, "alert--error")
