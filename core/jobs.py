"""Background jobs: one small interface, on RQ (Redis) or in-process.

Plugins use this module, never RQ itself::

    from core import jobs
    job_id = jobs.enqueue("plugins.f007_export.jobs.export_all", organisation_id)
    jobs.status(job_id)              # JobInfo: status, progress, message, result or error
    jobs.progress(40, 100, "Rij 40 van 100")   # inside a job: what the page shows

A job is a module-level function, named by its dotted path or passed as the function
itself, with arguments that pickle (ids and plain values; never ORM objects). It runs in
an app context of the worker, with its own database session.

With ``JOBS_REDIS_URL`` (or a ``redis://`` ``RATELIMIT_STORAGE_URI``) jobs go to an RQ
queue and ``flask scg worker`` runs them. Without it (the embedded default,
``scripts/run``) they run in this process: in a background thread (``JOBS_INPROCESS=thread``,
the default) or at once in the caller (``sync``, what the tests use), so the app stays one
command. See docs/jobs.md for why RQ.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
import uuid
from collections import OrderedDict
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Flask, current_app, has_app_context
from werkzeug.utils import import_string

log = logging.getLogger(__name__)

QUEUED, STARTED, FINISHED, FAILED = "queued", "started", "finished", "failed"
LABELS = {QUEUED: "Wacht op verwerking", STARTED: "Bezig", FINISHED: "Klaar", FAILED: "Mislukt"}
#: Tasks the worker (and the embedded app) runs on a schedule: dotted path -> setting with the seconds.
PERIODIC = {"core.mail.deliver_due": "MAIL_DELIVERY_INTERVAL"}
#: How long RQ keeps a finished or failed job's status and result (seconds).
RESULT_TTL = 24 * 3600


@dataclass
class JobInfo:
    id: str
    status: str
    done: int | None = None
    total: int | None = None
    message: str = ""
    result: Any = None
    error: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return LABELS.get(self.status, self.status)

    @property
    def percent(self) -> int | None:
        if self.status == FINISHED:
            return 100
        if not self.total or self.done is None:
            return None
        return max(0, min(100, int(100 * self.done / self.total)))

    @property
    def ended(self) -> bool:
        return self.status in (FINISHED, FAILED)


# --- configuration ----------------------------------------------------------------------------

def redis_url(config=None) -> str:
    config = config if config is not None else current_app.config
    return str(config.get("JOBS_REDIS_URL") or "")


def uses_redis(config=None) -> bool:
    return bool(redis_url(config))


def queue_name(config=None) -> str:
    config = config if config is not None else current_app.config
    return str(config.get("JOBS_QUEUE") or "softwarecatalogus")


def redis_connection(config=None):
    from redis import Redis

    # Timeouts on every socket: a Redis that hangs must not hold a request.
    return Redis.from_url(redis_url(config), socket_timeout=5, socket_connect_timeout=5)


def queue(config=None):
    from rq import Queue

    return Queue(queue_name(config), connection=redis_connection(config))


def func_path(func: str | Callable) -> str:
    """The dotted path of a job function (``module.function``); it must import back to ``func``."""
    if isinstance(func, str):
        path = func.replace(":", ".")
    else:
        path = f"{func.__module__}.{func.__qualname__}"
    if "<" in path or import_string(path) is None:  # lambdas and nested functions cannot be found by a worker
        raise ValueError(f"{path} is geen functie op moduleniveau")
    return path


# --- enqueueing -------------------------------------------------------------------------------

def enqueue(func: str | Callable, *args, **kwargs) -> str:
    """Run ``func(*args, **kwargs)`` as a job; returns the job id (see ``status``)."""
    return enqueue_call(func, args, kwargs)


def enqueue_call(func: str | Callable, args=(), kwargs=None, *, job_id: str | None = None,
                 description: str | None = None, retry: list[int] | None = None, timeout: int | None = None,
                 meta: dict | None = None) -> str:
    """``enqueue`` with options: ``retry`` intervals in seconds (one retry per interval, Redis only),
    ``timeout`` in seconds (default ``JOBS_TIMEOUT``), ``meta`` kept with the status (e.g. who started it)."""
    path = func_path(func)
    job_id = job_id or uuid.uuid4().hex
    kwargs = dict(kwargs or {})
    config = current_app.config
    if uses_redis(config):
        from rq import Retry

        queue(config).enqueue(
            "core.jobs.execute", path, tuple(args), kwargs, job_id=job_id, description=description or path,
            retry=Retry(max=len(retry), interval=list(retry)) if retry else None,
            job_timeout=timeout or int(config.get("JOBS_TIMEOUT", 3600)), result_ttl=RESULT_TTL,
            failure_ttl=7 * RESULT_TTL, meta={"done": None, "total": None, "message": "", **(meta or {})})
        return job_id
    _local_store(JobInfo(job_id, QUEUED, meta=dict(meta or {})))
    if str(config.get("JOBS_INPROCESS", "thread")) == "sync":
        _run_local(job_id, path, tuple(args), kwargs)
    else:
        app = current_app._get_current_object()
        future = _executor(int(config.get("JOBS_THREADS", 2))).submit(_run_in_thread, app, job_id, path,
                                                                      tuple(args), kwargs)
        with _EXECUTOR_LOCK:
            _FUTURES.add(future)
        future.add_done_callback(_forget)
    return job_id


def execute(path: str, args: tuple, kwargs: dict):
    """What the RQ worker runs: the job function in an app context (the worker's, or one made here)."""
    func = import_string(path)
    if has_app_context():
        return func(*args, **kwargs)
    with _worker_app().app_context():
        return func(*args, **kwargs)


_WORKER_APP: Flask | None = None


def _worker_app() -> Flask:
    global _WORKER_APP
    if _WORKER_APP is None:
        from core.app import create_app

        _WORKER_APP = create_app()
    return _WORKER_APP


# --- status and progress ------------------------------------------------------------------------

_current_local = contextvars.ContextVar("scg_current_job", default=None)
_LOCAL: OrderedDict[str, JobInfo] = OrderedDict()
_LOCAL_LOCK = threading.Lock()
_LOCAL_KEEP = 1000


def _local_store(info: JobInfo) -> None:
    with _LOCAL_LOCK:
        _LOCAL[info.id] = info
        _LOCAL.move_to_end(info.id)
        while len(_LOCAL) > _LOCAL_KEEP:
            _LOCAL.popitem(last=False)


def status(job_id: str) -> JobInfo | None:
    """What is known about a job: None when there is no such job (or it is long gone)."""
    if not uses_redis():
        with _LOCAL_LOCK:
            info = _LOCAL.get(job_id)
            return None if info is None else JobInfo(**{**info.__dict__, "meta": dict(info.meta)})
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        job = Job.fetch(job_id, connection=redis_connection())
    except NoSuchJobError:
        return None
    state = job.get_status()
    mapped = {JobStatus.FINISHED: FINISHED, JobStatus.FAILED: FAILED, JobStatus.STARTED: STARTED,
              JobStatus.STOPPED: FAILED, JobStatus.CANCELED: FAILED}.get(state, QUEUED)
    meta = dict(job.meta or {})
    info = JobInfo(job_id, mapped, done=meta.get("done"), total=meta.get("total"), message=meta.get("message") or "",
                   meta=meta)
    if mapped == FINISHED:
        info.result = job.return_value()
    elif mapped == FAILED:
        result = job.latest_result()
        text = (getattr(result, "exc_string", None) or "").strip().splitlines()
        info.error = text[-1] if text else "De taak is mislukt."
    return info


def progress(done: int | None, total: int | None = None, message: str | None = None, **meta) -> None:
    """Inside a job: record how far it is (shown on the page that follows the job). Elsewhere: nothing."""
    job_id = _current_local.get()
    if job_id is not None:
        with _LOCAL_LOCK:
            info = _LOCAL.get(job_id)
            if info is not None:
                info.done, info.total = done, total
                if message is not None:
                    info.message = message
                info.meta.update(meta)
        return
    try:
        from rq import get_current_job

        job = get_current_job()
    except Exception:  # noqa: BLE001 - not inside an RQ job
        job = None
    if job is None:
        return
    job.meta.update({"done": done, "total": total, **meta})
    if message is not None:
        job.meta["message"] = message
    job.save_meta()


# --- in-process execution -------------------------------------------------------------------------

_EXECUTOR: ThreadPoolExecutor | None = None
_EXECUTOR_LOCK = threading.Lock()
_FUTURES: set[futures.Future] = set()


def _executor(threads: int) -> ThreadPoolExecutor:
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="scg-job")
        return _EXECUTOR


