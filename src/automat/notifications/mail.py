"""E-mail: what a message says (English or German, plain text and HTML), the signed unsubscribe
link, and how it leaves (SMTP, or a maildir when no server is configured).

Header values are built from data people typed (an order title, a tenant name): every control
character is replaced by a space before it goes near a header, so a CR/LF cannot start a header
of its own (``clean``); the standard library's e-mail policy refuses one anyway. Bodies are
escaped for HTML.
"""

from __future__ import annotations

import html
import mailbox
import re
import smtplib
import ssl
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import jwt

from automat.config import Settings, get_settings
from automat.kit.errors import Unauthorized
from automat.kit.time import utcnow
from automat.notifications.registry import EventType, Frequency

UNSUBSCRIBE_DAYS = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def clean(value: str, limit: int = 250) -> str:
    """A header-safe single line: control characters (CR, LF, tab …) become one space."""
    return _CONTROL.sub(" ", value).strip()[:limit]


def base_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return (settings.public_base_url or f"http://{settings.host}:{settings.port}").rstrip("/")


def link_for(target_type: str | None, target_id: str | None, detail: dict[str, Any]) -> str:
    """The page in the web UI an entry is about."""
    base = base_url()
    if target_type == "order" and target_id:
        return f"{base}/orders/{target_id}"
    if target_type == "product_import" and target_id:
        return f"{base}/products/imports/{target_id}"
    if target_type == "cad_file" and target_id:
        return f"{base}/cad/{target_id}"
    for key in ("download_url", "url"):  # a packed media download's signed link, or a page
        if isinstance(detail.get(key), str) and detail[key].startswith("/"):
            return f"{base}{detail[key]}"
    return f"{base}/notifications"


# -- the unsubscribe token ----------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscribe:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    event_type: str


def unsubscribe_token(user_id: uuid.UUID, tenant_id: uuid.UUID, event_type: str) -> str:
    """Signed, expiring, and good for one thing only: e-mails of one event type to one user."""
    payload = {
        "typ": "unsubscribe", "sub": str(user_id), "tid": str(tenant_id), "evt": event_type,
        "exp": utcnow() + timedelta(days=UNSUBSCRIBE_DAYS),
    }  # fmt: skip
    return jwt.encode(payload, get_settings().secret("secret_key"), algorithm="HS256")


def read_unsubscribe_token(token: str) -> Unsubscribe:
    try:
        payload = jwt.decode(
            token, get_settings().secret("secret_key"), algorithms=["HS256"],
            options={"require": ["exp", "sub", "typ"]},
        )  # fmt: skip
        if payload.get("typ") != "unsubscribe":
            raise jwt.InvalidTokenError("not an unsubscribe token")
        return Unsubscribe(uuid.UUID(payload["sub"]), uuid.UUID(payload["tid"]), str(payload["evt"]))
    except jwt.ExpiredSignatureError:
        raise Unauthorized(
            "This unsubscribe link has expired: change your settings in Automat.", code="token_expired"
        ) from None
    except (jwt.PyJWTError, KeyError, ValueError):
        raise Unauthorized("This unsubscribe link is not valid.", code="token_invalid") from None


def unsubscribe_url(user_id: uuid.UUID, tenant_id: uuid.UUID, event_type: str) -> str:
    query = urlencode({"token": unsubscribe_token(user_id, tenant_id, event_type)})
    return f"{base_url()}/api/notification-preferences/unsubscribe?{query}"


# -- what a message says ------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


