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

GERMAN: dict[str, dict[str, Any]] = {
    # --- admin actions of the settings screens ------------------------------------------------------
    "action.reset_setting": {
        "title": "Installationswert verwenden",
        "body": "Entfernt den eigenen Wert dieses Mandanten für die Einstellung: Seine Arbeit läuft "
        "wieder mit dem Installationswert (oder, wo ein globaler Admin keinen gesetzt hat, mit dem "
        "Standardwert).",
        "affects": ["die Arbeit dieses Mandanten, die die Einstellung nutzt"],
    },
    "action.reset_installation_setting": {
        "title": "Auf Standard zurücksetzen",
        "body": "Entfernt den Installationswert der Einstellung: Für jeden Mandanten ohne eigenen Wert "
        "gilt wieder der Standardwert der Registry.",
        "affects": ["jeden Mandanten ohne eigenen Wert"],
        "warning": "Mandanten, die die Einstellung überschreiben, behalten ihren eigenen Wert.",
    },
}
