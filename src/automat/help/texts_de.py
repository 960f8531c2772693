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
    # -- admin actions (issue 15) --
    "action.regenerate_thumbnails": {
        "title": "Vorschaubilder neu erzeugen",
        "body": "Rendert die Vorschaubilder der fertigen CAD-Dateien des Mandanten neu aus ihren "
        "vorhandenen GLBs (die STEP-Dateien werden nicht erneut konvertiert), mit den Materialien der "
        "aktuellen Aliase. Alle Dateien oder nur ausgewählte, nur solche mit einem Teil im magentafarbenen "
        "Ersatzmaterial oder nur seit einem Tag hochgeladene. Die erwartete Dauer ist der Median der "
        "zuletzt gemessenen Vorschau-Renderings mal der Zahl der Dateien.",
        "affects": ["Vorschaubilder", "Materialien der Teile"],
        "recommendation": "Nach dem Speichern von Aliasen nur die Dateien mit Teilen im Ersatzmaterial "
        "neu erzeugen.",
    },
    "action.process_unprocessed_cad_files": {
        "title": "Unverarbeitete CAD-Dateien verarbeiten",
        "body": "Stellt die Verarbeitung (Konvertierung, Vermessung, Materialien, Vorschaubild) der "
        "CAD-Dateien ein, die nie verarbeitet wurden: noch 'hochgeladen' oder vor mehr als 30 Minuten "
        "eingereiht, ohne dass ein Schritt begann (ihre Nachricht ging mit einem Worker verloren). Die "
        "erwartete Dauer ist die Summe der Median-Dauern dieser Schritte mal der Zahl der Dateien.",
        "affects": ["CAD-Dateien", "Verarbeitungswarteschlange"],
    },
    "action.requeue_failed_lines": {
        "title": "Fehlgeschlagene Auftragspositionen neu einreihen",
        "body": "Führt den fehlgeschlagenen Schritt jeder fehlgeschlagenen Auftragsposition erneut aus "
        "(ihr Auftrag wird wieder geöffnet und schließt erneut, wenn die Position endet). Positionen "
        "abgelehnter oder stornierter Aufträge bleiben, wie sie sind, und zählen als fehlgeschlagen. Die "
        "erwartete Dauer ist der Median der letzten Renderings mal der Zahl der Positionen.",
        "affects": ["Auftragspositionen", "Aufträge", "Render-Warteschlange"],
        "warning": "Eine Position, deren Fehlerursache noch besteht (eine fehlende CAD-Datei), schlägt "
        "erneut fehl.",
    },
    "action.recompute_media_search_columns": {
        "title": "Suchspalten der Medien neu berechnen",
        "body": "Schreibt die Kopien von Produktname, PIM-ID, Kategorie, Auftrag und Status, nach denen "
        "die Medienbibliothek sucht und filtert, für alle Medien des Mandanten in Stapeln neu. Nur nötig, "
        "wenn Suche oder Filter der Bibliothek nicht zu Produkten und Aufträgen passen.",
        "affects": ["Suche und Filter der Medienbibliothek"],
    },
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
