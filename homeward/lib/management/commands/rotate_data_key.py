"""Re-seal every encrypted value under the current HOMEWARD_DATA_KEY.

Rotation: put the new key in HOMEWARD_DATA_KEY and the old one in
HOMEWARD_DATA_OLD_KEYS, run this command, then drop the old key.
"""

from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models.functions import Cast

from homeward.lib import crypto
from homeward.lib.fields import ENCRYPTED_FIELDS


class Command(BaseCommand):
    help = "Re-encrypt all sensitive fields with the current data key."

    def handle(self, *args, **options):
        crypto.reset_keys()
        by_model: dict[type[models.Model], list] = {}
        for field in ENCRYPTED_FIELDS:
            by_model.setdefault(field.model, []).append(field)
        total = 0
        for model, fields in by_model.items():
            raw_names = {f"_raw_{f.attname}": f for f in fields}
            rows = model._base_manager.annotate(
                **{alias: Cast(f.attname, output_field=models.TextField()) for alias, f in raw_names.items()}
            ).values("pk", *raw_names)
            stale = [
                row["pk"]
                for row in rows.iterator(chunk_size=2000)
                if any(row[alias] and crypto.needs_rotation(row[alias]) for alias in raw_names)
            ]
            for start in range(0, len(stale), 500):
                with transaction.atomic():
                    for obj in model._base_manager.filter(pk__in=stale[start : start + 500]):
                        obj.save(update_fields=[f.attname for f in fields])
            total += len(stale)
            self.stdout.write(f"{model._meta.label}: {len(stale)} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"done: {total} rows"))
