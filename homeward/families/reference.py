"""Reference data: the precedents the service clock compares with (PRODUCT.md, Domain rules).

Seeded by a data migration; admins edit them afterwards in the admin.
"""

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


def seed_precedents(precedent_model) -> None:
    for row in PRECEDENTS:
        precedent_model.objects.update_or_create(name_en=row["name_en"], defaults=row)
