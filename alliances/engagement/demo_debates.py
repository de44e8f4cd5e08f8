# ruff: noqa: E501 - French prose stays one paragraph per line, as in the `demo.py` modules.
"""The tour de France's demo: eight fictional debates, one at each step of a debate's life.

Every debate, organisation, person and venue here is invented for the demonstration, and each
debate's purpose says so. The demo organisations (`alliances.organizations.demo`) organise
them; the demo learner who belongs to those organisations asks for them, schedules them, marks
them held and publishes their minutes; the demo moderator accepts or declines them.

- Bretagne: a debate in Lannion in the coming weeks (in person, 40 places, the demo learners of
  the course registered), and one held in Rennes with its minutes;
- Île-de-France online and Auvergne-Rhône-Alpes hybrid, both upcoming;
- Nouvelle-Aquitaine: a debate held in La Rochelle, with its minutes and a generated
  illustration (no real photo, no stand-in document);
- a request waiting for the moderators (Bourgogne-Franche-Comté), one accepted and waiting for
  its date (Pays de la Loire), one declined with its reason (Nouvelle-Aquitaine).

Everything goes through the services (`debate_request`, `debate_accept`, `debate_schedule`,
`registration_create`, …), so the transitions are recorded and the organiser's emails are
queued as they would be. Dates are placed around the day of the load. Idempotent, keyed by
title: a debate that exists is left as it is.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from alliances.engagement.models import (
    Debate,
    DebateFormat,
    DebateStatus,
    DebateTransition,
    ProposedSlot,
)
from alliances.engagement.services.debates import (
    DebateRequest,
    EventDetails,
    debate_accept,
    debate_decline,
    debate_mark_held,
    debate_report_publish,
    debate_request,
    debate_schedule,
    debate_speakers_set,
)
from alliances.engagement.services.materials import debate_photo_add
from alliances.engagement.services.registrations import registration_create
from alliances.learning.demo import DEMO_LEARNERS
from alliances.organizations.demo import load_demo_organizations
from alliances.territories.models import Region

if TYPE_CHECKING:
    from alliances.accounts.models import User
    from alliances.organizations.models import Organization

PARIS: Final = ZoneInfo("Europe/Paris")
FICTION_NOTE: Final = "*Débat fictif, créé pour la démonstration de la plateforme : l’organisation, le lieu et les intervenants n’existent pas.*"

JARDINS: Final = "Les Jardins partagés du Trégor (fictive)"
ATELIER: Final = "Atelier numérique solidaire (fictive)"
TRANSPORTS: Final = "Transports rhodaniens (fictive)"
BOULANGERIES: Final = "Boulangeries du littoral (fictive)"


@dataclass(frozen=True, kw_only=True)
class DemoEvent:
    """The date, place and programme of a scheduled debate, `days` after the load (or before)."""

    days: int
    start: time
    end: time
    venue_name: str = ""
    venue_address: str = ""
    online_url: str = ""
    agenda: str
    capacity: int
    speakers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, kw_only=True)
class DemoDebate:
    title: str
    organization: str
    region: str  # INSEE code
    city: str
    purpose: str
    audience: str
    expected_attendance: int
    format: str
    partners: str = ""
    status: str
    asked_days_ago: int
    slot_days: tuple[int, ...] = ()  # the proposed dates of a request not scheduled yet
    event: DemoEvent | None = None
    decline_reason: str = ""
    minutes: str = ""
    illustration: str = ""  # the text alternative of the generated illustration
    illustration_caption: str = ""
    registered: bool = False  # the demo learners of the course take a place


DEMO_DEBATES: Final[tuple[DemoDebate, ...]] = (
    DemoDebate(
        title="Emploi et alimentation durable dans le Trégor : les résultats PHARE en débat",
        organization=JARDINS,
        region="53",
        city="Lannion",
        purpose=f"""Présenter les résultats régionaux de l’étude PHARE et en débattre avec celles et ceux qui font vivre le Trégor : quelles fragilités les habitants, les associations et les entreprises jugent-ils prioritaires, et sur lesquelles une alliance entre acteurs aurait-elle le plus d’effet ?

