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

# --- output types, render templates, camera positions (the catalogue screens, issue 15) ----------
GERMAN.update(
    {
        "output_type.name": {
            "title": "Name",
            "body": "Was Kunden im Auftragsassistenten sehen; im Mandanten eindeutig.",
        },
        "output_type.kind": {
            "title": "Art",
            "body": "Was entsteht: ein Vorschaubild, ein Standbild, ein Drehteller-Video oder ein Export "
            "als GLB oder .blend.",
        },
        "output_type.render_settings": {
            "title": "Render-Einstellungen",
            "body": "Breite, Höhe, Samples, Engine, Format, transparenter Hintergrund, Position, Frames, "
            "Bilder pro Sekunde, Entrauschen.",
        },
        "output_type.price": {
            "title": "Preis",
            "body": "Der Preis einer Auftragsposition dieses Ausgabetyps.",
            "affects": ["Auftragssummen", "Rechnungen"],
        },
        "output_type.template_id": {
            "title": "Render-Vorlage",
            "body": "Die Render-Vorlage (.blend-Szene: Kamera-Aufbau, Licht, Branding), in der gerendert "
            "wird; ohne Vorlage das eingebaute Studio.",
        },
        "output_type.workflow_id": {
            "title": "Workflow",
            "body": "Der Auftragspositions-Workflow, den seine Positionen durchlaufen; ohne Angabe der "
            "eingebaute seiner Art.",
        },
        "output_type.is_active": {
            "title": "Aktiv",
            "body": "Inaktive Ausgabetypen werden für neue Aufträge nicht angeboten; bereits bestellte "
            "Positionen behalten ihn.",
            "affects": ["Auftragsassistent"],
        },
        "template.name": {
            "title": "Name",
            "body": "Der Name der Vorlage im Mandanten, eindeutig.",
        },
        "template.is_active": {
            "title": "Aktiv",
            "body": "Inaktive Vorlagen können keinem Ausgabetyp mehr zugeordnet werden; Ausgabetypen, "
            "die eine schon verwenden, rendern weiter damit.",
        },
        "template.blender_version": {
            "title": "Blender-Version",
            "body": "Die Blender-Version, mit der die Datei gespeichert wurde.",
        },
        "template.scene": {
            "title": "Szene",
            "body": "Die Szene, in der gerendert wird (die aktive Szene der Datei).",
        },
        "template.cameras": {
            "title": "Kameras",
            "body": "Die Kamera-Objekte der Szene; eine Vorlage braucht eine Kamera oder einen "
            "AUTOMAT_MODEL-Anker.",
        },
        "template.active_camera": {
            "title": "Aktive Kamera",
            "body": "Die Kamera, durch die gerendert wird: die aktive Kamera der Szene, sonst die erste "
            "nach Namen.",
        },
        "template.has_anchor": {
            "title": "AUTOMAT_MODEL-Anker",
            "body": "Ob ein Empty namens AUTOMAT_MODEL markiert, wo das Produkt steht und wie es gedreht "
            "ist; ohne ihn steht das Produkt im Ursprung der Szene.",
        },
        "template.lights": {"title": "Lichter", "body": "Die Lichtquellen der Szene."},
        "template.world": {
            "title": "Welt",
            "body": "Die Welt der Szene (Hintergrund und Umgebungslicht).",
        },
        "template.objects": {"title": "Objekte", "body": "Wie viele Objekte die Szene hat."},
        "template.meshes": {
            "title": "Meshes",
            "body": "Wie viele davon Meshes sind (Boden, Requisiten).",
        },
        "template.render_engine": {
            "title": "Render-Engine",
            "body": "Die Engine, mit der die Datei gespeichert wurde; es gilt die Engine des Ausgabetyps.",
        },
        "template.resolution": {
            "title": "Auflösung",
            "body": "Die Auflösung der Datei in Pixeln; es gelten Breite und Höhe des Ausgabetyps.",
        },
        "template.samples": {
            "title": "Samples",
            "body": "Die Render-Samples der Datei; es gelten die Samples des Ausgabetyps.",
        },
        "template.frame_range": {
            "title": "Frame-Bereich",
            "body": "Erster und letzter Frame der Datei; Drehteller verwenden die Frames des Ausgabetyps.",
        },
        "template.missing_libraries": {
            "title": "Fehlende Bibliotheken",
            "body": "Verknüpfte .blend-Bibliotheken, die nicht im Upload sind: was sie enthalten, fehlt "
            "in den Renderings. Packen Sie sie in die Datei (Datei > Externe Daten > Ressourcen packen) "
            "und laden Sie sie erneut hoch.",
            "warning": "Renderings mit fehlenden Bibliotheken fehlt, was die Bibliotheken enthalten "
            "(Lichter, Requisiten, Materialien).",
        },
        "template.size_bytes": {"title": "Dateigröße", "body": "Die Größe der hochgeladenen Datei."},
        "position.name": {
            "title": "Name",
            "body": "Der Name, den Ausgabetypen in ihren Render-Einstellungen (Position) verwenden; nicht "
            "der Name einer Voreinstellung.",
        },
        "position.azimuth_deg": {
            "title": "Azimut",
            "body": "Die Richtung der Kamera um das Produkt in Grad, von oben gesehen: 0 blickt auf die "
            "Vorderseite, 90 von rechts, 180 von hinten; jeder Wert, gespeichert in [0, 360).",
        },
        "position.elevation_deg": {
            "title": "Höhe",
            "body": "Wie hoch über dem Produkt die Kamera steht, in Grad: 0 auf gleicher Höhe, 90 senkrecht "
            "von oben, negativ von unten.",
        },
    }
)
