"""Demo news: six published articles written for the platform, each with a drawn cover.

They announce what the demo holds: the course « Les partenariats qui changent le monde » (linked
to its next demo session), the PHARE publications (linked to the demo wave, whose data is
simulated), the referential of the societal investor, the strategic accompaniment of
associations, the tour de France of the regional debates and the platform itself. The covers
are abstract shapes drawn with Pillow at load time (no third-party image), and go through the
same services as an editor's upload. Publication dates are spread over the past months.

Idempotent: an article whose slug exists is left as it is. `author` must be a news editor
(`engagement.publish_news`: a moderator or an administrator).
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from alliances.engagement.models import Article, NewsCategory
from alliances.engagement.services.news import ArticleContent, article_create, article_publish
from alliances.learning.models import Cohort
from alliances.observatory.models import StudyWave

if TYPE_CHECKING:
    from collections.abc import Callable

    from alliances.accounts.models import User

COURSE_SLUG: Final = "partenariats-qui-changent-le-monde"
WAVE_SLUG: Final = "phare-2015"
COVER_SIZE: Final = (1200, 630)
NBSP: Final = "\u00a0"
NNBSP: Final = "\u202f"

# Colours of the platform (see portal/alliances.css) and a few companions.
TEAL, TEAL_DARK, PAPER, TINT = "#0b5563", "#073b45", "#ffffff", "#f3f6f8"
SAND, CORAL, GOLD, SKY, LEAF = "#e9dcc4", "#d9694a", "#f2b134", "#7fb7d6", "#5e9e6e"


def french(text: str) -> str:
    """French spacing: no-break spaces before « : ; ! ? % » and inside the guillemets.

    Thousands are grouped with a narrow no-break space (« 2 000 »).
    """
    text = re.sub(r" ([:;!?%])", NBSP + r"\1", text)
    text = re.sub(r"(\d) (\d{3})\b", "\\1" + NNBSP + "\\2", text)
    return text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")


# --------------------------------------------------------------------------- covers


def _canvas(background: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", COVER_SIZE, background)
    return image, ImageDraw.Draw(image)


def _four_weeks() -> Image.Image:
    """Four discs growing from left to right, joined by a line: four weeks, four episodes."""
    image, draw = _canvas(TINT)
    draw.line((150, 315, 1050, 315), fill=TEAL_DARK, width=8)
    for index, (radius, colour) in enumerate(
        zip((50, 75, 100, 125), (SKY, LEAF, GOLD, CORAL), strict=True)
    ):
        x = 150 + index * 300
        draw.ellipse(
            (x - radius, 315 - radius, x + radius, 315 + radius),
            fill=colour,
            outline=TEAL_DARK,
            width=6,
        )
    return image


def _thirteen_bars() -> Image.Image:
    """Thirteen bars of different heights on a dark blue ground; the first one is highlighted."""
    image, draw = _canvas(TEAL_DARK)
    heights = (430, 300, 340, 270, 390, 250, 320, 360, 280, 310, 240, 350, 290)
    for index, height in enumerate(heights):
        x = 95 + index * 80
        draw.rectangle((x, 560 - height, x + 55, 560), fill=GOLD if index == 0 else SKY)
    draw.line((60, 562, 1140, 562), fill=PAPER, width=4)
    return image


def _four_levers() -> Image.Image:
    """A square split into four colours around a white disc: the four levers."""
    image, draw = _canvas(SAND)
    left, top, side = 390, 105, 420
    half = side // 2
    for (dx, dy), colour in zip(
        ((0, 0), (1, 0), (0, 1), (1, 1)), (TEAL, CORAL, GOLD, LEAF), strict=True
    ):
        draw.rectangle(
            (left + dx * half, top + dy * half, left + (dx + 1) * half, top + (dy + 1) * half),
            fill=colour,
        )
    centre_x, centre_y = left + half, top + half
    draw.ellipse((centre_x - 80, centre_y - 80, centre_x + 80, centre_y + 80), fill=PAPER)
    return image


def _compass() -> Image.Image:
    """A compass rose with eight branches on a green ground: the eight reference points."""
    image, draw = _canvas(LEAF)
    centre_x, centre_y = 600, 315

    def point(angle: float, radius: float) -> tuple[float, float]:
        return centre_x + radius * math.sin(angle), centre_y - radius * math.cos(angle)

    # The four short branches first, so that the four long ones lie on top of them.
    for branch in (1, 3, 5, 7, 0, 2, 4, 6):
        angle = math.radians(branch * 45)
        long_branch = branch % 2 == 0
        spread = math.radians(22.5)
        draw.polygon(
            (
                point(angle, 260 if long_branch else 170),
                point(angle - spread, 55),
                (centre_x, centre_y),
                point(angle + spread, 55),
            ),
            fill=PAPER if long_branch else SAND,
            outline=TEAL_DARK,
            width=3,
        )
    draw.ellipse((centre_x - 28, centre_y - 28, centre_x + 28, centre_y + 28), fill=TEAL_DARK)
    return image


def _tour() -> Image.Image:
    """A dotted loop joining thirteen coloured dots: the stages of a tour."""
    image, draw = _canvas(TINT)
    colours = (TEAL, CORAL, GOLD, SKY, LEAF)
    points = [
        (
            600 + 420 * math.cos(2 * math.pi * stage / 13),
            315 + 220 * math.sin(2 * math.pi * stage / 13),
        )
        for stage in range(13)
    ]
    for step in range(260):
        if step % 2 == 0:
            angle, following = 2 * math.pi * step / 260, 2 * math.pi * (step + 1) / 260
            draw.line(
                (
                    600 + 420 * math.cos(angle),
                    315 + 220 * math.sin(angle),
                    600 + 420 * math.cos(following),
                    315 + 220 * math.sin(following),
                ),
                fill=TEAL_DARK,
                width=5,
            )
    for stage, (x, y) in enumerate(points):
        draw.ellipse(
            (x - 26, y - 26, x + 26, y + 26),
            fill=colours[stage % len(colours)],
            outline=TEAL_DARK,
            width=4,
        )
    return image


def _three_circles() -> Image.Image:
    """Three overlapping circles outlined in three colours: learn, observe, act."""
    image, draw = _canvas(PAPER)
    for (x, y), colour in zip(
        ((480, 260), (720, 260), (600, 420)), (TEAL, CORAL, GOLD), strict=True
    ):
        draw.ellipse((x - 170, y - 170, x + 170, y + 170), outline=colour, width=22)
    return image


def _cover(draw: Callable[[], Image.Image], name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    draw().save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(f"{name}.png", buffer.getvalue(), content_type="image/png")


# --------------------------------------------------------------------------- the articles

DEMO_NOTE: Final = "*Article de démonstration, rédigé pour la plateforme alliances.*"


@dataclass(frozen=True, kw_only=True)
class DemoArticle:
    title: str
    category: str
    summary: str
    body: str
    cover_alt: str
    draw: Callable[[], Image.Image]
    days_ago: int
    link: str = ""  # "study" or "cohort"

    @property
    def slug(self) -> str:
        return slugify(self.title)


def _articles() -> tuple[DemoArticle, ...]:
    """The articles, built at load time: their links need the URL configuration."""
    investor_url = reverse("diagnostic:instrument", kwargs={"slug": "investisseur-societal"})
    compass_url = reverse("diagnostic:instrument", kwargs={"slug": "boussole-strategique"})
    calendar_url = reverse("debates:calendar")
    return (
        DemoArticle(
            title="alliances ouvre ses portes : apprendre, observer, agir",
            category=NewsCategory.PLATFORM,
            summary=(
                "Une plateforme ouverte pour les partenariats entre associations et "
                "entreprises : un cours en ligne, l’observatoire des partenariats et des outils "
                "pour passer à l’action."
            ),
            body=f"""\