Nous partirons de l’emploi et de l’alimentation, deux sujets où les jardins d’insertion travaillent déjà avec des entreprises du territoire, pour ouvrir la discussion à d’autres coopérations possibles.

{FICTION_NOTE}""",
        audience="Associations, entreprises, élus et habitants du Trégor ; étudiants bienvenus.",
        expected_attendance=40,
        format=DebateFormat.IN_PERSON,
        partners="Réseau breton des jardins solidaires (fictif)\nClub d’entreprises de la Côte des Ajoncs (fictif)",
        status=DebateStatus.SCHEDULED,
        asked_days_ago=24,
        event=DemoEvent(
            days=19,
            start=time(18, 30),
            end=time(20, 30),
            venue_name="Espace associatif des Ajoncs (lieu fictif)",
            venue_address="12 rue des Goélands (adresse fictive)\n22300 Lannion",
            agenda="""1. Accueil et présentation des résultats régionaux (20 minutes)
2. Table ronde : trois duos association–entreprise racontent leur partenariat
3. Échanges avec la salle : quelles alliances pour le Trégor ?
4. Verre de l’amitié, avec les légumes des jardins""",
            capacity=40,
            speakers=(
                ("Gwenaëlle Le Corre", "coordinatrice, Les Jardins partagés du Trégor (fictive)"),
                ("Yann Prigent", "dirigeant d’une entreprise de maraîchage (fictive)"),
                ("Solenn Guillou", "chargée d’études régionales (fictive)"),
            ),
        ),
        registered=True,
    ),
    DemoDebate(
        title="Rennes : quelles alliances face à l’exclusion et au mal-logement ?",
        organization=JARDINS,
        region="53",
        city="Rennes",
        purpose=f"""Première étape bretonne du tour de France : partager les résultats régionaux de l’étude PHARE avec les acteurs rennais et repérer les domaines où associations et entreprises pourraient agir ensemble.

{FICTION_NOTE}""",
        audience="Associations de solidarité, bailleurs, entreprises de la métropole, collectivités.",
        expected_attendance=80,
        format=DebateFormat.IN_PERSON,
        partners="Collectif rennais pour le logement (fictif)",
        status=DebateStatus.REPORTED,
        asked_days_ago=110,
        event=DemoEvent(
            days=-56,
            start=time(18, 0),
            end=time(20, 0),
            venue_name="Halle des Tilleuls (lieu fictif)",
            venue_address="3 place des Tilleuls (adresse fictive)\n35000 Rennes",
            agenda="""1. Les résultats régionaux en dix minutes
2. Deux regards croisés : une association d’hébergement et un bailleur
3. Ateliers en petits groupes, puis restitution""",
            capacity=80,
            speakers=(
                ("Erwan Le Goff", "directeur d’une association d’hébergement (fictive)"),
                ("Claire Bodin", "responsable de l’engagement d’un bailleur social (fictif)"),
            ),
        ),
        minutes="""## Ce que nous avons retenu

Une soixantaine de personnes ont participé à cette première étape bretonne. Après la présentation des résultats régionaux, la discussion s’est vite concentrée sur un constat partagé : les associations placent l’exclusion et le logement parmi les fragilités les plus urgentes, alors que les entreprises y pensent moins spontanément.

Le bailleur invité a expliqué comment une convention avec une association d’hébergement l’avait aidé à repérer plus tôt les locataires en difficulté. L’association a insisté sur ce que cela lui avait coûté en temps de coordination au départ, et sur l’importance d’un interlocuteur stable de l’autre côté.

## Les pistes proposées par les ateliers

- Un annuaire local des associations prêtes à accueillir du mécénat de compétences.
- Des rencontres régulières entre responsables RSE et associations de quartier, plutôt qu’un grand événement annuel.
- Un suivi commun de quelques indicateurs simples, décidés ensemble dès le début.

