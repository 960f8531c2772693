"""German help: for every key of the registry, the German title and body, and the German words of
whatever the English entry has besides (``affects``, ``recommendation``, ``warning``, ``range``,
``unit`` where it is a word). ``GET /api/help?lang=de`` answers from it; a key missing here, or a
German entry that leaves out a field the English one has, fails ``tests/help/test_completeness.py``
(once wired). Keep the keys in the order of ``texts.py`` per area; add a feature's keys together.

    "tenant.max_order_size": {
        "title": "Größter Auftrag",
        "body": "Wie viele Positionen (Produkte x Ausgabetypen) ein Auftrag höchstens haben darf.",
        "affects": ["Auftragsassistent", "Länge der Warteschlange"],
    },
"""

from __future__ import annotations

from typing import Any

GERMAN: dict[str, dict[str, Any]] = {}