Associations et entreprises sont de plus en plus nombreuses à faire route ensemble. Pourtant, \
beaucoup hésitent encore : par où commencer ? Avec qui ? Pour quoi faire ?

La plateforme alliances rassemble en un même lieu trois façons d’avancer :

- **apprendre**, avec un cours en ligne gratuit, organisé en sessions ;
- **observer**, avec les études de l’observatoire des partenariats, région par région ;
- **agir**, avec des diagnostics en ligne, des témoignages et des débats en région.

Chaque rubrique de ces actualités annonce ce qui change : une nouvelle session, une \
publication, un outil, un débat près de chez vous. Vous pouvez les suivre dans votre lecteur \
de flux (RSS ou Atom).

{DEMO_NOTE}""",
            cover_alt=(
                "Illustration : trois grands cercles de couleur (bleu canard, corail et jaune) "
                "qui se chevauchent sur un fond blanc, pour apprendre, observer et agir."
            ),
            draw=_three_circles,
            days_ago=190,
        ),
        DemoArticle(
            title=(
                "Le référentiel de l’investisseur sociétal : quatre leviers pour soutenir "
                "une innovation"
            ),
            category=NewsCategory.REFERENTIALS,
            summary=(
                "Financer ne suffit pas toujours. Le référentiel de l’investisseur sociétal décrit "
                "quatre leviers qu’une entreprise ou une fondation peut combiner pour aider une "
                "innovation d’intérêt général à trouver son modèle."
            ),
            body=f"""\
