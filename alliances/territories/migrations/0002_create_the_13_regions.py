from django.db import migrations


def create_regions(apps, schema_editor):
    from alliances.territories.reference import regions_sync

    regions_sync(apps.get_model("territories", "Region"))


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]
    operations = [migrations.RunPython(create_regions, migrations.RunPython.noop)]