## Et ensuite ?

Les participants qui le souhaitaient ont laissé leurs coordonnées pour un groupe de travail sur l’annuaire. Un second débat est prévu dans le Trégor.""",
    ),
    DemoDebate(
        title="Inclusion numérique et emploi en Île-de-France : un débat en ligne",
        organization=ATELIER,
        region="11",
        city="Paris",
        purpose=f"""Un débat d’une heure, à l’heure du déjeuner, pour discuter des résultats franciliens de l’étude PHARE : l’éloignement du numérique freine-t-il l’accès à l’emploi, et que peuvent faire ensemble associations de médiation et entreprises ?

{FICTION_NOTE}""",
        audience="Médiateurs numériques, responsables RSE et RH, structures d’insertion, agents publics.",
        expected_attendance=120,
        format=DebateFormat.ONLINE,
        partners="Réseau francilien de la médiation numérique (fictif)",
        status=DebateStatus.SCHEDULED,
        asked_days_ago=30,
        event=DemoEvent(
            days=12,
            start=time(12, 30),
            end=time(13, 45),
            online_url="https://visio.example.org/tour-de-france/ile-de-france",
            agenda="""1. Les résultats franciliens en quelques chiffres
2. Témoignage d’un duo association–entreprise sur le mécénat de compétences
3. Questions et échanges par écrit et à l’oral""",
            capacity=150,
            speakers=(
                ("Nadia Benali", "présidente, Atelier numérique solidaire (fictive)"),
                ("Thomas Régnier", "responsable RSE d’une entreprise de services (fictive)"),
            ),
        ),
    ),
    DemoDebate(
        title="Mobilité solidaire en Auvergne-Rhône-Alpes : entreprises et associations en débat",
        organization=TRANSPORTS,
        region="84",
        city="Lyon",
        purpose=f"""Se déplacer pour travailler, se soigner ou se former reste difficile pour une partie des habitants de la région. Ce débat confronte les résultats régionaux de l’étude PHARE à l’expérience d’associations de mobilité solidaire et d’entreprises de transport.

{FICTION_NOTE}""",
        audience="Associations de mobilité, employeurs, autorités organisatrices, habitants.",
        expected_attendance=60,
        format=DebateFormat.HYBRID,
        partners="Plateforme mobilité emploi du Rhône (fictive)\nFédération régionale des auto-écoles sociales (fictive)",
        status=DebateStatus.SCHEDULED,
        asked_days_ago=21,
        event=DemoEvent(
            days=33,
            start=time(17, 30),
            end=time(19, 30),
            venue_name="Dépôt des Mariniers (lieu fictif)",
            venue_address="45 quai des Mariniers (adresse fictive)\n69007 Lyon",
            online_url="https://visio.example.org/tour-de-france/auvergne-rhone-alpes",
            agenda="""1. Présentation des résultats régionaux
2. Table ronde : prêter des véhicules, former des conducteurs, partager des trajets
3. Questions de la salle et des participants en ligne""",
            capacity=60,
            speakers=(
                (
                    "Julien Ferrand",
                    "directeur des ressources humaines, Transports rhodaniens (fictive)",
                ),
                ("Amina Chérif", "responsable d’une auto-école sociale (fictive)"),
            ),
        ),
    ),
    DemoDebate(
        title="La Rochelle : commerces de proximité et insertion, le regard croisé du littoral",
        organization=BOULANGERIES,
        region="75",
        city="La Rochelle",
        purpose=f"""Partager les résultats de l’étude PHARE en Nouvelle-Aquitaine avec les commerçants, les associations d’insertion et les élus du littoral, et chercher ensemble comment les petites entreprises peuvent s’engager à leur mesure.

