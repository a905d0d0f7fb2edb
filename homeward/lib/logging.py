"""Logging that carries no people (PRIVACY.md rule 7)."""

import logging
import re

_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b")


def scrub(text: str) -> str:
    return _IPV6.sub("[addr]", _IPV4.sub("[addr]", text))


class ScrubPeopleFilter(logging.Filter):
    """Drops the request object from records and masks anything shaped like an address.

    Django attaches `request` to "django.request" records; handlers that format it
    would print headers. We keep the message (method, path, status) and nothing else.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        record.msg = scrub(record.getMessage())
        record.args = ()
        return True
