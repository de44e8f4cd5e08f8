from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from alliances.territories.models import Region
from alliances.testimonies import models, services
from alliances.testimonies.tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("testimonies:list")


def html(response):
    return response.content.decode()


def form_data(**overrides):
    data = {
        "source_kind": "duo",
        "association_name": "Les Abeilles (fictif)",
        "company_name": "Miel & Cie (fictive)",
        "partnership_type": "mecenat",
        "mecenat_form": "nature",
        "region": str(Region.objects.get(insee_code="53").pk),
        "domain": "environnement",
        "title": "Des ruches sur le toit",
        "summary": "Une entreprise accueille des ruches.",
        "story": "Tout a commencé par un **pot de miel**.",
        "success_factors": "La patience\nLe miel partagé",
        "difficult_moments": "Un hiver rude",
        "video_url": "",
        "quotes-TOTAL_FORMS": "3",
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "2",
        "quotes-MAX_NUM_FORMS": "5",
        "quotes-0-text": "Les abeilles nous ont rapprochés.",
        "quotes-0-speaker_role": "Apicultrice",
        "quotes-0-speaker_organization": "Les Abeilles (fictif)",
        "quotes-1-text": "",
        "quotes-1-speaker_role": "",
        "quotes-1-speaker_organization": "",
        "quotes-2-text": "",
        "quotes-2-speaker_role": "",
        "quotes-2-speaker_organization": "",
    }
    data.update(overrides)
    return data


# --- the library -----------------------------------------------------------------------------


def test_list_shows_published_testimonies_with_their_count(client):
    factories.TestimonyFactory.create_batch(3, published=True)
    factories.TestimonyFactory(title="Brouillon caché")

    response = client.get(LIST)

    assert response.status_code == 200
    page = html(response)
    assert "3 témoignages" in page or "3 testimonies" in page
    assert "Brouillon caché" not in page


def test_list_searches_and_filters_from_the_get_form(client):
    brittany = Region.objects.get(insee_code="53")
    factories.TestimonyFactory(
        published=True, title="Jardin breton", story="Un jardin partagé.", region=brittany
    )
    factories.TestimonyFactory(
        published=True,
        title="Jardin francilien",
        story="Un jardin partagé.",
        region=Region.objects.get(insee_code="11"),
    )

    response = client.get(LIST, {"q": "jardins partagés", "region": brittany.slug})

    page = html(response)
    assert "Jardin breton" in page
    assert "Jardin francilien" not in page
    assert f'<option value="{brittany.slug}" selected>' in page
    assert 'value="jardins partagés"' in page


def test_list_ignores_an_unknown_filter_value(client):
    factories.TestimonyFactory(published=True, title="Toujours là")

    response = client.get(LIST, {"type": "inconnu", "region": "atlantide", "domain": "?"})

    assert response.status_code == 200
    assert "Toujours là" in html(response)


def test_list_empty_state_says_so_and_offers_to_reset(client):
    response = client.get(LIST, {"q": "astronomie"})

    page = html(response)
    assert "testimony-empty" in page
    assert f'href="{LIST}"' in page


def test_list_paginates_and_keeps_the_filters(client):
    factories.TestimonyFactory.create_batch(12, published=True, domain="logement")

    first = html(client.get(LIST, {"domain": "logement"}))
    second = html(client.get(LIST, {"domain": "logement", "page": "2"}))

    assert first.count('class="card testimony-card"') == 10
    assert "?domain=logement&amp;page=2" in first
    assert second.count('class="card testimony-card"') == 2


def test_list_htmx_request_returns_only_the_results(client):
    factories.TestimonyFactory(published=True, title="Partiel")

    response = client.get(LIST, headers={"HX-Request": "true", "HX-Target": "testimony-results"})

    page = html(response)
    assert "Partiel" in page
    assert "<html" not in page
    assert 'role="status"' in page


def test_list_page_queries_do_not_grow_with_results(client, django_assert_num_queries):
    factories.TestimonyFactory.create_batch(10, published=True)

    with django_assert_num_queries(3):  # regions of the filter, count, one page of results
        response = client.get(LIST, {"q": "partenariat"})

    assert response.status_code == 200


# --- a testimony's page ----------------------------------------------------------------------


@pytest.fixture
def full_testimony(author, content, moderator):
    testimony = services.testimony_create(
        author=author,
        content=content(
            title="Des ruches <b>sur</b> le toit",
            story="Un **récit**.\n\n<script>alert('x')</script>\n\n[lien](javascript:alert(1))",
            success_factors="La patience\n- Le miel partagé",
            difficult_moments="Un hiver rude",
            video_url="https://video.example.org/watch?v=abc",
        ),
        quotes=[
            services.QuoteContent(
                text="Les abeilles <em>nous</em> ont rapprochés.",
                speaker_role="Apicultrice",
                speaker_organization="Les Abeilles",
            )
        ],
        is_fictional=True,
    )
    services.testimony_submit(testimony=testimony, user=author)
    return services.testimony_approve(testimony=testimony, moderator=moderator)


