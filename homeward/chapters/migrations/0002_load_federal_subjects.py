from django.db import migrations

from homeward.chapters.reference import load_federal_subjects


def load(apps, schema_editor):
    load_federal_subjects(apps.get_model("chapters", "Region"))


def unload(apps, schema_editor):
    apps.get_model("chapters", "Region").objects.filter(chapter__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("chapters", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
