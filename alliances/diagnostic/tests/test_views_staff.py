from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.diagnostic.models import InstrumentVersion
from alliances.diagnostic.tests.factories import QUEL_PARTENARIAT, quel_version

pytestmark = pytest.mark.django_db

EDIT = reverse("diagnostic:instrument_edit", args=["quel-partenariat"])


@pytest.fixture
def admin(english, role_user):
    user = role_user("administrator")
    english.force_login(user)
    return user


@pytest.fixture
def version():
    return quel_version()


@pytest.mark.parametrize("role", [None, "moderator", "analyst", "course_team"])
def test_staff_pages_are_403_without_the_permission(client, role_user, user_factory, version, role):
    client.force_login(role_user(role) if role else user_factory())
    assert client.get(reverse("diagnostic:manage")).status_code == 403
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, {"source": QUEL_PARTENARIAT, "note": "x"}).status_code == 403
    toggle = reverse("diagnostic:instrument_toggle", args=["quel-partenariat"])
    assert client.post(toggle, {"active": "0"}).status_code == 403
    source = reverse("diagnostic:version_source", args=["quel-partenariat", 1])
    assert client.get(source).status_code == 403
    version.instrument.refresh_from_db()
    assert version.instrument.is_active


def test_staff_pages_send_anonymous_visitors_to_sign_in(client, version):
    response = client.get(EDIT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_editor_shows_the_current_file_and_the_history(english, admin, version):
    content = english.get(EDIT).content.decode()
    assert 'class="code-editor"' in content
    assert "slug: quel-partenariat" in content
    assert "docs/instruments.md" in content
    assert reverse("diagnostic:version_source", args=["quel-partenariat", 1]) in content
    assert "quel-partenariat" in english.get(reverse("diagnostic:manage")).content.decode()


def test_the_editor_refuses_a_bad_file_listing_every_problem_with_its_line(english, admin, version):
    bad = QUEL_PARTENARIAT.replace(
        "when: {question: objectifs, answer: ressources}",
        "when: {question: objectif, answer: ressources}",
    )
    bad = bad.replace(
        "add: {mecenat: 2}\n    because: Le mécénat de compétences",
        "add: {mecenat: 42}\n    because: Le mécénat de compétences",
    )
    response = english.post(EDIT, {"source": bad, "note": "Une erreur"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "The file was not saved: 2 problems to fix." in content
    assert "line 77, rules[1].when.question: unknown question “objectif”" in content
    assert "line 81, rules[2].add.mecenat: 42 points is out of range" in content
    assert "question: objectif, answer: ressources" in content  # the text is kept
    assert InstrumentVersion.objects.count() == 1


def test_the_editor_refuses_a_file_of_another_instrument(english, admin, version):
    other = QUEL_PARTENARIAT.replace("slug: quel-partenariat", "slug: autre-chose")
    content = english.post(EDIT, {"source": other, "note": "Mauvais fichier"}).content.decode()
    assert "line 1, slug: the file is for “autre-chose”, not “quel-partenariat”" in content
    assert InstrumentVersion.objects.count() == 1


def test_saving_a_changed_file_creates_the_next_version(english, admin, version):
    changed = QUEL_PARTENARIAT.replace("duration_minutes: 8", "duration_minutes: 9")
    response = english.post(EDIT, {"source": changed, "note": "Durée revue"})
    assert response["Location"] == EDIT
    new = InstrumentVersion.objects.get(is_current=True)
    assert new.number == 2
    assert new.created_by == admin
    assert new.note == "Durée revue"
    assert new.definition.duration_minutes == 9
    content = english.get(EDIT).content.decode()
    assert "Version 2 is saved and is now the current version." in content
    assert "Durée revue" in content
    assert admin.full_name in content


def test_saving_needs_a_change_note(english, admin, version):
    content = english.post(EDIT, {"source": QUEL_PARTENARIAT, "note": ""}).content.decode()
    assert "Say in a sentence what this version changes." in content
    assert InstrumentVersion.objects.count() == 1


def test_each_version_downloads_as_yaml(english, admin, version):
    quel_version(QUEL_PARTENARIAT.replace("duration_minutes: 8", "duration_minutes: 9"))
    response = english.get(reverse("diagnostic:version_source", args=["quel-partenariat", 1]))
    assert response["Content-Disposition"] == 'attachment; filename="quel-partenariat-v1.yaml"'
    assert response.content.decode() == QUEL_PARTENARIAT
    assert (
        english.get(reverse("diagnostic:version_source", args=["quel-partenariat", 7])).status_code
        == 404
    )


def test_deactivating_hides_the_instrument_and_activating_offers_it_again(english, admin, version):
    toggle = reverse("diagnostic:instrument_toggle", args=["quel-partenariat"])
    english.post(toggle, {"active": "0"})
    version.instrument.refresh_from_db()
    assert not version.instrument.is_active
    assert (
        english.get(reverse("diagnostic:instrument", args=["quel-partenariat"])).status_code == 404
    )
    english.post(toggle, {"active": "1"})
    version.instrument.refresh_from_db()
    assert version.instrument.is_active


def test_the_admin_shows_versions_read_only(client, django_user_model, version):
    superuser = django_user_model.objects.create_superuser(
        email="super@example.org", password="x-long-password-1", full_name="Super"
    )
    client.force_login(superuser)
    url = reverse("admin:diagnostic_instrumentversion_change", args=[version.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="source"' not in response.content.decode()
    assert client.get(reverse("admin:diagnostic_instrumentversion_add")).status_code == 403
