"""E-mail with Dutch HTML and text templates.

With MAIL_SERVER set, messages go over SMTP through Flask-Mail. Without it
(development), each message is written as an .eml file to MAIL_OUTBOX_DIR and
its links are logged, so the developer can click them.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

from flask import current_app, render_template
from flask_mail import Message

from core.extensions import mail

log = logging.getLogger(__name__)
LINK_RE = re.compile(r"https?://\S+")


def absolute_url(path: str) -> str:
    """A link for an e-mail: BASE_URL plus the path (from ``url_for``)."""
    return current_app.config["BASE_URL"] + path


def send(to: str | list[str], subject: str, template: str, **context) -> Message:
    """Render ``mail/<template>.txt`` and ``.html`` and send to ``to``."""
    recipients = [to] if isinstance(to, str) else list(to)
    context.setdefault("app_name", current_app.config["APP_NAME"])
    msg = Message(
        subject=subject,
        recipients=recipients,
        body=render_template(f"mail/{template}.txt", **context),
        html=render_template(f"mail/{template}.html", **context),
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    if current_app.config.get("MAIL_SERVER"):
        mail.send(msg)
    else:
        _write_to_outbox(msg)
    return msg


def _write_to_outbox(msg: Message) -> Path:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = outbox / f"{stamp}-{msg.recipients[0].replace('@', '_at_')}.eml"
    path.write_bytes(msg.as_bytes())
    links = LINK_RE.findall(msg.body or "")
    log.warning("E-mail aan %s (%s) in %s; links: %s", msg.recipients, msg.subject, path, " ".join(links))
    return path
