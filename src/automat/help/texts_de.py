"""German help: for every key of the registry, the German title and body, and the German words of
whatever the English entry has besides (``affects``, ``recommendation``, ``warning``, and ``range``
where its words are not values: the frequencies of notifications). ``GET /api/help?lang=de``
answers from it; number ranges ("1 to 256" -> "1 bis 256"), units and yes/no defaults are put into
German by ``registry.py`` itself. A key missing here, a German entry for a key the registry does
not have, or one that leaves out a field the English one has fails
``tests/help/test_completeness.py``. Keep the keys in the order of ``texts.py`` per area; add a
feature's keys together.

    "tenant.max_order_size": {
        "title": "Größter Auftrag",
        "body": "Wie viele Positionen (Produkte x Ausgabetypen) ein Auftrag höchstens haben darf.",
        "affects": ["Auftragsassistent", "Länge der Warteschlange"],
    },

The workflow steps' parameters share their words with the output types' render settings (the
render steps take the same fields), so they are written once below (``_RENDER_PARAMS``) and the
entries of each step are made from them.
"""

from __future__ import annotations

from typing import Any

RENDERZEIT = "Renderzeit"
_OVERRIDABLE = "Gilt für die ganze Installation; Mandanten können den Wert für sich ändern."
_INSTALLATION = "Gilt für die ganze Installation; Mandanten können den Wert nicht ändern."
_FREQUENCIES = "sofort, stündlich, täglich, nie"
_BOTH_CHANNELS = ["Benachrichtigungsliste", "E-Mail"]
_RENDER_FILES = ["Vorschaubilder", "Auftrags-Renderings", "GLB-/.blend-Exporte"]

# --- what the render steps and the output types' render settings share -----------------------------
_RENDER_PARAMS: dict[str, dict[str, str]] = {
    "width": {"title": "Breite", "body": "Bildbreite in Pixeln."},
    "height": {"title": "Höhe", "body": "Bildhöhe in Pixeln."},
    "samples": {
        "title": "Samples",
        "body": "Cycles-Samples pro Pixel: wie viele Lichtpfade Cycles je Bildpunkt berechnet. Mehr "
        "Samples ergeben ein rauschärmeres Bild.",
    },
    "engine": {
        "title": "Render-Engine",
        "body": "Die Render-Engine: Cycles (Pfadverfolgung, Referenzqualität) oder EEVEE (Echtzeit, "
        "schneller). Sie muss für den Mandanten freigegeben sein.",
    },
    "transparent_bg": {
        "title": "Transparenter Hintergrund",
        "body": "Transparenter Hintergrund statt des Studio-Hintergrunds.",
    },
    "denoise": {
        "title": "Entrauschen",
        "body": "Das fertige Bild mit OpenImageDenoise entrauschen.",
    },
    "position": {
        "title": "Kameraposition",
        "body": "Die Kameraposition: eine Voreinstellung (iso, front, side, top, three_quarter_low) "
        "oder eine eigene Position des Mandanten.",
    },
    "frames": {"title": "Bilder pro Umdrehung", "body": "Anzahl der Einzelbilder einer vollen Umdrehung."},
    "fps": {"title": "Bildrate (fps)", "body": "Bilder pro Sekunde des Videos."},
}
_STILL_FORMAT = {"title": "Dateiformat", "body": "Das Dateiformat des Bildes: png, jpeg oder webp."}
_VIDEO_FORMAT = {"title": "Dateiformat", "body": "Das Dateiformat des Videos: mp4 oder webm."}

