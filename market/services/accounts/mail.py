"""The transport: deliver one message through MARKET_MAIL_URL (smtp:// or smtps://), or into the instance
outbox folder. Callers queue mail with `outbox.queue` instead; only the outbox's sender calls `send`."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app

DOMAIN = "longxian-market.example.com"
SENDER = f"noreply@{DOMAIN}"


def build_message(to: str, subject: str, body: str, message_id: str | None = None) -> EmailMessage:
    """A plain-text UTF-8 message; `message_id` (the outbox row's) lets a mail client recognise a repeat."""
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = f"<{message_id}@{DOMAIN}>" if message_id else make_msgid(domain=DOMAIN)
    msg.set_content(body)
    return msg


def send(to: str, subject: str, body: str, message_id: str | None = None) -> None:
    """Deliver a message by SMTP, or write it to the outbox folder when no mail server is configured.
    Raises (OSError, smtplib.SMTPException) when the message could not be handed over."""
    msg = build_message(to, subject, body, message_id)
    url = current_app.config.get("MARKET_MAIL_URL")
    if not url:
        outbox = Path(current_app.config["MARKET_OUTBOX"])
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{uuid.uuid4().hex}.eml"
        path.write_bytes(bytes(msg))
        current_app.logger.info("mail to %s written to %s (MARKET_MAIL_URL unset)", to, path)
        return
    parts = urlsplit(url)
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    with smtp_class(parts.hostname or "localhost", port, timeout=20) as smtp:
        if parts.scheme == "smtp" and parts.port == 587:
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(msg)
    current_app.logger.info("mail to %s sent through %s", to, parts.hostname)
