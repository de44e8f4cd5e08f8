"""The demo release: the simulated PHARE 2015 reports, published with a summary.

`load_demo_release` runs after `observatory.demo.load_demo_survey`: it computes the release
of the demo wave from the weighted simulated data, writes its summary (a « communiqué de
synthèse » that says plainly the data is simulated) and publishes it through the same
services as an analyst. Idempotent: when the wave already has a published release, nothing
changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from alliances.observatory.demo import WAVE_SLUG
from alliances.observatory.models import Release, ReleaseStatus, StudyWave
from alliances.observatory.publishing import selectors
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.publishing.services import release_publish_now, release_summary_update

if TYPE_CHECKING:
    from alliances.accounts.models import User

# French typography: no-break spaces (U+00A0) before « : ; ! ? », inside guillemets and
# before « % ». Every figure below is one the simulated data reproduces (see
# `phare.figures` and the tests of this module).
DEMO_SUMMARY: Final = """\
**Données simulées.** Ce communiqué accompagne le jeu de démonstration de la plateforme \
alliances. Les réponses ont été générées par la plateforme et calées sur les seuls chiffres \
nationaux publiés de l’enquête PHARE 2015\u00a0; ce ne sont pas les réponses des personnes, \
des associations et des entreprises interrogées. Les résultats régionaux illustrent la \
méthode et ne décrivent pas la situation réelle des régions.

### L’emploi, première fragilité des territoires

Pour les citoyens, l’emploi est la fragilité la plus prioritaire de leur territoire\u00a0: \
7,1 sur 10 en moyenne, devant le pouvoir d’achat (6,6), la sécurité (6,6), le développement \
économique du territoire (6,5), l’environnement (6,3) et la lutte contre l’exclusion \
(6,3). L’emploi arrive en tête dans chacune des 13\u00a0régions. En Île-de-France, cinq \
priorités sont au coude-à-coude\u00a0: la sécurité, l’environnement, la lutte contre \
l’exclusion et l’éducation ne se distinguent pas statistiquement de l’emploi, qui reste \
en tête.

### Les partenariats, une réponse attendue

Près d’un citoyen sur deux (49\u00a0%) juge fort ou très fort l’impact des partenariats \
entre associations, entreprises et acteurs publics sur l’emploi, 46\u00a0% sur le \
développement économique du territoire, 42\u00a0% sur l’environnement, 36\u00a0% sur la \
lutte contre la précarité et autant sur l’éducation.

### Une source d’innovation

Les partenariats sont une source d’innovation pour 69\u00a0% des citoyens, 86\u00a0% des \
associations et 81\u00a0% des entreprises de 10\u00a0salariés et plus. 37\u00a0% des \
entreprises et 38\u00a0% des associations déclarent au moins un partenariat.

### Lire les rapports

La synthèse nationale et les 13\u00a0rapports régionaux présentent les notes avec leur \
intervalle de confiance, le regard croisé des citoyens, des associations et des \
entreprises, et les spécificités de chaque région par rapport au reste de la France, \
retenues seulement lorsqu’un test statistique les établit. Une cellule de moins de \
30\u00a0répondants n’est pas publiée\u00a0; de 30 à 49\u00a0répondants, elle est signalée \
«\u00a0base faible\u00a0».
"""


class DemoReleaseError(RuntimeError):
    """The demo release could not be published: a bug in the reports, not in the data."""


def load_demo_release(*, analyst: User | None) -> Release | None:
    """Publish version 1 of the demo wave's reports; None when one is already published.

    Needs the demo survey (`load_demo_survey`) loaded first.
    """
    wave = StudyWave.objects.filter(slug=WAVE_SLUG).first()
    if wave is None:
        raise DemoReleaseError(f"The demo wave “{WAVE_SLUG}” is missing: load the survey first.")
    if selectors.release_latest_published(wave=wave) is not None:
        return None
    release = release_compute(wave=wave, user=analyst)
    release = release_summary_update(release=release, summary=DEMO_SUMMARY)
    published = release_publish_now(release=release, user=analyst)
    if published.status != ReleaseStatus.PUBLISHED:
        raise DemoReleaseError(f"The demo release was not published: {published.error}")
    return published
