"""The embedded default's mail server: a local SMTP server (aiosmtpd) that keeps every message it
receives in the maildir ``<home>/mail``, where global admins read them at ``/api/dev/mailbox``.

``automat up`` runs it when ``AUTOMAT_SMTP_URL`` is unset and points its workers at it, so a
laptop installation sends its e-mail through real SMTP like a production one, and nothing leaves
the machine. ``python -m automat.notifications.dev_smtp --port 8025 --maildir var/mail``.
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--maildir", type=Path, required=True)
    args = parser.parse_args(argv)
    for part in ("tmp", "new", "cur"):  # a maildir's three folders, whatever exists already
        (args.maildir / part).mkdir(parents=True, exist_ok=True)
    controller = Controller(Mailbox(args.maildir), hostname=args.host, port=args.port)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    controller.start()
    print(f"dev SMTP server on {args.host}:{args.port}, messages in {args.maildir}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