_STEP_PARAMS = {
    "render_still": ["denoise", "engine", "height", "position", "samples", "transparent_bg", "width"],
    "render_thumbnail": ["denoise", "engine", "height", "position", "samples", "transparent_bg", "width"],
    "render_turntable": ["denoise", "engine", "fps", "frames", "height", "position", "samples",
                         "transparent_bg", "width"],
}  # fmt: skip

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
    # --- system settings --------------------------------------------------------------------------
    "setting.max_upload_mb": {
        "title": "Größter Upload (MB)",
        "body": f"Die größte Datei, die hochgeladen werden darf, in MB. {_OVERRIDABLE}",
        "affects": ["STEP- und Excel-Uploads"],
    },
    "setting.gltf_preview_linear_deflection": {
        "title": "Tessellierung der Vorschau (mm)",
        "body": "Wie fein die GLB-Datei für den 3D-Viewer die Flächen annähert: die größte "
        "Abweichung von der echten Fläche in mm, bezogen auf ein Teil von etwa 50 mm und mit der "
        f"Teilegröße skaliert. {_OVERRIDABLE}",
        "affects": ["Dateigröße im 3D-Viewer", "Glätte im 3D-Viewer", "Konvertierungszeit"],
        "recommendation": "0,05 bis 0,2 mm: im Viewer glatt, wenige MB pro Baugruppe.",
        "warning": "Unter 0,01 mm werden die Viewer-Dateien groß und laden im Browser langsam.",
    },
    "setting.gltf_production_linear_deflection": {
        "title": "Tessellierung der Produktions-GLB (mm)",
        "body": "Wie fein die GLB-Datei für Renderings und Exporte die Flächen annähert: die größte "
        f"Abweichung von der echten Fläche in mm. {_OVERRIDABLE}",
        "affects": [
            "Dateigröße der Produktions-GLB",
            "Renderqualität gekrümmter Flächen",
            "Konvertierungszeit",
        ],
    },
    "setting.conversion_timeout_s": {
        "title": "Zeitlimit der Konvertierung (s)",
        "body": "Wie lange die Konvertierung einer STEP-Datei höchstens dauern darf (Echtzeit). "
        f"{_OVERRIDABLE}",
        "affects": ["CAD-Dateien, die als zu langsam scheitern"],
    },
    "setting.conversion_memory_mb": {
        "title": "Speicherlimit der Konvertierung (MB)",
        "body": "Wie viel Arbeitsspeicher die Konvertierung einer STEP-Datei höchstens belegen darf. "
        f"{_OVERRIDABLE}",
        "affects": ["CAD-Dateien, die als zu groß scheitern"],
    },
    "setting.cycles_device": {
        "title": "Cycles-Rechengerät",
        "body": "Worauf Cycles rendert: gpu (bei fehlender GPU auf der CPU, mit Warnung), cpu, oder "
        f"auto (GPU, falls vorhanden, ohne Warnung). {_OVERRIDABLE}",
        "affects": [RENDERZEIT],
        "recommendation": "gpu: Wo keine GPU vorhanden ist, rendert der Render-Host auf der CPU und "
        "meldet das.",
    },
    "setting.render_default_samples": {
        "title": "Standard-Samples",
        "body": f"Die Cycles-Samples, wenn ein Ausgabetyp keine angibt. {_OVERRIDABLE}",
        "affects": [RENDERZEIT, "Bildrauschen"],
        "recommendation": "64 bis 128 für Vorschaubilder und Katalog-Standbilder mit Entrauschen; "
        "ohne Entrauschen 256 und mehr.",
        "warning": "Die Renderzeit wächst ungefähr linear mit den Samples.",
    },
    "setting.render_min_coverage_percent": {
        "title": "Mindestbildfüllung (%)",
        "body": "Ein Vorschaubild, Standbild oder Drehteller-Video, dessen Modell weniger als diesen "
        "Anteil des Bildes füllt (in % der Pixel, vor dem eigentlichen Rendering mit einer kleinen "
        "Maske gemessen; beim Drehteller am ersten Bild), scheitert mit einem Hinweis, was zu prüfen "
        "ist, statt ein (fast) leeres Bild zu liefern. Ein weit vom Rest entferntes Teil schrumpft das "
        f"Modell auf einen Punkt; 0 schaltet die Prüfung ab. {_OVERRIDABLE}",
        "affects": ["Renderings, die wegen schlechter Bildaufteilung scheitern"],
    },
    "setting.render_stall_timeout_minutes": {
        "title": "Zeitlimit für hängende Renderings (min)",
        "body": "Ein laufendes Rendering, das so lange kein Lebenszeichen gibt, gilt als hängend und "
        f"wird neu aufgesetzt. {_OVERRIDABLE}",
        "affects": ["wann ein hängendes Rendering neu aufgesetzt wird"],
    },
    "setting.task_retry_attempts": {
        "title": "Versuche je Schritt",
        "body": "So oft läuft ein Schritt, wenn er aus einem vorübergehenden Grund scheitert (Verbindung "
        "zur Datenbank oder zum Broker verloren, Render-Prozess abgestürzt); 1 heißt: nur einmal. "
        "Dauerhafte Fehler (ungültige CAD-Datei, fehlende Vorlage) werden nie wiederholt. "
        f"{_OVERRIDABLE}",
        "affects": ["wie oft ein Schritt nach einem Verbindungsverlust oder Absturz erneut läuft"],
        "recommendation": "3: ein Absturz wird zweimal wiederholt; stürzt derselbe Auftrag erneut ab, liegt "
        "es meist am Auftrag selbst, und die Position scheitert mit dem Grund.",
    },
    "setting.task_retry_backoff_s": {
        "title": "Wartezeit vor dem ersten erneuten Versuch (s)",
        "body": "So lange wartet ein vorübergehend gescheiterter Schritt, bevor er erneut läuft; die "
        f"Wartezeit verdoppelt sich mit jedem Versuch bis zur Obergrenze. {_OVERRIDABLE}",
        "affects": ["die Wartezeit, bevor ein gescheiterter Schritt erneut läuft"],
    },
    "setting.task_retry_backoff_cap_s": {
        "title": "Längste Wartezeit zwischen zwei Versuchen (s)",
        "body": f"Obergrenze der sich verdoppelnden Wartezeit zwischen zwei Versuchen. {_OVERRIDABLE}",
        "affects": ["die längste Wartezeit zwischen zwei Versuchen"],
    },
    "setting.admin_job_stall_timeout_minutes": {
        "title": "Zeitlimit für hängende Wartungsaufträge (min)",
        "body": "Ein laufender Auftrag einer Wartungsaktion, dessen Worker so lange kein Lebenszeichen "
        "gibt, wird als hängend gescheitert markiert; die Aktion kann danach wieder gestartet werden. "
        f"{_OVERRIDABLE}",
        "affects": ["wann eine Wartungsaktion, deren Worker verloren ging, wieder gestartet werden kann"],
        "recommendation": "10: der Worker eines laufenden Auftrags gibt alle 15 s ein Lebenszeichen, "
        "gleich, woran er gerade arbeitet.",
    },
    "setting.notification_batch_minutes": {
        "title": "Sammelzeitraum für Benachrichtigungen (min)",
        "body": "Zeitraum, in dem Render-Benachrichtigungen zu einer Zusammenfassung gesammelt werden. "
        f"{_OVERRIDABLE}",
        "affects": ["wie oft Auftrags-E-Mails und Benachrichtigungen verschickt werden"],
    },
    "setting.render_cancel_grace_s": {
        "title": "Frist beim Abbrechen (s)",
        "body": "Sekunden zwischen der Aufforderung zum Beenden (SIGTERM) und dem erzwungenen Abbruch "
        f"(SIGKILL), wenn ein Rendering abgebrochen wird. {_OVERRIDABLE}",
    },
    "setting.worker_blocklist_threshold": {
        "title": "Sperrliste: Fehlschläge in Folge",
        "body": "Ein Worker, bei dem so viele Aufträge desselben Schritts nacheinander scheitern "
        "(ein dauerhafter Fehler oder ein Absturz des Versuchs auf diesem Worker), wird für diesen "
        "Schritt gesperrt: Er gibt solche Aufträge an die Warteschlange zurück, damit andere Worker "
        "sie übernehmen, und es wird ein Alarm ausgelöst, bis ein Admin die Sperre auf der "
        "Worker-Seite aufhebt. Ein Erfolg auf dem Worker setzt die Zählung zurück. Der einzige Worker, "
        "der den Schritt ausführen könnte, wird nicht gesperrt (der Schritt stünde sonst still); ein "
        f"Alarm meldet, dass er weiter scheitert. 0 schaltet die Sperrliste aus. {_INSTALLATION}",
        "affects": [
            "wann ein Worker die Aufträge eines Schritts nicht mehr annimmt",
            "Alarme zu fehlerhaften Workern",
        ],
        "recommendation": "3, wie bei Flamenco: Eine fehlerhafte Datei lässt einen Auftrag scheitern; drei "
        "in Folge auf einem Worker, während andere Erfolg haben, deuten meist auf einen defekten Rechner "
        "(fehlender GPU-Treiber, volle Platte).",
        "warning": "Eingaben, die auf jedem Worker scheitern (z. B. eine Reihe ungültiger CAD-Dateien), "
        "zählen mit: Vor dem Aufheben den letzten Fehler prüfen und erst aufheben, wenn die Ursache "
        "behoben ist.",
    },
    "setting.pipeline_event_retention_days": {
        "title": "Aufbewahrung des Pipeline-Protokolls (Tage)",
        "body": f"Protokollzeilen der Pipeline, die älter sind, werden gelöscht. {_INSTALLATION}",
    },
    "setting.temp_max_age_hours": {
        "title": "Höchstalter temporärer Dateien (h)",
        "body": "Temporäre Dateien beendeter Prozesse (der Render-Ordner eines abgebrochenen Workers, "
        "ein abgebrochener Upload) werden gelöscht, sobald sie so viele Stunden alt sind: beim Start "
        "eines Workers und stündlich. Dateien laufender Prozesse werden nie gelöscht, egal wie alt. "
        f"{_INSTALLATION}",
    },
    "setting.excel_max_rows": {
        "title": "Excel: höchste Zeilenzahl",
        "body": "Bis zu welcher Zeile (ab Zeile 1 gezählt) das erste Blatt einer importierten "
        "Arbeitsmappe reichen darf; eine größere Mappe wird abgelehnt, bevor sie gelesen wird "
        f"(422 workbook_too_large). {_INSTALLATION}",
    },
    "setting.excel_max_columns": {
        "title": "Excel: höchste Spaltenzahl",
        "body": "Bis zu welcher Spalte das erste Blatt einer importierten Arbeitsmappe reichen darf "
        f"(Spalte A = 1). {_INSTALLATION}",
    },
    "setting.excel_max_cells": {
        "title": "Excel: höchste Zellenzahl",
        "body": "Wie viele Zellen (Zeilen x Spalten des benutzten Bereichs) ein importiertes Blatt "
        "höchstens haben darf. Das Einlesen hält das Blatt als Rechteck von etwa 32 Byte je Zelle im "
        f"Speicher: 20 Millionen Zellen ≈ 640 MB des lesenden Prozesses. {_INSTALLATION}",
    },
    "setting.excel_max_inflated_mb": {
        "title": "Excel: entpackte Größe (MB)",
        "body": "Auf wie viele MB eine importierte Arbeitsmappe beim Entpacken höchstens anwachsen darf "
        "(eine .xlsx ist ein ZIP-Archiv aus XML; ein kleiner Upload kann auf Gigabytes anwachsen). "
        f"{_INSTALLATION}",
    },
    "setting.excel_parse_memory_mb": {
        "title": "Excel: Speicherlimit beim Einlesen (MB)",
        "body": "Wie viel Arbeitsspeicher der Prozess, der eine Arbeitsmappe liest, höchstens belegen "
        "darf. Eine Mappe, die mehr braucht, wird als zu groß abgelehnt; API und Worker bleiben davon "
        f"unberührt. {_INSTALLATION}",
    },
    "setting.excel_parse_timeout_s": {
        "title": "Excel: Zeitlimit beim Einlesen (s)",
        "body": "Wie lange das Lesen einer Arbeitsmappe höchstens dauern darf (Echtzeit; gilt für die "
        f"Prüfung beim Upload und das Einlesen im Importschritt). {_INSTALLATION}",
    },
    "setting.media_zip_async_mb": {
        "title": "Medien-ZIP im Hintergrund ab (MB)",
        "body": "Ein Sammel-Download von Medien, dessen Dateien zusammen mehr als so viele MB haben, "
        "wird von einem Worker im Speicher gepackt und über einen befristeten Link angeboten (mit "
        f"Fortschrittsanzeige); kleinere werden sofort gestreamt. {_INSTALLATION}",
    },
    "setting.media_zip_async_files": {
        "title": "Medien-ZIP im Hintergrund ab (Dateien)",
        "body": "Ein Sammel-Download von Medien mit mehr als so vielen Dateien wird ebenfalls von einem "
        f"Worker gepackt (wie oben). {_INSTALLATION}",
    },
    "setting.media_zip_max_files": {
        "title": "Medien-ZIP: höchste Dateizahl",
        "body": "Wie viele Dateien ein Sammel-Download von Medien höchstens enthalten darf (darüber "
        "422 download_too_large): Beim Schreiben hält das Archiv für jede Datei einen "
        f"Verzeichniseintrag im Speicher. {_INSTALLATION}",
    },
    "setting.media_zip_keep_hours": {
        "title": "Medien-ZIP: Aufbewahrung (h)",
        "body": "Wie lange ein von einem Worker gepacktes Medienarchiv heruntergeladen werden kann; "
        f"danach wird es gelöscht (stündliche Prüfung). {_INSTALLATION}",
    },
    # --- tenant settings ----------------------------------------------------------------------------
    "tenant.max_concurrent_renders": {
        "title": "Gleichzeitige Renderings",
        "body": "Wie viele Auftragspositionen dieses Mandanten gleichzeitig gerendert werden dürfen; "
        "die übrigen warten in der Warteschlange. Große Aufträge dieses Mandanten halten die "
        "Renderings anderer Mandanten nicht auf.",
        "affects": ["Auftragsdurchsatz", "wie schnell Renderings anderer Mandanten starten"],
        "recommendation": "Die Zahl der Render-Hosts (GPUs), die dieser Mandant höchstens belegen soll.",
    },
    "tenant.render_engines_allowed": {
        "title": "Erlaubte Render-Engines",
        "body": "Die Engines, die die Ausgabetypen dieses Mandanten verwenden dürfen: Cycles "
        "(Pfadverfolgung, die Qualitätsreferenz) und EEVEE (Echtzeit, schneller, weniger genaues Licht).",
        "affects": [RENDERZEIT, "Bildqualität"],
    },
    "tenant.max_order_size": {
        "title": "Größter Auftrag",
        "body": "Wie viele Positionen (Produkte x Ausgabetypen) ein Auftrag höchstens haben darf.",
        "affects": ["Auftragsassistent", "Länge der Warteschlange"],
    },
    "tenant.fallback_material": {
        "title": "Ersatzmaterial",
        "body": "Das Material der Teile, auf die kein Alias passt. Standardmäßig bewusst Magenta: Ein "
        "nicht zugeordnetes Teil fällt in jedem Rendering auf, statt als schlichtes Grau durchzugehen.",
        "affects": _RENDER_FILES,
        "recommendation": "Das magentafarbene Ersatzmaterial behalten und nicht zugeordneten Teilen ein "
        "Material geben (Seite der CAD-Datei: Material zuweisen).",
    },
    "tenant.notifications_enabled": {
        "title": "Benachrichtigungen",
        "body": "Ob die Benutzer dieses Mandanten Benachrichtigungen erhalten (Auftrag abgeschlossen, "
        "fehlgeschlagen, abgelehnt).",
        "affects": ["Benachrichtigungen", "E-Mails"],
    },
    "tenant.invoice_prefix": {
        "title": "Rechnungspräfix",
        "body": "Steht vor den Rechnungsnummern der Aufträge dieses Mandanten (Großbuchstaben, Ziffern, "
        "'-').",
        "affects": ["Rechnungen"],
    },
    "tenant.currency": {
        "title": "Währung",
        "body": "ISO-4217-Code der Währung, in der die Preise der Ausgabetypen angegeben sind (der "
        "Auftragsassistent zeigt sie an).",
        "affects": ["Preise im Auftragsassistenten", "Rechnungen"],
    },
    "tenant.unmatched_part_material": {
        "title": "Material nicht zugeordneter Teile",
        "body": "Worin ein CAD-Teil gerendert wird, auf das kein Material-Alias passt. 'fallback' "
        "(Standard): das Ersatzmaterial (Magenta), damit nicht zugeordnete Teile auffallen. "
        "'cad_colour': die Farbe, die die STEP-Datei dem Teil gibt, als einfaches Material "
        "(protokolliert als '(no match, CAD colour)'); Teile ohne Farbe erhalten weiterhin das "
        "Ersatzmaterial. Gedacht für Teams, deren CAD-Benennung noch keine Alias-Regeln hat. Gilt für "
        "CAD-Dateien, die nach der Änderung verarbeitet (oder neu verarbeitet) werden: Vorschaubilder, "
        "Auftrags-Renderings, GLB-/.blend-Exporte und die Materialtabelle der CAD-Detailseite.",
        "affects": _RENDER_FILES,
    },
    "tenant.billing_mode": {
        "title": "Abrechnungsart",
        "body": "Wie die gelieferten Renderings dieses Mandanten abgerechnet werden: 'monthly' (eine "
        "Rechnung je Kalendermonat, UTC, über alle in ihm gelieferten Positionen) oder 'per_order' "
        "(eine Rechnung je abgeschlossenem Auftrag).",
        "affects": ["Rechnungen"],
    },
    "tenant.tax_rate_percent": {
        "title": "Steuersatz (%)",
        "body": "Der Steuersatz (in Prozent), der auf die Nettosumme der Rechnungen dieses Mandanten "
        "aufgeschlagen wird.",
        "affects": ["Rechnungen"],
        "recommendation": "19 in Deutschland",
    },
    "tenant.billing_address": {
        "title": "Rechnungsanschrift",
        "body": "Die Anschrift, die auf den Rechnungen unter dem Namen des Mandanten steht (mehrzeilig).",
        "affects": ["Rechnungs-PDFs"],
    },
    "tenant.dedicated_render_queue": {
        "title": "Eigene Render-Warteschlange",
        "body": "Die Renderings dieses Mandanten (Auftragspositionen, CAD-Vorschaubilder seiner Workflows) "
        "gehen in eine eigene Warteschlange, '<Mandantenkürzel>.thumbnail_rendering', die nur eigens dafür "
        "gestartete Worker abarbeiten (automat worker --queue <Mandantenkürzel>.thumbnail_rendering): die "
        "eigenen GPU-Worker eines Vertragskunden. Solange keiner läuft, warten seine Positionen und "
        "sagen das.",
        "affects": ["welche Worker die Positionen dieses Mandanten rendern"],
        "warning": "Zuerst einen Worker für die Warteschlange starten: bis einer läuft, wartet jedes "
        "Rendering des Mandanten.",
    },
    "tenant.dedicated_processing_queue": {
        "title": "Eigene Verarbeitungs-Warteschlange",
        "body": "Die Verarbeitungsschritte dieses Mandanten (STEP-Umwandlung, Prüfungen, Auslieferungen, "
        "Excel-Importe) gehen in eine eigene Warteschlange '<Mandantenkürzel>.step_processing', die nur "
        "eigens dafür gestartete Worker abarbeiten.",
        "affects": ["welche Worker für diesen Mandanten umwandeln, prüfen und ausliefern"],
        "warning": "Zuerst einen Worker für die Warteschlange starten: bis einer läuft, warten die "
        "Uploads und Aufträge des Mandanten.",
    },
    # --- output type render settings -------------------------------------------------------------
    "output_type.render_settings.width": {
        **_RENDER_PARAMS["width"],
        "affects": [RENDERZEIT, "Dateigröße"],
    },
    "output_type.render_settings.height": {
        **_RENDER_PARAMS["height"],
        "affects": [RENDERZEIT, "Dateigröße"],
    },
    "output_type.render_settings.samples": {
        "title": "Samples",
        "body": "Cycles-Samples pro Pixel: wie viele Lichtpfade Cycles je Bildpunkt berechnet. Leer: "
        "der Standardwert des Mandanten.",
        "affects": [RENDERZEIT, "Bildrauschen"],
        "warning": "Die Renderzeit wächst ungefähr linear mit den Samples.",
    },
    "output_type.render_settings.engine": {
        **_RENDER_PARAMS["engine"],
        "affects": [RENDERZEIT, "Bildqualität"],
    },
    "output_type.render_settings.transparent_bg": {
        **_RENDER_PARAMS["transparent_bg"],
        "affects": ["Hintergrund von Standbildern und Vorschaubildern"],
    },
    "output_type.render_settings.frames": {
        **_RENDER_PARAMS["frames"],
        "affects": [RENDERZEIT, "Videolänge"],
    },
    "output_type.render_settings.fps": {
        **_RENDER_PARAMS["fps"],
        "affects": ["Videolänge", "Flüssigkeit der Bewegung"],
    },
    "output_type.render_settings.denoise": {
        **_RENDER_PARAMS["denoise"],
        "affects": ["Bildrauschen", RENDERZEIT],
        "recommendation": "Für Standbilder mit wenigen Samples einschalten: ein sauberes Bild mit einem "
        "Bruchteil der Samples.",
    },
    "output_type.render_settings.format": {
        "title": "Dateiformat",
        "body": "Das Dateiformat der Ausgabe, je nach Art des Ausgabetyps: png, jpeg oder webp für "
        "Standbilder, mp4 oder webm für Drehteller-Videos, glb oder blend für Exporte.",
    },
    "output_type.render_settings.position": {
        "title": "Kameraposition",
        "body": "Die Kameraposition: eine Voreinstellung (iso, front, side, top, three_quarter_low) "
        "oder eine eigene Position des Mandanten.",
    },
    # --- workflow step parameters (the render steps: see below) -------------------------------------
    "workflow_step.occ_glb_export.conversion_timeout_s": {
        "title": "Zeitlimit der Konvertierung (s)",
        "body": "Wie lange die Konvertierung einer STEP-Datei höchstens dauern darf (Echtzeit).",
    },
    "workflow_step.occ_glb_export.conversion_memory_mb": {
        "title": "Speicherlimit der Konvertierung (MB)",
        "body": "Wie viel Arbeitsspeicher die Konvertierung einer STEP-Datei höchstens belegen darf.",
    },
    "workflow_step.occ_glb_export.gltf_preview_linear_deflection": {
        "title": "Tessellierung der Vorschau (mm)",
        "body": "Wie fein die GLB-Datei für den 3D-Viewer die Flächen annähert: die größte Abweichung "
        "in mm, bezogen auf ein Teil von etwa 50 mm und mit der Teilegröße skaliert.",
    },
    "workflow_step.occ_glb_export.gltf_production_linear_deflection": {
        "title": "Tessellierung der Produktions-GLB (mm)",
        "body": "Wie fein die GLB-Datei für Renderings und Exporte die Flächen annähert: die größte "
        "Abweichung in mm.",
    },
    # --- notification event types (the preferences) -------------------------------------------------
    "notification.order_submitted": {
        "title": "Auftrag eingereicht",
        "body": "Ein Kunde oder Kollege hat einen Auftrag eingereicht: Er wartet auf das Rendering und "
        "sollte eventuell geprüft werden (ist er falsch, mit Begründung ablehnen).",
        "affects": _BOTH_CHANNELS,
        "range": _FREQUENCIES,
    },
    "notification.order_completed": {
        "title": "Auftrag abgeschlossen",
        "body": "Alle Positionen Ihres Auftrags sind fertig (abgeschlossen, mit Fehlern oder storniert): "
        "eine Zusammenfassung je Auftrag, nie eine je Rendering.",
        "affects": _BOTH_CHANNELS,
        "range": _FREQUENCIES,
    },
    "notification.order_rejected": {
        "title": "Auftrag abgelehnt",
        "body": "Ein Projektmanager hat Ihren Auftrag mit Begründung abgelehnt: Bearbeiten Sie ihn und "
        "reichen Sie ihn erneut ein.",
        "affects": _BOTH_CHANNELS,
        "range": _FREQUENCIES,
    },
    "notification.import_finished": {
        "title": "Produktimport abgeschlossen",
        "body": "Eine von Ihnen hochgeladene Excel-Produktliste wurde importiert (oder der Import ist "
        "fehlgeschlagen), mit ihren Zahlen.",
        "affects": _BOTH_CHANNELS,
        "range": _FREQUENCIES,
    },
    "notification.media_archive_ready": {
        "title": "Mediendownload gepackt",
        "body": "Ein großer Download, den Sie angefordert haben, ist gepackt (die Nachricht verlinkt ihn, "
        "bis er abläuft) oder konnte nicht gepackt werden.",
        "affects": _BOTH_CHANNELS,
        "range": _FREQUENCIES,
    },
    "notification.alerts": {
        "title": "Betriebswarnungen",
        "body": "Hängende Renderings, abgestürzte Render-Hosts, fehlgeschlagene GPU-Prüfungen, nicht "
        "zustellbare E-Mails: immer unter Warnungen aufgeführt; hier wählen Sie, ob sie Ihnen auch per "
        "E-Mail geschickt werden.",
        "affects": ["E-Mail"],
        "range": _FREQUENCIES,
    },
    # --- admin actions ------------------------------------------------------------------------------
    "action.reprocess_cad_file": {
        "title": "Neu verarbeiten",
        "body": "Konvertiert die STEP-Datei erneut, vermisst sie, weist die Materialien mit den "
        "aktuellen Aliasen zu und rendert ein neues Vorschaubild.",
        "affects": ["Teile und Materialien der Datei", "ihre GLB-Dateien", "ihr Vorschaubild"],
    },
    "action.assign_material": {
        "title": "Material zuweisen",
        "body": "Speichert einen Material-Alias für ein Teil, auf das keiner passte (es wird magenta "
        "gerendert), und verarbeitet die Datei neu, sodass das Vorschaubild mit dem Material gerendert "
        "wird. Der Alias gilt ab jetzt für jede CAD-Datei des Mandanten, die verarbeitet wird.",
        "affects": [
            "Material-Aliase",
            "das Vorschaubild dieser Datei",
            "Renderings anderer Dateien mit solchen Teilen",
        ],
    },
    "action.assign_material.material": {
        "title": "Material",
        "body": "Das Material, das die passenden Teile in Vorschaubildern, Renderings und Exporten "
        "erhalten: eines aus der mitgelieferten Bibliothek (SCHAEFFLER_<Code>_<Name>) oder ein eigenes "
        "des Mandanten.",
        "affects": _RENDER_FILES,
    },
    "action.assign_material.pattern": {
        "title": "Betroffene Teile",
        "body": "Der genaue Teilename oder ein daraus gebildetes Muster: 'Ball*' passt auf jeden Namen, "
        "der mit Ball beginnt, '*_Ring' auf jeden, der auf _Ring endet (Groß- und Kleinschreibung "
        "zählen nicht). Instanznummern wie Ball_13 oder Ball.001 zählen als Ball.",
        "recommendation": "Ein Muster wählen, wenn Ihre CAD-Namen einem Schema folgen: Dann deckt ein "
        "Alias alle Dateien ab. Die Vorschau zeigt vor dem Speichern, worauf es sonst noch passt.",
        "warning": "Ein weit gefasstes Muster kann Teile treffen, die Sie nicht meinten; ein genauer "
        "Alias hat für das Teil, das er nennt, immer Vorrang vor einem Muster.",
    },
    "action.reset_default_aliases": {
        "title": "Aliase auf Standard zurücksetzen",
        "body": "Stellt die mitgelieferten Standard-Aliase wieder her, wie sie ausgeliefert wurden; die "
        "eigenen Aliase des Mandanten bleiben, außer 'eigene entfernen' ist gewählt.",
        "affects": ["Material-Aliase"],
        "warning": "Bereits verarbeitete Dateien behalten ihre Materialien, bis sie neu verarbeitet werden.",
    },
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
        "body": "Ein Preis eines Ausgabetyps in der Währung des Mandanten ab einem Tag: Lieferungen ab "
        "diesem Tag werden zu ihm berechnet; vor dem ersten Eintrag eines Ausgabetyps gilt dessen "
        "eigener Preis.",
        "affects": ["die Preise neuer Rechnungen"],
        "warning": "Eine Preisänderung ändert nie ausgestellte Rechnungen; nur danach angelegte Entwürfe "
        "nutzen sie.",
    },
    # --- order wizard fields ------------------------------------------------------------------------
    "wizard.products": {
        "title": "Produkte",
        "body": "Die zu rendernden Produkte. Suche nach Name oder PIM-ID; jedes gewählte Produkt wird in "
        "jedem Ausgabetyp gerendert, den Sie als Nächstes wählen.",
        "affects": ["Auftragsgröße", "Preis"],
        "warning": "Ein Produkt ohne CAD-Datei kann nicht gerendert werden: Seine Positionen werden "
        "markiert und nicht berechnet.",
    },
    "wizard.output_types": {
        "title": "Ausgabetypen",
        "body": "Was aus jedem Produkt entsteht: Standbilder, Drehteller-Videos, GLB- oder .blend-Exporte, "
        "jeweils mit eigener Größe, Kameraposition und eigenem Preis. Ein Auftrag hat eine Position je "
        "Produkt und Ausgabetyp.",
        "affects": ["Auftragsgröße", "Preis", RENDERZEIT],
    },
    "wizard.review": {
        "title": "Positionen",
        "body": "Eine Position je Produkt und Ausgabetyp, mit ihrem Preis. Positionen, die in einer "
        "früheren Runde fertig wurden, bleiben, wie sie sind; Positionen von Produkten ohne CAD-Datei "
        "können nicht gerendert werden und kosten nichts.",
        "affects": ["Preis"],
    },
}

