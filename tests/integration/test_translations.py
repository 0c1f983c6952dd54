"""The Chinese catalogue is complete for every string in the code, and the committed .mo is current."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _catalog():
    with PO.open("rb") as fh:
        return read_po(fh)


def _msgids_in_code() -> set[str]:
    found: set[str] = set()
    method_map = [("market/**.py", "python"), ("templates/**.html", "jinja2")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_in_the_code_has_a_chinese_translation():
    catalog = _catalog()
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(_msgids_in_code() - translated)
    assert missing == [], "untranslated (run the pybabel steps in docs/translations.md): " + repr(missing[:10])


def test_the_compiled_catalogue_is_current():
    buf = io.BytesIO()
    write_mo(buf, _catalog())
    assert MO.read_bytes() == buf.getvalue(), "run: pybabel compile -d translations"
