from django.db import migrations


def create_regions(apps, schema_editor):
    from alliances.territories.reference import REGIONS

    Region = apps.get_model("territories", "Region")
    for reference in REGIONS:
        Region.objects.update_or_create(
            insee_code=reference.insee_code,
            defaults={
                "iso_code": reference.iso_code,
                "name": reference.name,
                "slug": reference.slug,
                "population": reference.population,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]
    operations = [migrations.RunPython(create_regions, migrations.RunPython.noop)]