Une innovation sociale qui a fait ses preuves sur le terrain arrive tôt ou tard à un moment \
délicat : après la recherche et l’expérimentation, avant le changement d’échelle, elle doit \
**définir son modèle** et sa stratégie d’alliances. C’est la phase de modélisation, et c’est \
souvent là que les soutiens manquent.

Le référentiel de l’investisseur sociétal, publié en 2015, propose aux entreprises et aux \
fondations de jouer ce rôle en combinant quatre leviers :

1. **un financement pluriannuel significatif**, structurel plutôt que lié à une action précise ;
2. **un accompagnement stratégique** du projet et de ses dirigeants ;
3. **l’accès à ses compétences et à ses réseaux** ;
4. **une aide à l’évaluation de l’utilité sociale** du projet.

Aucun levier n’est suffisant seul : c’est leur combinaison, dans la durée, qui fait la \
différence.

## Faire le point en quelques minutes

Vous soutenez un projet, ou vous l’envisagez ? Le diagnostic en ligne \
[« Investisseur sociétal »]({investor_url}) vous aide à situer votre engagement sur chacun des \
quatre leviers, au regard de la phase que traverse le projet, et vous propose des pistes.

{DEMO_NOTE}""",
            cover_alt=(
                "Illustration : un carré partagé en quatre couleurs (bleu canard, corail, jaune et "
                "vert) autour d’un disque blanc, sur un fond sable : les quatre leviers."
            ),
            draw=_four_levers,
            days_ago=150,
        ),
        DemoArticle(
            title="Accompagner la stratégie des associations : la boussole et ses huit repères",
            category=NewsCategory.REFERENTIALS,
            summary=(
                "Pour prendre du recul sur son projet, une association peut s’appuyer sur une "
                "boussole stratégique à huit repères, et se faire accompagner, notamment par le "
                "Dispositif local d’accompagnement (DLA)."
            ),
            body=f"""\
Grandir, se transformer, nouer une alliance avec une entreprise : ces choix engagent l’avenir \
d’une association. Le dispositif d’accompagnement stratégique, développé depuis 2014 avec les \
têtes de réseau associatives, aide les dirigeants à les préparer.

## Une boussole à huit repères

La boussole stratégique invite à faire le point sur huit repères :

