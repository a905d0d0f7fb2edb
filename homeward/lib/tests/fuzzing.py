"""Shared pieces of the hostile-input tests (PRIVACY.md rule 10): multipart bodies with
file names exactly as given, hypothesis settings, and strings that broke things before."""

from __future__ import annotations

from typing import NamedTuple

from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from hypothesis import strategies as st

BOUNDARY = b"hw-fuzz-boundary-Zq81x"


class FilePart(NamedTuple):
    name: str
    content: bytes


def multipart(data: dict) -> bytes:
    """Form data encoded as a browser would, file names exactly as given (the test client
    would tidy them first, and the server must cope with any)."""
    lines = []
    for key, values in data.items():
        for item in values if isinstance(values, list) else [values]:
            lines.append(b"--" + BOUNDARY)
            if isinstance(item, FilePart):
                name = item.name.encode("utf-8", "surrogatepass")
                lines.append(b'Content-Disposition: form-data; name="%s"; filename="%s"' % (key.encode(), name))
                lines += [b"Content-Type: application/octet-stream", b"", item.content]
            else:
                lines += [b'Content-Disposition: form-data; name="%s"' % key.encode(), b""]
                lines.append(item if isinstance(item, bytes) else item.encode("utf-8", "surrogatepass"))
    lines += [b"--" + BOUNDARY + b"--", b""]
    return b"\r\n".join(lines)


def send(client, url, data, **extra):
    return client.post(url, multipart(data), content_type="multipart/form-data; boundary=" + BOUNDARY.decode(), **extra)


def no_server_error(response):
    assert response.status_code < 500, response.status_code


fuzz = hsettings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x1b[31m",
    "\u202eevil",
    "\u200b\ufeff",
    "🕊️ Вернём наших домой",
    "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
    "Когда вернут мобилизованных? When will they come home? 什么时候",
    "Кoгдa вeрнут мoбилизoвaнных дoмoй нaсoвсeм?",  # Latin homoglyphs inside Russian words
    "<script>alert(1)</script>",
    "'; DROP TABLE questions_question; --",
    "{{}}}{",
    "x" * 30_000,
]
text = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=120))
ids = st.one_of(st.sampled_from(["", "0", "-1", "9223372036854775808", "abc", "A"]), st.integers().map(str), text)


def form(**fields):
    return st.fixed_dictionaries({}, optional={**fields, "unexpected": text})
