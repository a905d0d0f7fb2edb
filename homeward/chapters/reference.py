"""Reference data: the federal subjects. Loaded by a data migration (with the historical
model) and again by tests after a transactional test has flushed the tables."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "federal_subjects.json"


def load_federal_subjects(region_model) -> int:
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    for row in rows:
        region_model.objects.update_or_create(
            code=row["code"], defaults={"name_ru": row["name_ru"], "name_en": row["name_en"], "kind": row["kind"]}
        )
    return len(rows)