{FICTION_NOTE}""",
        audience="Commerçants et artisans, structures d’insertion, associations de quartier, élus.",
        expected_attendance=50,
        format=DebateFormat.IN_PERSON,
        partners="Union des commerçants du Vieux-Port (fictive)\nChantier d’insertion des Minimes (fictif)",
        status=DebateStatus.REPORTED,
        asked_days_ago=80,
        event=DemoEvent(
            days=-35,
            start=time(19, 0),
            end=time(21, 0),
            venue_name="Salle des Cordiers (lieu fictif)",
            venue_address="8 rue des Cordiers (adresse fictive)\n17000 La Rochelle",
            agenda="""1. Les résultats régionaux, lus par une entreprise et une association
2. Échanges : s’engager quand on est une petite entreprise
3. Buffet préparé par les apprentis""",
            capacity=50,
            speakers=(
                ("Hélène Moreau", "gérante, Boulangeries du littoral (fictive)"),
                ("Karim Haddad", "encadrant technique d’un chantier d’insertion (fictif)"),
            ),
        ),
        minutes="""## Une soirée entre commerçants et associations

Quarante-deux personnes sont venues, dont une quinzaine de commerçants et d’artisans. Beaucoup découvraient que l’étude PHARE interroge aussi les entreprises de petite taille, et que leurs priorités rejoignent souvent celles des associations : l’emploi d’abord, puis le développement économique du territoire.

La gérante des Boulangeries du littoral a raconté comment l’accueil de personnes en insertion avait commencé par un simple stage, avant de devenir une habitude. L’encadrant du chantier d’insertion a rappelé ce qui rend ces accueils possibles : un tuteur disponible dans l’entreprise, un point régulier à trois, et le droit de se dire quand cela ne fonctionne pas.

## Ce qui freine, ce qui aide

Les commerçants ont surtout parlé de temps : une petite équipe ne peut pas toujours accompagner un nouveau venu. Les associations ont proposé de mutualiser le tutorat entre plusieurs commerces d’une même rue.

## Les suites

Un petit groupe se retrouvera au printemps pour tester ce tutorat partagé avec trois commerces volontaires. Le compte rendu sera complété de ses premiers résultats.""",
        illustration="Illustration abstraite : seize pastilles de couleur disposées en cercle autour d’une table ovale, face à un écran de projection.",
        illustration_caption="Illustration générée pour la démonstration de la plateforme (aucune photo réelle).",
    ),
    DemoDebate(
        title="Dijon : se déplacer pour travailler, un débat à construire",
        organization=TRANSPORTS,
        region="27",
        city="Dijon",
        purpose=f"""Après Lyon, nous souhaitons proposer une étape en Bourgogne-Franche-Comté, où nos lignes desservent plusieurs zones d’activité mal reliées aux quartiers d’habitation. Le débat partirait des résultats régionaux de l’étude PHARE sur l’emploi et le développement économique.

{FICTION_NOTE}""",
        audience="Employeurs des zones d’activité, associations d’insertion, missions locales.",
        expected_attendance=50,
        format=DebateFormat.IN_PERSON,
        partners="Association dijonnaise pour la mobilité (fictive)",
        status=DebateStatus.REQUESTED,
        asked_days_ago=4,
        slot_days=(45, 52),
    ),
    DemoDebate(
        title="Nantes : alimentation durable et précarité, regards croisés",
        organization=JARDINS,
        region="52",
        city="Nantes",
        purpose=f"""Prolonger dans les Pays de la Loire le travail commencé en Bretagne : comment associations d’aide alimentaire, jardins d’insertion et entreprises agroalimentaires peuvent-ils coopérer face à la précarité ? Le débat s’appuiera sur les résultats régionaux de l’étude PHARE.

{FICTION_NOTE}""",
        audience="Associations d’aide alimentaire, entreprises agroalimentaires, collectivités.",
        expected_attendance=70,
        format=DebateFormat.HYBRID,
        partners="Banque alimentaire de l’estuaire (fictive)",
        status=DebateStatus.ACCEPTED,
        asked_days_ago=15,
        slot_days=(60, 67),
    ),
    DemoDebate(
        title="Bordeaux : présentation de notre nouvelle gamme solidaire",
        organization=BOULANGERIES,
        region="75",
        city="Bordeaux",
        purpose=f"""Présenter à nos clients et partenaires la nouvelle gamme de pains dont une partie du prix est reversée à une association locale, puis échanger sur nos engagements.