def test_detail_shows_every_part_of_a_published_testimony(client, full_testimony):
    response = client.get(full_testimony.get_absolute_url())

    assert response.status_code == 200
    page = html(response)
    assert "Des ruches &lt;b&gt;sur&lt;/b&gt; le toit" in page
    assert "<strong>récit</strong>" in page
    assert (
        "<blockquote><p>Les abeilles &lt;em&gt;nous&lt;/em&gt; ont rapprochés.</p></blockquote>"
        in page
    )
    assert "<cite>Apicultrice, Les Abeilles</cite>" in page
    assert "<li>La patience</li>" in page
    assert "<li>Le miel partagé</li>" in page
    assert "<li>Un hiver rude</li>" in page
    assert 'href="https://video.example.org/watch?v=abc"' in page
    assert "video.example.org" in page
    assert "testimony-badge" in page
    assert reverse("diagnostic:instrument", kwargs={"slug": "quel-partenariat"}) in page


def test_detail_sanitises_the_story_and_never_embeds_a_frame(client, full_testimony):
    page = html(client.get(full_testimony.get_absolute_url()))

    assert "<script>" not in page.split("<main", 1)[1]
    assert "javascript:" not in page
    assert "<iframe" not in page


def test_detail_links_to_similar_testimonies_of_the_same_type(client, full_testimony):
    similar = factories.TestimonyFactory(published=True, partnership_type="mecenat")
    other = factories.TestimonyFactory(published=True, partnership_type="innovation_societale")

    page = html(client.get(full_testimony.get_absolute_url()))

    assert similar.get_absolute_url() in page
    assert other.get_absolute_url() not in page


def test_detail_page_queries_are_pinned(client, full_testimony, django_assert_num_queries):
    factories.TestimonyFactory.create_batch(4, published=True, partnership_type="mecenat")

    # testimony, its quotes, its reviews, the similar ones
    with django_assert_num_queries(4):
        response = client.get(full_testimony.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "rejected"])
def test_detail_of_unpublished_is_404_for_visitors_and_other_users(client, user_factory, status):
    testimony = factories.TestimonyFactory(status=status)

    assert client.get(testimony.get_absolute_url()).status_code == 404
    client.force_login(user_factory())
    assert client.get(testimony.get_absolute_url()).status_code == 404


def test_detail_of_a_draft_is_visible_to_its_author_and_moderators(client, moderator):
    testimony = factories.TestimonyFactory(status="draft")

    client.force_login(testimony.author)
    page = html(client.get(testimony.get_absolute_url()))
    assert reverse("testimonies:edit", args=[testimony.pk]) in page
    assert reverse("testimonies:submit", args=[testimony.pk]) in page

    client.force_login(moderator)
    page = html(client.get(testimony.get_absolute_url()))
    assert reverse("testimonies:review", args=[testimony.pk]) in page
    assert reverse("testimonies:submit", args=[testimony.pk]) not in page


# --- writing ---------------------------------------------------------------------------------


def test_create_requires_signing_in(client):
    response = client.get(reverse("testimonies:create"))

    assert response.status_code == 302
    assert "login" in response["Location"] or "connexion" in response["Location"]


def test_create_form_radio_groups_offer_no_blank_choice(client, author):
    client.force_login(author)

    page = html(client.get(reverse("testimonies:create")))

    assert 'name="source_kind" value="association"' in page
    assert 'name="source_kind" value=""' not in page
    assert 'name="partnership_type" value=""' not in page


def test_create_saves_a_draft_with_its_quotes(client, author):
    client.force_login(author)

    response = client.post(reverse("testimonies:create"), form_data())

    testimony = models.Testimony.objects.get()
    assert response.status_code == 302
    assert response["Location"] == testimony.get_absolute_url()
    assert testimony.status == "draft"
    assert testimony.author == author
    assert [q.speaker_role for q in testimony.quotes.all()] == ["Apicultrice"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"association_name": ""}, "association_name"),
        ({"partnership_type": "innovation_societale"}, "mecenat_form"),
        ({"video_url": "http://video.example.org/x"}, "video_url"),
        ({"quotes-1-speaker_role": "Directeur"}, "quotes-1-text"),
    ],
)
def test_create_shows_a_clear_error_on_bad_input(client, author, overrides, field):
    client.force_login(author)

    response = client.post(reverse("testimonies:create"), form_data(**overrides))

    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html(response)
    assert not models.Testimony.objects.exists()


def test_edit_by_author_while_draft(client):
    testimony = factories.TestimonyFactory(status="draft")
    client.force_login(testimony.author)

    response = client.post(
        reverse("testimonies:edit", args=[testimony.pk]), form_data(title="Titre revu")
    )

    assert response.status_code == 302
    testimony.refresh_from_db()
    assert testimony.title == "Titre revu"


