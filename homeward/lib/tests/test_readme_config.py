"""The README's configuration table lists every environment variable the code reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READS = re.compile(r"""(?:environ\.get|env_bool|env_int|env_secret)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def variables_read() -> set[str]:
    names = set()
    for path in [ROOT / "homeward" / "settings.py", *ROOT.glob("homeward/**/management/commands/*.py")]:
        names |= set(READS.findall(path.read_text()))
    return names


def test_every_variable_is_documented():
    readme = (ROOT / "README.md").read_text()
    names = variables_read()
    assert {"DATABASE_URL", "HOMEWARD_DATA_KEY", "SECRET_KEY"} <= names  # the scan works
    missing = sorted(n for n in names if f"`{n}`" not in readme)
    assert missing == []