{FICTION_NOTE}""",
        audience="Clients, fournisseurs et partenaires de l’entreprise.",
        expected_attendance=30,
        format=DebateFormat.IN_PERSON,
        status=DebateStatus.DECLINED,
        asked_days_ago=40,
        slot_days=(20,),
        decline_reason="Merci pour votre proposition. Les débats du tour de France sont des rencontres ouvertes autour des résultats régionaux de l’étude PHARE : ils ne peuvent pas servir à présenter l’offre d’une entreprise. Vous êtes les bienvenus pour déposer une nouvelle demande centrée sur les fragilités du territoire, par exemple l’insertion dans les métiers de bouche.",
    ),
)

# How long after the request each step is placed (never later than the load).
STEP_DELAYS: Final = {
    DebateStatus.ACCEPTED: timedelta(days=2),
    DebateStatus.DECLINED: timedelta(days=3),
    DebateStatus.SCHEDULED: timedelta(days=6),
}


def _moment(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=PARIS)


def _illustration() -> SimpleUploadedFile:
    """An abstract drawing of a debate seen from above: a table, sixteen people, a screen."""
    width, height = 1200, 800
    image = Image.new("RGB", (width, height), "#f3efe6")
    draw = ImageDraw.Draw(image)
    draw.rectangle((380, 40, 820, 110), fill="#1b1f24")  # the screen
    draw.ellipse((380, 300, 820, 560), fill="#c8a97e", outline="#6b4f2a", width=6)  # the table
    colours = ("#0b5563", "#d4351c", "#f2a900", "#5a8f29", "#6b4c9a", "#0b5d8a", "#b3261e")
    centre_x, centre_y, radius_x, radius_y = 600, 430, 330, 230
    for index in range(16):
        angle = 2 * math.pi * index / 16
        x = centre_x + radius_x * math.cos(angle)
        y = centre_y + radius_y * math.sin(angle)
        draw.ellipse((x - 34, y - 34, x + 34, y + 34), fill=colours[index % len(colours)])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("illustration.png", buffer.getvalue(), content_type="image/png")


def _learners() -> list[User]:
    """The demo learners of the course, when the learning demo has created them."""
    emails = [learner.email for learner in DEMO_LEARNERS]
    return list(get_user_model().objects.filter(email__in=emails).order_by("email"))


def _backdate(debate: Debate, moments: dict[str, datetime]) -> None:
    """Place the recorded steps on the demo's calendar instead of the moment of the load."""
    for status, moment in moments.items():
        DebateTransition.objects.filter(debate=debate, to_status=status).update(at=moment)
    Debate.objects.filter(pk=debate.pk).update(
        created_at=moments[DebateStatus.REQUESTED], status_changed_at=max(moments.values())
    )


Span = tuple[datetime, datetime]


def _dates(spec: DemoDebate, now: datetime) -> tuple[list[Span], Span | None]:
    """The dates the request proposes, and the event's real date if it is scheduled."""
    today = timezone.localdate(now)

    def evening(days: int, start: time = time(18), end: time = time(20)) -> Span:
        day = today + timedelta(days=days)
        return _moment(day, start), _moment(day, end)

    event = spec.event
    if event is None:
        return [evening(days) for days in spec.slot_days], None
    when = evening(event.days, event.start, event.end)
    # The services refuse a date in the past, as they should for a real request: a past
    # debate is asked for and scheduled on the same hours tomorrow, then moved back to its
    # real date (`_hold`) before it is marked held.
    return [when if when[0] > now else evening(1, event.start, event.end)], when