def test_edit_of_a_published_testimony_is_refused_to_its_author_with_an_explanation(client):
    testimony = factories.TestimonyFactory(published=True)
    client.force_login(testimony.author)

    response = client.post(
        reverse("testimonies:edit", args=[testimony.pk]), form_data(title="Titre revu"), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("testimonies:mine")
    assert "alert--error" in html(response)
    testimony.refresh_from_db()
    assert testimony.title != "Titre revu"


def test_edit_and_submit_of_someone_elses_testimony_is_404(client, user_factory):
    testimony = factories.TestimonyFactory(status="draft")
    client.force_login(user_factory())

    assert client.get(reverse("testimonies:edit", args=[testimony.pk])).status_code == 404
    assert client.post(reverse("testimonies:submit", args=[testimony.pk])).status_code == 404


def test_submit_sends_the_draft_to_the_queue(client):
    testimony = factories.TestimonyFactory(status="draft")
    client.force_login(testimony.author)

    response = client.post(reverse("testimonies:submit", args=[testimony.pk]))

    assert response.status_code == 302
    testimony.refresh_from_db()
    assert testimony.status == "submitted"


def test_submit_twice_shows_the_refusal(client):
    testimony = factories.TestimonyFactory(status="submitted")
    client.force_login(testimony.author)

    response = client.post(reverse("testimonies:submit", args=[testimony.pk]), follow=True)

    assert "alert--error" in html(response)


def test_mine_lists_own_testimonies_with_the_moderators_note(client, author, content, moderator):
    testimony = services.testimony_create(author=author, content=content(title="Le mien"))
    services.testimony_submit(testimony=testimony, user=author)
    services.testimony_request_changes(
        testimony=testimony, moderator=moderator, note="Précisez les dates."
    )
    factories.TestimonyFactory(title="Celui d’un autre")
    client.force_login(author)

    page = html(client.get(reverse("testimonies:mine")))

    assert "Le mien" in page
    assert "Précisez les dates." in page
    assert "Celui d’un autre" not in page
    assert reverse("testimonies:edit", args=[testimony.pk]) in page


# --- moderating ------------------------------------------------------------------------------


def test_moderation_pages_are_403_for_signed_in_non_moderators(client, user_factory):
    testimony = factories.TestimonyFactory(status="submitted")
    client.force_login(testimony.author)

    assert client.get(reverse("testimonies:moderation")).status_code == 403
    assert client.get(reverse("testimonies:review", args=[testimony.pk])).status_code == 403
    response = client.post(
        reverse("testimonies:review", args=[testimony.pk]),
        {"review-decision": "approve", "review-note": ""},
    )
    assert response.status_code == 403
    testimony.refresh_from_db()
    assert testimony.status == "submitted"


def test_moderation_pages_send_visitors_to_sign_in(client):
    response = client.get(reverse("testimonies:moderation"))

    assert response.status_code == 302


def test_moderation_queue_lists_the_submitted_ones(client, moderator):
    waiting = factories.TestimonyFactory(status="submitted", title="En attente")
    factories.TestimonyFactory(status="draft", title="Brouillon")
    client.force_login(moderator)

    page = html(client.get(reverse("testimonies:moderation")))

    assert reverse("testimonies:review", args=[waiting.pk]) in page
    assert "Brouillon" not in page


def test_moderator_approves_from_the_review_page(
    client, moderator, django_capture_on_commit_callbacks
):
    testimony = factories.TestimonyFactory(status="submitted")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("testimonies:review", args=[testimony.pk]),
            {"review-decision": "approve", "review-note": ""},
        )

    assert response.status_code == 302
    testimony.refresh_from_db()
    assert testimony.status == "approved"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("decision", ["request_changes", "reject"])
def test_moderator_must_write_a_note_to_return_or_reject(client, moderator, decision):
    testimony = factories.TestimonyFactory(status="submitted")
    client.force_login(moderator)

    response = client.post(
        reverse("testimonies:review", args=[testimony.pk]),
        {"review-decision": decision, "review-note": ""},
    )

    assert response.status_code == 200
    assert 'id="id_review-note_error"' in html(response)
    testimony.refresh_from_db()
    assert testimony.status == "submitted"


def test_moderator_unpublishes_with_a_reason(client, moderator):
    testimony = factories.TestimonyFactory(published=True)
    client.force_login(moderator)

    response = client.post(
        reverse("testimonies:review", args=[testimony.pk]),
        {"unpublish-reason": "Un nom de personne apparaît."},
    )

    assert response.status_code == 302
    testimony.refresh_from_db()
    assert testimony.status == "changes_requested"
    assert testimony.reviews.get().note == "Un nom de personne apparaît."


def test_moderator_may_edit_a_published_testimony(client, moderator):
    testimony = factories.TestimonyFactory(published=True)
    client.force_login(moderator)

    response = client.post(
        reverse("testimonies:edit", args=[testimony.pk]), form_data(title="Coquille corrigée")
    )

    assert response.status_code == 302
    testimony.refresh_from_db()
    assert (testimony.title, testimony.status) == ("Coquille corrigée", "approved")
