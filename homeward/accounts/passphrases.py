"""Diceware-style passphrases (кодовая фраза) and the strength rule for chosen ones."""

from __future__ import annotations

import math
import secrets
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WORDLIST_PATH = Path(__file__).parent / "data" / "wordlist.txt"
SUGGESTED_WORDS = 6
MIN_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 6


@lru_cache(maxsize=1)
def wordlist() -> tuple[str, ...]:
    words = [w.strip() for w in WORDLIST_PATH.read_text(encoding="utf-8").splitlines()]
    return tuple(sorted({w for w in words if w}))


def suggest(words: int = SUGGESTED_WORDS) -> str:
    """A passphrase of `words` words drawn with the `secrets` module."""
    pool = wordlist()
    return " ".join(secrets.choice(pool) for _ in range(words))


def suggestion_entropy_bits(words: int = SUGGESTED_WORDS) -> float:
    return words * math.log2(len(wordlist()))


class PassphraseStrengthValidator:
    """At least 12 characters and not a run of a few repeated characters.

    Length is what makes a passphrase strong; the generated suggestion carries about
    77 bits. A chosen one must at least be long and not trivially repetitive; Django's
    common-password and similarity-to-handle validators run beside this one.
    """

    def validate(self, password, user=None):
        if len(password) < MIN_LENGTH:
            raise ValidationError(
                ngettext(
                    "This passphrase is too short: use at least %(min)d character, or take the suggested one.",
                    "This passphrase is too short: use at least %(min)d characters, or take the suggested one.",
                    MIN_LENGTH,
                )
                % {"min": MIN_LENGTH},
                code="passphrase_too_short",
            )
        if len(set(password.casefold())) < MIN_DISTINCT_CHARACTERS:
            raise ValidationError(
                _(
                    "This passphrase has too few different characters to be safe. Take the suggested one or add different words."
                ),
                code="passphrase_repetitive",
            )

    def get_help_text(self):
        return ngettext(
            "At least %(min)d character. Several unrelated words are easiest to remember.",
            "At least %(min)d characters. Several unrelated words are easiest to remember.",
            MIN_LENGTH,
        ) % {"min": MIN_LENGTH}