def _hold(debate: Debate, spec: DemoDebate, *, when: Span, organizer: User) -> dict[str, datetime]:
    """Move a past debate back to its date, mark it held, publish its minutes and picture."""
    starts_at, ends_at = when
    Debate.objects.filter(pk=debate.pk).update(starts_at=starts_at, ends_at=ends_at)
    ProposedSlot.objects.filter(debate=debate).update(starts_at=starts_at, ends_at=ends_at)
    debate.refresh_from_db()
    debate = debate_mark_held(debate=debate, by=organizer)
    moments = {DebateStatus.HELD.value: ends_at + timedelta(hours=1)}
    if spec.minutes:
        debate = debate_report_publish(debate=debate, by=organizer, minutes=spec.minutes)
        reported = starts_at + timedelta(days=6)
        Debate.objects.filter(pk=debate.pk).update(report_published_at=reported)
        moments[DebateStatus.REPORTED.value] = reported
    if spec.illustration:
        debate_photo_add(
            debate=debate,
            by=organizer,
            upload=_illustration(),
            alt_text=spec.illustration,
            caption=spec.illustration_caption,
        )
    return moments


def _load(
    spec: DemoDebate,
    *,
    organization: Organization,
    region: Region,
    organizer: User,
    moderator: User,
    now: datetime,
) -> None:
    slots, when = _dates(spec, now)
    debate = debate_request(
        user=organizer,
        request=DebateRequest(
            organization=organization,
            region=region,
            city=spec.city,
            title=spec.title,
            purpose=spec.purpose,
            audience=spec.audience,
            expected_attendance=spec.expected_attendance,
            format=spec.format,
            partners=spec.partners,
            slots=slots,
        ),
    )
    asked = now - timedelta(days=spec.asked_days_ago)
    moments: dict[str, datetime] = {DebateStatus.REQUESTED.value: asked}
    if spec.status == DebateStatus.DECLINED:
        debate = debate_decline(debate=debate, by=moderator, reason=spec.decline_reason)
        moments[DebateStatus.DECLINED.value] = asked + STEP_DELAYS[DebateStatus.DECLINED]
    elif spec.status != DebateStatus.REQUESTED:
        debate = debate_accept(debate=debate, by=moderator)
        moments[DebateStatus.ACCEPTED.value] = asked + STEP_DELAYS[DebateStatus.ACCEPTED]
    event = spec.event
    if event is not None and when is not None:
        debate = debate_schedule(
            debate=debate,
            by=organizer,
            details=EventDetails(
                starts_at=slots[0][0],
                ends_at=slots[0][1],
                venue_name=event.venue_name,
                venue_address=event.venue_address,
                online_url=event.online_url,
                agenda=event.agenda,
                capacity=event.capacity,
            ),
        )
        moments[DebateStatus.SCHEDULED.value] = asked + STEP_DELAYS[DebateStatus.SCHEDULED]
        debate_speakers_set(debate=debate, by=organizer, speakers=event.speakers)
        if when[0] <= now:
            moments.update(_hold(debate, spec, when=when, organizer=organizer))
    if spec.registered:
        for learner in _learners():
            registration_create(debate=debate, user=learner)
    _backdate(debate, moments)


@transaction.atomic
def load_demo_debates(*, organizer: User, moderator: User) -> None:
    """Load the demo debates that do not exist yet (matched by title).

    `organizer` is the demo learner who belongs to the demo organisations (they are loaded
    if needed); `moderator` holds `engagement.moderate_debate`.
    """
    existing = set(
        Debate.objects.filter(title__in=[spec.title for spec in DEMO_DEBATES]).values_list(
            "title", flat=True
        )
    )
    missing = [spec for spec in DEMO_DEBATES if spec.title not in existing]
    if not missing:
        return
    organizations = {o.name: o for o in load_demo_organizations(owner=organizer)}
    regions = {region.insee_code: region for region in Region.objects.all()}
    now = timezone.now()
    for spec in missing:
        _load(
            spec,
            organization=organizations[spec.organization],
            region=regions[spec.region],
            organizer=organizer,
            moderator=moderator,
            now=now,
        )
