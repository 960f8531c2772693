"""Every stable error code the API can answer has a message for people in English and German.

The codes are read from the source with ``ast`` (not from a list someone keeps): every
``code = "…"`` (the ``kit/errors.py`` classes and their subclasses), every ``code="…"`` argument
(``raise Conflict(…, code="duplicate_alias")``, a workflow ``Problem``, a CAD warning), and what
the global handler answers itself (``core/errors.py``: ``error_response(…, "malformed_json", …)``
and the HTTP status codes' names). The web UI shows an error with ``t("errors:<code>", details)``
(``frontend/src/lib/api.ts errorMessage``): a code without a message there would reach the user
as the server's English sentence, and a German user would read English.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "automat"
CATALOGUES = ROOT / "frontend" / "src" / "i18n" / "errors"
# The web UI's own keys (a network failure, a code it does not know): no server raises them.
CLIENT_KEYS = {"unknown", "network"}


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def codes_in(tree: ast.AST) -> set[str]:
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if "code" in names:
                found.add(_string(node.value))
            if "_HTTP_CODES" in names and isinstance(node.value, ast.Dict):
                found |= {_string(v) for v in node.value.values}
        elif isinstance(node, ast.Call):
            found |= {_string(k.value) for k in node.keywords if k.arg == "code"}
            func = node.func
            if isinstance(func, ast.Name) and func.id == "error_response" and len(node.args) > 1:
                found.add(_string(node.args[1]))
            on_http_codes = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            if on_http_codes and func.value.id == "_HTTP_CODES" and func.attr == "get" and len(node.args) > 1:
                found.add(_string(node.args[1]))
    return {code for code in found if code}


def source_codes() -> dict[str, str]:
    """code -> the first file that raises it."""
    codes: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for code in sorted(codes_in(ast.parse(path.read_text(), filename=str(path)))):
            codes.setdefault(code, str(path.relative_to(ROOT)))
    return codes


def catalogue(lang: str) -> dict[str, str]:
    return dict(json.loads((CATALOGUES / f"{lang}.json").read_text()))


def test_the_extraction_finds_the_codes_of_every_kind_of_raise() -> None:
    codes = source_codes()
    assert {"conflict", "too_many_requests", "internal_error"} <= set(codes), "kit/errors.py's classes"
    assert {"invalid_cursor", "workbook_too_large", "not_step"} <= set(codes), "subclasses' code ="
    assert {"duplicate_alias", "order_not_found", "invalid_credentials"} <= set(codes), "code= arguments"
    assert {"malformed_json", "unknown_field", "method_not_allowed", "http_error"} <= set(codes), (
        "the handler's"
    )
    assert {"cycle", "unreachable"} <= set(codes), "workflow problems"
    tree = ast.parse('raise Conflict("x", code="made_up")\nclass E(NotFound):\n    code = "also_made_up"\n')
    assert codes_in(tree) == {"made_up", "also_made_up"}


def test_every_code_has_a_message_in_english_and_german() -> None:
    codes = source_codes()
    for lang in ("en", "de"):
        messages = catalogue(lang)
        missing = sorted(
            f"{code} ({where})" for code, where in codes.items() if not messages.get(code, "").strip()
        )
        assert missing == [], f"codes without a message in frontend/src/i18n/errors/{lang}.json"


def test_the_catalogue_names_no_code_that_nothing_raises() -> None:
    codes = set(source_codes())
    for lang in ("en", "de"):
        # `<code>_<reason>`: a code's message for one reason in its details (i18next's context).
        contexts = {key for key in catalogue(lang) if any(key.startswith(f"{code}_") for code in codes)}
        stale = sorted(set(catalogue(lang)) - codes - CLIENT_KEYS - contexts)
        assert stale == [], f"messages in {lang}.json for codes no source raises any more"


def test_german_messages_are_german_and_keep_the_same_placeholders() -> None:
    english, german = catalogue("en"), catalogue("de")
    assert english.keys() == german.keys()
    copied = sorted(code for code in english if english[code] == german[code])
    assert copied == [], "German messages that are the English text"
    placeholders = re.compile(r"{{\s*(\w+)\s*}}")
    differ = sorted(
        code
        for code in english
        if set(placeholders.findall(english[code])) != set(placeholders.findall(german[code]))
    )
    assert differ == [], "messages whose languages interpolate different details"
