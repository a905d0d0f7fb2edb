from django.db import migrations

from homeward.families.reference import PRECEDENTS, seed_precedents

def seed(apps, schema_editor):
    seed_precedents(apps.get_model("families", "Precedent"))


def unseed(apps, schema_editor):
    apps.get_model("families", "Precedent").objects.filter(name_en__in=[r["name_en"] for r in PRECEDENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
