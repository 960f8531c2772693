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
    # --- Worker-Pools (Issue 17) ------------------------------------------------------------------
    "worker_config.min_concurrency": {
        "title": "Mindestzahl Prozesse je Worker",
        "body": "Der Pool, den jeder Worker dieser Warteschlange auch bei leerer Warteschlange behält. "
        "Beat prüft jede Minute und vergrößert oder verkleinert die Pools zwischen Mindest- und "
        "Höchstzahl, je nachdem, wie viele Aufgaben pro Worker warten und laufen.",
        "affects": [
            "wie schnell die erste Aufgabe nach einer ruhigen Zeit startet",
            "belegter Arbeitsspeicher",
        ],
        "recommendation": "1: Der Blender-Prozess eines Render-Workers belegt einige hundert MB.",
    },
    "worker_config.max_concurrency": {
        "title": "Höchstzahl Prozesse je Worker",
        "body": "Der größte Pool, auf den ein Worker dieser Warteschlange wächst, wenn Aufgaben warten. "
        "Jeder Prozess der Render-Warteschlange startet sein eigenes Blender.",
        "affects": ["Durchsatz", "Speicher- und GPU-Auslastung je Host"],
        "recommendation": "Render-Warteschlange: einer je GPU des Hosts. "
        "Schrittverarbeitung: die Kerne des Hosts.",
        "warning": "Zwei Blender-Prozesse auf einer GPU rendern gemeinsam langsamer als nacheinander.",
    },
}
