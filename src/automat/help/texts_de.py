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
    # -- Benutzer und Mandanten (issue 15) ---------------------------------------------------------
    "user.search": {
        "title": "Benutzer suchen",
        "body": "Findet Benutzer, deren E-Mail oder Name den Text enthält, unabhängig von Groß- und "
        "Kleinschreibung.",
    },
    "user.invite": {
        "title": "Benutzer anlegen",
        "body": "Legt einen Zugang mit einer Rolle an. Automat erzeugt ein vorläufiges Passwort und zeigt "
        "es einmal an: Geben Sie es weiter; bei der ersten Anmeldung wählt die Person ihr eigenes.",
        "affects": ["wer sich anmelden kann", "was die Person darf (die Rolle)"],
        "warning": "Das vorläufige Passwort wird nur einmal angezeigt. Verloren? Setzen Sie das Passwort "
        "zurück.",
    },
    "user.email": {
        "title": "E-Mail",
        "body": "Der Anmeldename und die Adresse, an die Automat schreibt. In der ganzen Installation "
        "eindeutig.",
    },
    "user.full_name": {
        "title": "Name",
        "body": "So erscheint die Person in Listen, Aufträgen und im Prüfprotokoll.",
    },
    "user.tenant": {
        "title": "Mandant",
        "body": "Der Mandant, zu dem der Benutzer gehört und in dem er arbeitet (globale Administratoren "
        "gehören zu keinem). Lässt sich später nicht ändern.",
    },
    "user.role": {
        "title": "Rolle",
        "body": "Was der Benutzer darf. Kunde: bestellen und die eigenen Aufträge sehen. Projektleiter: "
        "Produkte, CAD-Dateien, alle Aufträge des Mandanten. Mandanten-Administrator: zusätzlich "
        "Benutzer, Einstellungen, Materialien, Ausgabetypen, Workflows und Rechnungen. Globaler "
        "Administrator: alle Mandanten.",
        "affects": ["Menüs und Aktionen, die der Benutzer sieht", "die Daten, die er erreicht"],
        "warning": "Eine Rollenänderung meldet den Benutzer überall ab. Ein Mandant behält mindestens einen "
        "aktiven Mandanten-Administrator; Mandanten-Administratoren vergeben nie die Rolle globaler "
        "Administrator.",
    },
    "user.deactivate": {
        "title": "Deaktivieren / reaktivieren",
        "body": "Ein deaktivierter Benutzer kann sich nicht anmelden; offene Sitzungen enden bei seiner "
        "nächsten Anfrage. Seine Aufträge und sein Verlauf bleiben. Reaktivieren lässt ihn wieder hinein.",
        "warning": "Der letzte aktive Mandanten-Administrator eines Mandanten kann nicht deaktiviert werden; "
        "sich selbst kann man nicht deaktivieren.",
    },
    "user.reset_password": {
        "title": "Passwort zurücksetzen",
        "body": "Gibt dem Benutzer ein neues vorläufiges Passwort (einmal angezeigt) und meldet ihn überall "
        "ab; bei der nächsten Anmeldung wählt er ein neues. Ihr eigenes Passwort ändern Sie mit Ihrem "
        "aktuellen.",
        "affects": ["die Sitzungen des Benutzers"],
    },
    "user.temporary_password": {
        "title": "Vorläufiges Passwort",
        "body": "Gilt für eine Anmeldung: Danach muss die Person ein eigenes wählen. Kopieren Sie es jetzt "
        "und geben Sie es auf sicherem Weg weiter; es wird nicht noch einmal angezeigt.",
    },
    "user.new_password": {
        "title": "Neues Passwort",
        "body": "Mindestens 10 Zeichen und nicht das vorläufige Passwort. Ihre anderen Sitzungen enden.",
    },
    "tenant.create": {
        "title": "Mandant anlegen",
        "body": "Ein neuer, getrennter Mandant: eigene Benutzer, Produkte, CAD-Dateien, Aufträge und Medien, "
        "die kein anderer Mandant sieht. Er beginnt mit den Standard-Ausgabetypen, Kamerapositionen und "
        "Material-Aliassen (dem Satz der Demo-Mandanten), den eingebauten Workflows und seinem ersten "
        "Mandanten-Administrator.",
        "affects": ["Mandantenauswahl", "wer sich anmelden kann"],
    },
    "tenant.name": {
        "title": "Name",
        "body": "Der angezeigte Name des Mandanten, in der Kopfzeile, der Mandantenauswahl und auf "
        "Rechnungen. Jederzeit änderbar.",
    },
    "tenant.slug": {
        "title": "Kurzname (Slug)",
        "body": "Ein eindeutiger Kurzname aus Kleinbuchstaben, Ziffern und Bindestrichen, z. B. "
        "„acme-gmbh“. Er kennzeichnet den Mandanten in der Auswahl und bestätigt das Löschen.",
        "warning": "Lässt sich später nicht ändern.",
    },
    "tenant.first_admin": {
        "title": "Erster Mandanten-Administrator",
        "body": "E-Mail (und Name) der Person, die den neuen Mandanten führt: Sie legt seine Benutzer an und "
        "richtet ihn ein. Sie erhält ein vorläufiges Passwort, einmal angezeigt, das sie bei der ersten "
        "Anmeldung ändert.",
    },
    "tenant.deactivate": {
        "title": "Mandant deaktivieren / reaktivieren",
        "body": "Die Benutzer eines deaktivierten Mandanten werden sofort abgemeldet (auch offene Seiten) "
        "und können sich nicht anmelden; seine Daten bleiben. Reaktivieren lässt sie wieder hinein.",
        "warning": "Laufende Aufträge des Mandanten werden nicht angehalten.",
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
