import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "federal_subjects.json"


def load(apps, schema_editor):
    Region = apps.get_model("chapters", "Region")
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        Region.objects.update_or_create(
            code=row["code"], defaults={"name_ru": row["name_ru"], "name_en": row["name_en"], "kind": row["kind"]}
        )


def unload(apps, schema_editor):
    apps.get_model("chapters", "Region").objects.filter(chapter__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("chapters", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