_WORDS = {
    "en": {
        "greeting": "Hello {name},",
        "open": "Open in Automat",
        "why": "You get this e-mail because of your notification settings in {tenant}.",
        "stop": "Stop e-mails about “{event}”",
        "settings": "Notification settings",
        "digest_subject": "{tenant}: {count} {what} ({period})",
        "digest_intro": "What happened in {tenant} ({period}):",
        "updates": "updates",
        "hourly": "the last hour",
        "daily": "the last day",
        "more": "… and {n} more",
    },
    "de": {
        "greeting": "Hallo {name},",
        "open": "In Automat öffnen",
        "why": "Sie erhalten diese E-Mail wegen Ihrer Benachrichtigungseinstellungen in {tenant}.",
        "stop": "Keine E-Mails mehr zu „{event}“",
        "settings": "Benachrichtigungseinstellungen",
        "digest_subject": "{tenant}: {count} {what} ({period})",
        "digest_intro": "Was in {tenant} geschehen ist ({period}):",
        "updates": "Neuigkeiten",
        "hourly": "letzte Stunde",
        "daily": "letzter Tag",
        "more": "… und {n} weitere",
    },
}
DIGEST_ITEMS = 50


def words(locale: str | None) -> dict[str, str]:
    return _WORDS.get((locale or "en")[:2].lower(), _WORDS["en"])


def _label(event_type: EventType, locale: str | None) -> str:
    return event_type.label_de if words(locale) is _WORDS["de"] else event_type.label


