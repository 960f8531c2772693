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
    "action.draft_invoice": {
        "title": "Rechnung entwerfen",
        "body": "Sammelt jede gelieferte, noch nicht berechnete Auftragsposition zum Preis ihres Liefertags: "
        "eines Monats bei monatlicher Abrechnung, eines abgeschlossenen Auftrags bei Abrechnung pro Auftrag. "
        "Ein Entwurf kann noch gelöscht werden; er hat noch keine Nummer.",
        "affects": ["Rechnungen"],
    },
    "action.issue_invoice": {
        "title": "Rechnung ausstellen",
        "body": "Gibt dem Entwurf seine Nummer (<Rechnungspräfix>-<Jahr>-<laufende Nummer>, lückenlos je "
        "Mandant) und friert ihn ein: Positionen, Preise und Summen ändern sich danach nie mehr.",
        "affects": ["Rechnungsnummern", "PDF und CSV der Rechnung"],
        "warning": "Eine ausgestellte Rechnung kann nicht gelöscht werden; heben Sie sie durch eine "
        "Gutschrift auf oder stornieren Sie sie.",
    },
    "action.pay_invoice": {
        "title": "Als bezahlt markieren",
        "body": "Erfasst, dass der Kunde eine ausgestellte Rechnung bezahlt hat.",
        "affects": ["den Status der Rechnung"],
    },
    "action.void_invoice": {
        "title": "Rechnung stornieren",
        "body": "Markiert eine ausgestellte, unbezahlte Rechnung als storniert. Sie behält ihre Nummer; "
        "ihre Positionen können erneut berechnet werden.",
        "affects": ["den Status der Rechnung", "welche Positionen berechnet werden können"],
        "recommendation": "Hat der Kunde die Rechnung bereits erhalten, erstellen Sie eine Gutschrift.",
    },
    "action.credit_invoice": {
        "title": "Gutschrift erstellen",
        "body": "Hebt eine ausgestellte oder bezahlte Rechnung durch eine Gutschrift auf: sofort mit eigener "
        "Nummer ausgestellt, mit dem negativen Betrag jeder Position und dem Verweis auf die Rechnung.",
        "affects": ["Gutschriften", "Rechnungsnummern"],
    },
    "action.delete_invoice": {
        "title": "Entwurf löschen",
        "body": "Löscht einen Rechnungsentwurf; seine Positionen können erneut entworfen werden. "
        "Ausgestellte Rechnungen können nicht gelöscht werden.",
        "affects": ["Rechnungen"],
    },
    "action.add_price": {
        "title": "Preis hinzufügen",
        "body": "Ein Preis eines Ausgabetyps in der Währung des Mandanten ab einem Tag: Lieferungen ab diesem "
        "Tag werden zu ihm berechnet; vor dem ersten Eintrag eines Ausgabetyps gilt dessen eigener Preis.",
        "affects": ["die Preise neuer Rechnungen"],
        "warning": "Eine Preisänderung ändert nie ausgestellte Rechnungen; nur danach angelegte Entwürfe nutzen sie.",
    },
}
