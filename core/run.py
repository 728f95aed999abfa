"""Run the catalogue locally: SQLite, reference data and demo accounts, then serve.

    python -m core.run [--host 127.0.0.1] [--port 5000]
"""

from __future__ import annotations

import argparse

from werkzeug.serving import WSGIRequestHandler

from core import jobs
from core.app import create_app
from core.builtin.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without the ``Server: Werkzeug/x Python/y`` banner.

    The HTTP server writes that header itself, after the app answered, so the app
    (core.headers) cannot remove it; this handler names the product without versions.
    """

    def version_string(self) -> str:
        return "Softwarecatalogus"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Start de GEMMA Softwarecatalogus lokaal.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)

    app = create_app({"BASE_URL": f"http://{args.host}:{args.port}"})
    with app.app_context():
        app.extensions["scg_plugins"].hook.seed_data(app=app, demo=True)
        users = app.extensions.get("scg_demo_users", [])
    url = f"http://{args.host}:{args.port}/"
    print("\n" + "=" * 72)
    print(f" GEMMA Softwarecatalogus draait op {url}")
    print(f" Database: {app.config['SQLALCHEMY_DATABASE_URI']}")
    print(f" E-mail gaat naar de map {app.config['MAIL_OUTBOX_DIR']} (links staan ook in dit log)")
    print(" Demo-logins (wachtwoord voor allemaal: %s):" % DEMO_PASSWORD)
    for email, role in users:
        print(f"   {email:38} {role}")
    print(" De beheerders loggen in met twee-factorauthenticatie. Sleutel voor uw")
    print(f" authenticator-app: {DEMO_TOTP_SECRET}  (of: python -c \"import pyotp;"
          f" print(pyotp.TOTP('{DEMO_TOTP_SECRET}').now())\")")
    print("=" * 72 + "\n", flush=True)
    if not jobs.uses_redis(app.config):
        jobs.start_schedule(app)  # no worker: this process retries mail that could not be sent
    app.run(host=args.host, port=args.port, debug=False, request_handler=QuietRequestHandler)


if __name__ == "__main__":
    main()