- l’**identité** : la raison d’être et les valeurs ;
- le **positionnement** : les besoins auxquels on répond, et sa place parmi les autres acteurs ;
- l’**ambition** : où l’on veut aller, et à quel rythme ;
- les **ressources humaines et l’organisation** ;
- les **leviers économiques** ;
- les **alliances** : partenariats et réseaux ;
- la **gouvernance et les risques** ;
- l’**utilité sociale** : ce que l’action change, et la capacité à le montrer.

## Se faire accompagner

Le Dispositif local d’accompagnement (DLA) est présent dans chaque département : il commence par \
un diagnostic partagé, puis peut financer l’intervention d’un consultant. Les têtes de réseau \
associatives proposent aussi des méthodes et des temps d’échange entre pairs.

Pour commencer, faites le diagnostic en ligne [« Boussole stratégique »]({compass_url}) : en \
une dizaine de minutes, vous voyez vos atouts, vos besoins et vers qui vous tourner.

{DEMO_NOTE}""",
            cover_alt=(
                "Illustration : une rose des vents stylisée à huit branches blanches et sable "
                "sur un fond vert, pour les huit repères de la boussole."
            ),
            draw=_compass,
            days_ago=120,
        ),
        DemoArticle(
            title="Étude PHARE : la synthèse nationale et les 13 rapports régionaux sont en ligne",
            category=NewsCategory.STUDIES,
            summary=(
                "Comment citoyens, associations et entreprises voient-ils les fragilités de leur "
                "territoire, et le rôle des partenariats ? Les résultats de l’étude PHARE sont "
                "publiés, pour la France et pour chacune des 13 régions."
            ),
            body=f"""\
**Données simulées.** Sur cette plateforme de démonstration, les réponses de l’étude ont été \
générées et calées sur les seuls chiffres nationaux publiés : les résultats régionaux illustrent \
la méthode et ne décrivent pas la situation réelle des régions.

Le programme PHARE, « Fragilités et co-construction en territoire », a interrogé en 2015 les \
citoyens (plus de 2 000 personnes, dans les 13 régions), les entreprises de 10 salariés et plus, \
puis les associations.

## Ce qu’il faut retenir

- **L’emploi**, noté 7,1 sur 10, est la fragilité la plus prioritaire pour les citoyens, et il \
arrive en tête dans chacune des 13 régions.
- Près d’un citoyen sur deux (49 %) juge fort ou très fort l’impact des partenariats sur l’emploi.
- Les partenariats sont une source d’innovation pour 69 % des citoyens, 86 % des associations et \
81 % des entreprises de 10 salariés et plus.

## Lire les rapports

La synthèse nationale et les 13 rapports régionaux sont consultables en ligne et en PDF, avec \
leurs tableaux. Chaque rapport régional sera mis en débat dans sa région, lors du tour de France \
organisé avec les acteurs locaux.

{DEMO_NOTE}""",
            cover_alt=(
                "Illustration : treize barres verticales de hauteurs différentes, une par "
                "région, sur un fond bleu nuit ; la première, plus haute, est en jaune."
            ),
            draw=_thirteen_bars,
            days_ago=90,
            link="study",
        ),
        DemoArticle(
            title="« Les partenariats qui changent le monde » : une nouvelle session s’ouvre",
            category=NewsCategory.COURSES,
            summary=(
                "Le cours en ligne gratuit sur les alliances entre associations et entreprises "
                "reprend : quatre semaines, un épisode par semaine, en groupe avec les autres "
                "participants de la session."
            ),
            body=f"""\
Vous travaillez dans une association ou dans une entreprise, vous êtes étudiant ou simplement \
curieux ? Le cours « Les partenariats qui changent le monde » vous donne les repères pour \
comprendre ces alliances et construire la vôtre.

## Quatre semaines, un épisode par semaine

Chaque session dure **quatre semaines**. Vous avancez à votre rythme, mais le cours est pensé \
pour qu’un épisode corresponde à une semaine :