def _html_page(paragraphs: list[str], footer: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    foot = " · ".join(footer)
    return (
        '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;color:#1f2937">'
        f'{body}<hr style="border:none;border-top:1px solid #e5e7eb">'
        f'<p style="font-size:12px;color:#6b7280">{foot}</p></body></html>'
    )


def _unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def notification_letter(
    *,
    tenant: str,
    name: str,
    event_type: EventType,
    message: str,
    link: str,
    unsubscribe: str,
    locale: str | None,
) -> Letter:
    w = words(locale)
    label = _label(event_type, locale)
    text = (
        f"{w['greeting'].format(name=name)}\n\n{message}\n\n{w['open']}: {link}\n\n-- \n"
        f"{w['why'].format(tenant=tenant)}\n{w['stop'].format(event=label)}: {unsubscribe}\n"
        f"{w['settings']}: {base_url()}/notifications/settings\n"
    )
    e = html.escape
    page = _html_page(
        [e(w["greeting"].format(name=name)), e(message), f'<a href="{e(link)}">{e(w["open"])}</a>'],
        [
            e(w["why"].format(tenant=tenant)),
            f'<a href="{e(unsubscribe)}">{e(w["stop"].format(event=label))}</a>',
            f'<a href="{e(base_url())}/notifications/settings">{e(w["settings"])}</a>',
        ],
    )
    return Letter(clean(f"{tenant}: {message}"), text, page, _unsubscribe_headers(unsubscribe))


@dataclass(frozen=True)
class DigestItem:
    event_type: EventType
    message: str
    link: str


def digest_letter(
    *, tenant: str, name: str, items: list[DigestItem], frequency: Frequency, locale: str | None,
    unsubscribe: dict[str, str],
) -> Letter:  # fmt: skip
    """One message for a period: a line per entry (the first ``DIGEST_ITEMS``), and an
    unsubscribe link per event type in it."""
    w = words(locale)
    period = w[frequency.value]
    counts: dict[str, int] = {}
    for item in items:
        label = _label(item.event_type, locale)
        counts[label] = counts.get(label, 0) + 1
    summary = ", ".join(f"{label}: {n}" for label, n in counts.items())
    shown, rest = items[:DIGEST_ITEMS], len(items) - DIGEST_ITEMS
    lines = [f"- {i.message}\n  {i.link}" for i in shown] + ([w["more"].format(n=rest)] if rest > 0 else [])
    stops = [f"{w['stop'].format(event=label)}: {url}" for label, url in unsubscribe.items()]
    text = (
        f"{w['greeting'].format(name=name)}\n\n{w['digest_intro'].format(tenant=tenant, period=period)}\n"
        f"{summary}\n\n"
        + "\n".join(lines)
        + "\n\n-- \n"
        + w["why"].format(tenant=tenant)
        + "\n"
        + "\n".join(stops)
        + f"\n{w['settings']}: {base_url()}/notifications/settings\n"
    )
    e = html.escape
    items_html = "".join(f'<li><a href="{e(i.link)}">{e(i.message)}</a></li>' for i in shown)
    if rest > 0:
        items_html += f"<li>{e(w['more'].format(n=rest))}</li>"
    page = _html_page(
        [e(w["greeting"].format(name=name)), e(w["digest_intro"].format(tenant=tenant, period=period)),
         e(summary), f"<ul>{items_html}</ul>"],
        [e(w["why"].format(tenant=tenant))]
        + [f'<a href="{e(url)}">{e(w["stop"].format(event=label))}</a>' for label, url in unsubscribe.items()]
        + [f'<a href="{e(base_url())}/notifications/settings">{e(w["settings"])}</a>'],
    )  # fmt: skip
    subject = w["digest_subject"].format(tenant=tenant, count=len(items), what=w["updates"], period=period)
    headers = _unsubscribe_headers(next(iter(unsubscribe.values()))) if len(unsubscribe) == 1 else {}
    return Letter(clean(subject), text, page, headers)


# -- how it leaves -------------------------------------------------------------------------------


class TemporaryFailure(Exception):
    """Try again later (a 4xx answer, the server unreachable)."""


class PermanentFailure(Exception):
    """The server refused the message for good (a 5xx answer)."""


def build_message(
    *, mail_from: str, to: str, subject: str, text: str, html_body: str, headers: dict[str, str],
    key: str, sent_at: datetime,
) -> EmailMessage:  # fmt: skip
    message = EmailMessage()
    message["From"] = clean(mail_from)
    message["To"] = clean(to, 320)
    message["Subject"] = clean(subject)
    message["Date"] = format_datetime(sent_at)
    domain = mail_from.rsplit("@", 1)[-1].strip("> ") or "automat.local"
    message["Message-ID"] = make_msgid(idstring=re.sub(r"[^A-Za-z0-9.-]", ".", key)[:60], domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    for name, value in headers.items():
        message[clean(name, 60)] = clean(value, 900)
    message.set_content(text)
    message.add_alternative(html_body, subtype="html")
    return message


class Transport:
    def send(self, message: EmailMessage) -> None:
        raise NotImplementedError


class SmtpTransport(Transport):
    """``smtp://[user:password@]host[:port][?starttls=require]`` or ``smtps://…``."""

    def __init__(self, url: str, timeout_s: float = 20) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("AUTOMAT_SMTP_URL must look like smtp://host:port or smtps://host:port")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.require_tls = parse_qs(parts.query).get("starttls", [""])[0] == "require"
        self.timeout_s = timeout_s

    def send(self, message: EmailMessage) -> None:
        try:
            if self.implicit_tls:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout_s, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
            with client:
                client.ehlo()
                if not self.implicit_tls and (client.has_extn("starttls") or self.require_tls):
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
                if self.user:
                    client.login(self.user, self.password or "")
                client.send_message(message)
        except smtplib.SMTPResponseException as exc:
            said = exc.smtp_error
            detail = f"{exc.smtp_code} {said.decode(errors='replace') if isinstance(said, bytes) else said}"
            if 400 <= exc.smtp_code < 500:
                raise TemporaryFailure(detail) from None
            raise PermanentFailure(detail) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if all(400 <= c < 500 for c in codes):
                raise TemporaryFailure(f"recipient refused for now: {codes}") from None
            raise PermanentFailure(f"recipient refused: {codes}") from None
        except (OSError, smtplib.SMTPException) as exc:  # unreachable, reset, timed out
            raise TemporaryFailure(f"{exc.__class__.__name__}: {exc}") from None


class MaildirTransport(Transport):
    """The embedded default: every message into ``<home>/mail`` (read at /api/dev/mailbox)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, message: EmailMessage) -> None:
        box = mailbox.Maildir(self.path, create=True)
        box.add(message)


def maildir_path(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).resolved_home() / "mail"


def transport(settings: Settings | None = None) -> Transport:
    settings = settings or get_settings()
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url)
    return MaildirTransport(maildir_path(settings))
