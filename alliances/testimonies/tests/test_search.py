"""Full-text search: these run on SQLite and on PostgreSQL; the last ones on PostgreSQL only."""

from __future__ import annotations

import pytest
from django.db import connection

from alliances.testimonies import models, search, selectors, services
from alliances.testimonies.tests import factories

pytestmark = pytest.mark.django_db


def found(text, **filters):
    return [
        t.title
        for t in selectors.testimony_list_published(
            filters=selectors.TestimonyFilters(text=text, **filters)
        )
    ]


@pytest.fixture
def library(brittany, ile_de_france):
    factories.TestimonyFactory(
        published=True,
        title="Un chantier d’insertion",
        story="Le partenariat a créé un emploi durable pour chaque salarié.",
        region=brittany,
        partnership_type="cooperation_economique",
        domain="emploi",
    )
    factories.TestimonyFactory(
        published=True,
        title="Le jardin partagé du quartier",
        story="Des habitants cultivent ensemble, avec le soutien d’une entreprise.",
        region=ile_de_france,
        partnership_type="mecenat",
        domain="lien_social",
    )
    factories.TestimonyFactory(
        published=True,
        title="Lire et écrire",
        story="Un programme d’éducation populaire pour les adultes.",
        region=brittany,
        partnership_type="mecenat",
        domain="education",
    )


# --- normalisation (pure) ----------------------------------------------------------------------


def test_normalised_words_unaccent_fold_plurals_and_drop_stop_words():
    assert search.normalised_words("Les Jardins partagés de l’Œuvre") == [
        "jardin",
        "partage",
        "oeuvre",
    ]
    assert search.normalised_words("emplois, bureaux ; éducation !") == [
        "emploi",
        "bureau",
        "education",
    ]


def test_plural_folding_never_turns_a_word_into_a_stop_word():
    assert search.normalised_words("six mois") == ["six", "mois"]


def test_normalised_words_of_only_stop_words_is_empty():
    assert search.normalised_words("le, la, les et des") == []


# --- both backends -----------------------------------------------------------------------------


def test_search_plural_finds_the_singular(library):
    assert found("emplois") == ["Un chantier d’insertion"]


def test_search_without_accents_finds_accented_text(library):
    assert found("Education") == ["Lire et écrire"]
    assert found("EDUCATION populaire") == ["Lire et écrire"]


def test_search_plural_and_accents_together(library):
    assert found("jardins partagés") == ["Le jardin partagé du quartier"]
    assert found("jardin partages") == ["Le jardin partagé du quartier"]


def test_search_word_absent_finds_nothing(library):
    assert found("astronomie") == []


def test_search_requires_every_word(library):
    assert found("jardin emploi") == []


def test_search_ignores_punctuation_and_operators(library):
    assert found("« jardin » & (partagé) -- ; DROP TABLE") == []
    assert found("« jardin »,  (partagé)") == ["Le jardin partagé du quartier"]


def test_search_of_only_stop_words_filters_nothing(library):
    assert len(found("les")) == 3


def test_search_never_finds_unpublished_testimonies(library):
    for status in ("draft", "submitted", "changes_requested", "rejected"):
        factories.TestimonyFactory(title=f"Jardin secret {status}", status=status)

    assert found("jardin") == ["Le jardin partagé du quartier"]


def test_search_combines_with_filters(library, brittany, ile_de_france):
    factories.TestimonyFactory(
        published=True,
        title="Un autre jardin partagé",
        region=brittany,
        partnership_type="cooperation_economique",
        domain="environnement",
    )

    assert sorted(found("jardin")) == ["Le jardin partagé du quartier", "Un autre jardin partagé"]
    assert found("jardin", region=brittany) == ["Un autre jardin partagé"]
    assert found("jardin", partnership_type="mecenat") == ["Le jardin partagé du quartier"]
    assert found("jardin", domain="environnement") == ["Un autre jardin partagé"]
    assert found("jardin", region=ile_de_france, domain="environnement") == []


def test_search_ranks_more_matches_first(brittany):
    factories.TestimonyFactory(published=True, title="Une fois", story="Le logement.")
    factories.TestimonyFactory(
        published=True,
        title="Souvent",
        story="Le logement, encore le logement, toujours des logements.",
    )

    assert found("logement") == ["Souvent", "Une fois"]


def test_search_reaches_quotes_lists_and_organisation_names(author, content):
    testimony = services.testimony_create(
        author=author,
        content=content(
            association_name="Les Abeilles (fictif)",
            success_factors="Une coordinatrice dédiée",
            difficult_moments="La canicule de juillet",
        ),
        quotes=[
            services.QuoteContent(text="Nous avons semé des tournesols.", speaker_role="Bénévole")
        ],
    )
    testimony.status, testimony.published_at = "approved", testimony.created_at
    testimony.save()

    for word in ("abeilles", "coordinatrice", "canicule", "tournesol", "benevole"):
        assert found(word) == [testimony.title], word


def test_search_sees_the_new_text_after_an_update(author, moderator, content):
    testimony = services.testimony_create(author=author, content=content(story="Des vélos."))
    testimony.status, testimony.published_at = "approved", testimony.created_at
    testimony.save()
    assert found("velo") == [testimony.title]

    services.testimony_update(
        testimony=testimony,
        user=moderator,
        content=content(story="Des trottinettes."),
        quotes=[],
    )

    assert found("velo") == []
    assert found("trottinette") == [testimony.title]


def test_search_stems_french_word_forms(brittany):
    factories.TestimonyFactory(
        published=True, title="Recrutement", story="Nous avons recruté des apprentis."
    )

    # French Snowball stems: « recrutements », « recruté » and « recruter » share « recrut ».
    assert found("recrutements") == ["Recrutement"]
    assert found("recruter apprentie") == ["Recrutement"]


# --- PostgreSQL only ---------------------------------------------------------------------------


@pytest.mark.postgres_only
def test_postgresql_gin_index_exists_on_the_french_vector():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'testimonies_search_french_gin'"
        )
        [(definition,)] = cursor.fetchall()

    assert "gin" in definition
    assert "to_tsvector('french'::regconfig" in definition


@pytest.mark.postgres_only
def test_postgresql_search_uses_the_gin_index(library):
    queryset = search.testimony_search(models.Testimony.objects.all(), "jardins")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()

    assert "testimonies_search_french_gin" in plan


@pytest.mark.postgres_only
def test_postgresql_search_ranks_with_ts_rank(brittany):
    factories.TestimonyFactory(published=True, title="Peu", story="Une mobilité.")
    factories.TestimonyFactory(
        published=True, title="Beaucoup", story="Mobilité, mobilités, encore la mobilité."
    )

    results = list(
        selectors.testimony_list_published(filters=selectors.TestimonyFilters(text="mobilite"))
    )

    assert [t.title for t in results] == ["Beaucoup", "Peu"]
    assert results[0].search_rank > results[1].search_rank > 0


@pytest.mark.postgres_only
def test_postgresql_keeps_every_word_that_python_keeps():
    """PostgreSQL drops no word the SQLite path would require, so both find the same."""
    from alliances.testimonies import demo

    texts = [data["story"] + " " + data["summary"] for data in demo.PUBLISHED]
    words = sorted({word for text in texts for word in search.normalised_words(text)})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM unnest(%s::text[]) AS word "
            "WHERE numnode(websearch_to_tsquery('french', word)) = 0",
            [words],
        )
        dropped = [row[0] for row in cursor.fetchall()]

    assert len(words) > 500
    assert dropped == []