1. les quatre types de partenariats ;
2. pourquoi s’allier : les objectifs que partagent associations et entreprises ;
3. comment construire un partenariat : trouver ses partenaires, cadrer, s’appuyer sur les réseaux ;
4. l’impact, l’évaluation et les facteurs de succès.

Chaque épisode suit le même fil : ce qui vous attend, un duo entreprise–association que l’on \
retrouve d’une semaine à l’autre, la parole d’un expert, une prise de recul et des ressources \
pour aller plus loin.

## Des échéances pour garder le cap

Des échéances indicatives vous aident à suivre le rythme ; seule l’échéance finale compte pour \
valider le cours. Si vous la manquez, vous rejoignez la session suivante, et tout le travail \
déjà fait vous suit.

Inscrivez-vous à la prochaine session depuis la page du cours.

{DEMO_NOTE}""",
            cover_alt=(
                "Illustration : quatre disques de taille croissante (bleu ciel, vert, jaune, "
                "corail), reliés par une ligne sur un fond clair, comme les quatre semaines de "
                "la session."
            ),
            draw=_four_weeks,
            days_ago=40,
            link="cohort",
        ),
        DemoArticle(
            title="Le tour de France des débats régionaux est lancé",
            category=NewsCategory.DEBATES,
            summary=(
                "Les résultats régionaux de l’étude PHARE se discutent dans chaque région. "
                "Associations, entreprises, collectivités : proposez un débat près de chez vous, "
                "ou inscrivez-vous à ceux qui sont annoncés."
            ),
            body=f"""\
Un rapport ne vaut que s’il est discuté. Dans chacune des 13 régions, les résultats de l’étude \
PHARE sont présentés et mis en débat avec celles et ceux qui font vivre le territoire : \
associations, entreprises, élus, réseaux, citoyens.

## Organiser un débat dans votre région

Tout acteur régional peut proposer un débat : il indique l’organisation qui l’accueille, la \
ville, quelques dates possibles, le public attendu, le format (en salle, en ligne ou les deux) \
et ses partenaires. L’équipe de modération étudie la demande, puis le débat est programmé et \
annoncé sur la plateforme.

## Participer

Chaque débat a sa page : date et lieu, programme, intervenants et inscription. Quand la salle est \
pleine, une liste d’attente prend le relais, et une place libérée revient à la personne suivante. \
Un rappel vous est envoyé quelques jours avant.

Retrouvez les prochaines dates dans [le calendrier du tour de France]({calendar_url}).

{DEMO_NOTE}""",
            cover_alt=(
                "Illustration : un parcours en pointillés, en forme de boucle, qui relie treize "
                "points de couleur sur un fond clair, comme les étapes d’un tour de France."
            ),
            draw=_tour,
            days_ago=15,
        ),
    )


def _demo_wave() -> StudyWave | None:
    return StudyWave.objects.filter(slug=WAVE_SLUG).first()


def _demo_session() -> Cohort | None:
    """The next session of the demo course, else its latest; None without the demo course."""
    sessions = Cohort.objects.filter(course__slug=COURSE_SLUG, course__is_published=True)
    upcoming = sessions.filter(start_date__gte=timezone.localdate()).order_by("start_date")
    return upcoming.first() or sessions.order_by("-start_date").first()


@transaction.atomic
def load_demo_news(*, author: User) -> None:
    """Create and publish the demo articles that do not exist yet (found by slug)."""
    now = timezone.now()
    for spec in _articles():
        if Article.objects.filter(slug=spec.slug).exists():
            continue
        content = ArticleContent(
            title=french(spec.title),
            summary=french(spec.summary),
            body=french(spec.body),
            category=spec.category,
            cover_alt=french(spec.cover_alt),
            study=_demo_wave() if spec.link == "study" else None,
            cohort=_demo_session() if spec.link == "cohort" else None,
        )
        article = article_create(by=author, content=content, cover=_cover(spec.draw, spec.slug))
        article_publish(article=article, by=author, now=now - timedelta(days=spec.days_ago))
