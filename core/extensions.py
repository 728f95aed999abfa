"""Flask extensions shared by every app the factory builds (each bound per app)."""

import smtplib

from flask import current_app
from flask_appbuilder.utils.legacy import get_sqla_class
from flask_mail import Connection, Mail
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect


class TimeoutConnection(Connection):
    """Flask-Mail's SMTP connection with a socket timeout (``MAIL_TIMEOUT`` seconds).

    Flask-Mail opens ``smtplib.SMTP`` without one: a server that accepts and never answers
    would hold the request (and its worker) for ever.
    """

    def configure_host(self):
        timeout = float(current_app.config.get("MAIL_TIMEOUT", 10))
        if self.mail.use_ssl:
            host = smtplib.SMTP_SSL(self.mail.server, self.mail.port, timeout=timeout)
        else:
            host = smtplib.SMTP(self.mail.server, self.mail.port, timeout=timeout)
        host.set_debuglevel(int(self.mail.debug))
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class ScgMail(Mail):
    """Flask-Mail whose connections time out (see ``TimeoutConnection``)."""

    def connect(self):
        return TimeoutConnection(current_app.extensions["mail"])


db = get_sqla_class()()
mail = ScgMail()
migrate = Migrate()
csrf = CSRFProtect()
