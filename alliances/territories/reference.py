"""The 13 metropolitan regions since 2016 (INSEE code, ISO 3166-2, name, population)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class RegionReference:
    insee_code: str
    iso_code: str
    name: str
    slug: str
    population: int


REGIONS: tuple[RegionReference, ...] = (
    RegionReference(insee_code="11", iso_code="FR-IDF", name="Île-de-France", slug="ile-de-france", population=12_117_000),
    RegionReference(insee_code="24", iso_code="FR-CVL", name="Centre-Val de Loire", slug="centre-val-de-loire", population=2_578_000),
    RegionReference(insee_code="27", iso_code="FR-BFC", name="Bourgogne-Franche-Comté", slug="bourgogne-franche-comte", population=2_811_000),
    RegionReference(insee_code="28", iso_code="FR-NOR", name="Normandie", slug="normandie", population=3_330_000),
    RegionReference(insee_code="32", iso_code="FR-HDF", name="Hauts-de-France", slug="hauts-de-france", population=6_007_000),
    RegionReference(insee_code="44", iso_code="FR-GES", name="Grand Est", slug="grand-est", population=5_555_000),
    RegionReference(insee_code="52", iso_code="FR-PDL", name="Pays de la Loire", slug="pays-de-la-loire", population=3_738_000),
    RegionReference(insee_code="53", iso_code="FR-BRE", name="Bretagne", slug="bretagne", population=3_307_000),
    RegionReference(insee_code="75", iso_code="FR-NAQ", name="Nouvelle-Aquitaine", slug="nouvelle-aquitaine", population=5_936_000),
    RegionReference(insee_code="76", iso_code="FR-OCC", name="Occitanie", slug="occitanie", population=5_808_000),
    RegionReference(insee_code="84", iso_code="FR-ARA", name="Auvergne-Rhône-Alpes", slug="auvergne-rhone-alpes", population=7_917_000),
    RegionReference(insee_code="93", iso_code="FR-PAC", name="Provence-Alpes-Côte d’Azur", slug="provence-alpes-cote-d-azur", population=5_031_000),
    RegionReference(insee_code="94", iso_code="FR-COR", name="Corse", slug="corse", population=330_000),
)  # fmt: skip


def regions_sync(region_model: Any) -> None:
    """Create or update the 13 regions (the data migration; tests after a flush)."""
    for reference in REGIONS:
        region_model.objects.update_or_create(
            insee_code=reference.insee_code,
            defaults={
                "iso_code": reference.iso_code,
                "name": reference.name,
                "slug": reference.slug,
                "population": reference.population,
            },
        )
