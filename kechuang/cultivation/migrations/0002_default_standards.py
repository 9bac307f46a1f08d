"""The default entry and exit standards, as data the bureau can edit afterwards."""

from django.db import migrations


def load(apps, schema_editor):
    from kechuang.cultivation.standards import DEFAULT_STANDARDS

    StageStandard = apps.get_model("cultivation", "StageStandard")
    for row in DEFAULT_STANDARDS:
        StageStandard.objects.get_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("cultivation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
