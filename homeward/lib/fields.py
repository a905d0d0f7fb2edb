"""Model fields for sensitive data (see PRIVACY.md, "sensitive" class)."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import models

from homeward.lib import crypto

#: Every EncryptedTextField in the project, filled as models load. The seizure canary
#: test walks this list, so a new sensitive field is covered as soon as it exists.
ENCRYPTED_FIELDS: list[EncryptedTextField] = []


class EncryptedTextField(models.TextField):
    """Text sealed with AES-GCM before it reaches the database.

    Not searchable or sortable by content; use crypto.blind_index beside it when a
    lookup is needed. Empty values are stored as empty strings (nothing to hide).
    """

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        # Only the project's real models: migrations build historical and temporary
        # copies (e.g. SQLite's "new__" tables) in registries of their own.
        if not cls._meta.abstract and cls._meta.apps is global_apps:
            ENCRYPTED_FIELDS.append(self)

    @property
    def crypto_context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.attname}"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), context=self.crypto_context)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self.crypto_context)

    def get_lookup(self, lookup_name):
        # Only null/emptiness checks make sense on ciphertext.
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)
