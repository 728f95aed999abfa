"""A real SMTP server on loopback (aiosmtpd) that keeps what arrives."""

from __future__ import annotations

import email
import re
import socket
import threading
from dataclasses import dataclass
from email import policy

from aiosmtpd.controller import Controller

LINK_RE = re.compile(r"https?://[^\s<>\"]+")


@dataclass
class ReceivedMail:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def to(self) -> str:
        return str(self.message["To"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        return body.get_content() if body is not None else ""

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")

    @property
    def links(self) -> list[str]:
        return LINK_RE.findall(self.text)


class _Handler:
    def __init__(self, box: "Mailbox"):
        self.box = box

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=policy.default)
        with self.box.lock:
            self.box.messages.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 OK"


class Mailbox:
    def __init__(self):
        self.messages: list[ReceivedMail] = []
        self.lock = threading.Lock()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        """Stop listening (connections are refused); ``start`` listens again on the same port."""
        self.controller.stop()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def clear(self):
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[ReceivedMail]:
        address = address.lower()
        return [m for m in self.messages if address in [r.lower() for r in m.recipients]]

    def last_to(self, address: str) -> ReceivedMail:
        found = self.to(address)
        assert found, f"no e-mail arrived for {address}; got: {[m.recipients for m in self.messages]}"
        return found[-1]
