from django.db import migrations

PRECEDENTS = [
    {
        "order": 1,
        "name_ru": "Срочная служба в Афганистане (СССР)",
        "name_en": "Soviet conscript's tour in Afghanistan",
        "days": 730,
        "source": "Закон СССР «О всеобщей воинской обязанности» 1967 г., ст. 14: два года службы для солдат и сержантов сухопутных войск",
        "note_ru": "",
        "note_en": "",
    },
    {
        "order": 2,
        "name_ru": "Первый контракт завербованных заключённых",
        "name_en": "Prisoner recruits' first contract",
        "days": 183,
        "source": "Сообщения СМИ о вербовке в колониях в 2022 г.: контракт на шесть месяцев",
        "note_ru": "шесть месяцев",
        "note_en": "six months",
    },
    {
        "order": 3,
        "name_ru": "Чечня",
        "name_en": "Chechnya",
        "days": 365,
        "source": "Утверждение активисток движения: около года",
        "note_ru": "по словам активисток",
        "note_en": "activists' claim",
    },
]


def seed(apps, schema_editor):
    Precedent = apps.get_model("families", "Precedent")
    for row in PRECEDENTS:
        Precedent.objects.update_or_create(name_en=row["name_en"], defaults=row)


def unseed(apps, schema_editor):
    apps.get_model("families", "Precedent").objects.filter(name_en__in=[r["name_en"] for r in PRECEDENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
