"""gunicorn settings for production: ``gunicorn`` in the project folder reads this file itself.

Override with the environment: BIND (0.0.0.0:8000), WEB_CONCURRENCY (workers, 2),
GUNICORN_THREADS (1), GUNICORN_TIMEOUT (60 s), LOG_FORMAT (plain or json). Several workers need shared state (Redis
for rate limits); the start is refused when they would not have it (core.deployment).
"""

import os

wsgi_app = "core.app:create_app()"
bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# LOG_FORMAT=json: gunicorn's own lines as JSON, and no plain access log (the app writes one JSON
# line per request, with its request id: core/logs.py). Plain: the access log, with the request id.
if os.environ.get("LOG_FORMAT", "plain").strip().lower() == "json":
    from core.logs import gunicorn_logconfig

    accesslog = None
    logconfig_dict = gunicorn_logconfig("json")
else:
    accesslog = "-"
    access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms id=%({x-request-id}o)s'


def on_starting(server):
    """Refuse to start several workers that would each keep their own rate limits."""
    from config import from_env
    from core.deployment import shared_state_problems

    problems = shared_state_problems(from_env(), server.cfg.workers)
    for problem in problems:
        server.log.error("Refusing to start: %s", problem)
    if problems:
        raise SystemExit(1)


def post_worker_init(worker):
    """Without Redis there is no `flask scg worker`: each worker retries waiting mail itself."""
    from core import jobs

    app = worker.wsgi
    if hasattr(app, "config") and not jobs.uses_redis(app.config):
        jobs.start_schedule(app)