for _step, _params in _STEP_PARAMS.items():
    for _param in _params:
        GERMAN[f"workflow_step.{_step}.{_param}"] = dict(_RENDER_PARAMS[_param])
    GERMAN[f"workflow_step.{_step}.format"] = dict(
        _VIDEO_FORMAT if _step == "render_turntable" else _STILL_FORMAT
    )
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
GERMAN.update(
    {
        # --- Worker-Pools (Issue 17) ------------------------------------------------------------------
        "action.clear_worker_block": {
            "title": "Sperre aufheben",
            "body": "Ein Worker, bei dem die Aufträge eines Schritts mehrmals nacheinander gescheitert sind "
            "(Einstellung worker_blocklist_threshold), nimmt die Aufträge dieses Schritts nicht mehr an: Er "
            "gibt sie an die Warteschlange zurück, damit andere Worker sie übernehmen, und es wurde ein "
            "Alarm ausgelöst. Aufheben lässt ihn sie wieder annehmen und beginnt die Zählung von vorn.",
            "affects": [
                "welche Worker diesen Schritt ausführen",
                "Aufträge dieses Schritts, die auf einen Worker warten",
            ],
            "recommendation": "Den letzten Fehler lesen und zuerst den Rechner reparieren (Treiber, Platte, "
            "fehlende Software); liegt der Fehler an der Eingabe (eine ungültige Datei), war der Worker "
            "nicht schuld: Sperre aufheben.",
            "warning": "Ein weiterhin defekter Worker lässt die nächsten Aufträge wieder scheitern und wird "
            "nach ebenso vielen Fehlschlägen erneut gesperrt.",
        },
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
)