def _forget(future) -> None:
    with _EXECUTOR_LOCK:
        _FUTURES.discard(future)


def _run_local(job_id: str, path: str, args: tuple, kwargs: dict) -> None:
    token = _current_local.set(job_id)
    with _LOCAL_LOCK:
        if job_id in _LOCAL:
            _LOCAL[job_id].status = STARTED
    try:
        result = import_string(path)(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a failed job is a status, like in the worker
        log.exception("Taak %s (%s) is mislukt", job_id, path)
        with _LOCAL_LOCK:
            if job_id in _LOCAL:
                _LOCAL[job_id].status, _LOCAL[job_id].error = FAILED, str(exc) or type(exc).__name__
    else:
        with _LOCAL_LOCK:
            if job_id in _LOCAL:
                _LOCAL[job_id].status, _LOCAL[job_id].result = FINISHED, result
    finally:
        _current_local.reset(token)


def _run_in_thread(app: Flask, job_id: str, path: str, args: tuple, kwargs: dict) -> None:
    with app.app_context():
        _run_local(job_id, path, args, kwargs)


def wait_local(timeout: float = 30) -> None:
    """Wait until the in-process jobs started so far have run (tests, and a clean shutdown)."""
    with _EXECUTOR_LOCK:
        running = list(_FUTURES)
    futures.wait(running, timeout=timeout)


# --- schedules ---------------------------------------------------------------------------------

def _periodic_due(config, connection, path: str, seconds: int) -> bool:
    """Claim this period's run of ``path`` in Redis: of several workers, one enqueues it."""
    key = f"scg:periodic:{queue_name(config)}:{path}"
    return bool(connection.set(key, str(time.time()), nx=True, ex=max(1, seconds - 1)))


def start_schedule(app: Flask, stop: threading.Event | None = None) -> threading.Event:
    """Enqueue the ``PERIODIC`` tasks on their intervals from a daemon thread; returns its stop event.

    In the worker, several workers share the schedule through Redis; in the embedded app
    (no Redis) the tasks run in-process. Each task must be safe to run twice at once.
    """
    stop = stop or threading.Event()
    schedule = {path: max(1, int(app.config.get(setting, 60))) for path, setting in PERIODIC.items()}
    next_run = dict.fromkeys(schedule, 0.0)

    def loop():
        while not stop.is_set():
            now = time.monotonic()
            for path, seconds in schedule.items():
                if now < next_run[path]:
                    continue
                next_run[path] = now + seconds
                try:
                    with app.app_context():
                        if uses_redis() and not _periodic_due(app.config, redis_connection(), path, seconds):
                            continue
                        enqueue(path)
                except Exception:  # noqa: BLE001 - Redis away for a moment: try again next period
                    log.exception("Periodieke taak %s niet gestart", path)
            stop.wait(min(1.0, min(schedule.values())))

    threading.Thread(target=loop, name="scg-schedule", daemon=True).start()
    return stop


def run_worker(app: Flask, burst: bool = False, simple: bool = False) -> bool:
    """Run an RQ worker on this app's queue (``flask scg worker``). Returns whether it ran jobs."""
    from rq import SimpleWorker, Worker

    from core.extensions import db

    config = app.config
    if not simple:
        # The worker forks a work horse per job: it must not inherit open database connections.
        db.session.remove()
        db.engine.dispose()
    stop = None
    if burst:
        for path in PERIODIC:
            enqueue(path)  # a burst run does what is due once
    else:
        stop = start_schedule(app)
    worker_class = SimpleWorker if simple else Worker
    worker = worker_class([queue(config)], connection=redis_connection(config))
    try:
        return worker.work(burst=burst, with_scheduler=not burst, logging_level=config.get("LOG_LEVEL", "WARNING"))
    finally:
        if stop is not None:
            stop.set()
