from __future__ import annotations

import factory
from django.core.files.base import ContentFile

from alliances.observatory.models import CodebookVersion, Population, StudyWave

CODEBOOK = """\
version: "1.0"
wave: {id: test_2015, label: {fr: Test 2015, en: Test 2015}, year: 2015}
population: {id: citoyens, label: {fr: Citoyens, en: Citizens}, unit: person}
scales:
  - id: note
    kind: rating
    minimum: 0
    maximum: 10
    missing: [{code: 99, label: {fr: Ne sait pas, en: Don't know}}]
  - id: region
    kind: nominal
    values:
      - {code: "11", label: {fr: Île-de-France, en: Île-de-France}}
      - {code: "53", label: {fr: Bretagne, en: Brittany}}
      - {code: "99", label: {fr: Ailleurs, en: Elsewhere}}
  - id: sexe
    kind: nominal
    values:
      - {code: F, label: {fr: Femme, en: Woman}}
      - {code: M, label: {fr: Homme, en: Man}}
items:
  - {id: id_repondant, type: identifier, label: {fr: Identifiant, en: Identifier}}
  - {id: region, type: nominal, scale: region, label: {fr: Région, en: Region}}
  - {id: sexe, type: nominal, scale: sexe, label: {fr: Sexe, en: Sex}}
  - {id: note_emploi, type: rating, scale: note, label: {fr: Emploi, en: Employment}}
  - {id: poids, type: weight, label: {fr: Poids, en: Weight}}
"""

GOOD_CSV = """\
id_repondant,region,sexe,note_emploi,poids
R1,11,F,7,1.5
R2,53,M,99,1
R3,11,M,10,2
R4,53,F,0,0.5
"""

MARGINS_CSV = """\
variable,category,target
region,11,600
region,53,400
sexe,F,520
sexe,M,480
"""


class StudyWaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyWave

    slug = factory.Sequence(lambda n: f"vague-{n}")
    name = factory.Sequence(lambda n: f"Vague d’essai {n}")
    year = 2015


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    wave = factory.SubFactory(StudyWaveFactory)
    slug = "citoyens"
    name = "Citoyens"
    kind = "citizens"


class CodebookVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodebookVersion

    population = factory.SubFactory(PopulationFactory)
    version = 1
    text = CODEBOOK


def population_with_codebook(**kwargs):
    return CodebookVersionFactory(population=PopulationFactory(**kwargs)).population


def upload(text: str | bytes, name: str = "donnees.csv") -> ContentFile:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return ContentFile(content, name=name)
