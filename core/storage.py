"""Where uploaded files' bytes live: one interface, a local folder or S3-compatible object storage.

``core.files`` keeps the metadata (``stored_file``) and decides who may read a file; this
module only keeps bytes under a key (the file's random token). The backend is chosen by
config:

- ``STORAGE_BACKEND=local`` (the default): files in ``FILE_STORAGE_DIR`` (instance/files).
  Fine for one machine; several app containers need a shared volume.
- ``STORAGE_BACKEND=s3``: a bucket of S3 or any S3-compatible store (MinIO, Ceph, Garage,
  cloud object storage), through boto3: ``S3_BUCKET``, ``S3_ENDPOINT_URL`` (empty: AWS),
  ``S3_ACCESS_KEY_ID``, ``S3_SECRET_ACCESS_KEY``, ``S3_REGION``, ``S3_PREFIX`` (key prefix).

Files are served through the app (``response``), after the caller's access checks, with the
app's own safe headers. With ``S3_PUBLIC_REDIRECT=1`` a file that anybody may read is
answered with a short-lived presigned redirect to the store instead (the store must then
be reachable from browsers); files of one organisation are always streamed through the app.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path

from flask import Response, current_app, redirect, request, send_file

CHUNK = 64 * 1024
PRESIGN_SECONDS = 300


class StorageError(RuntimeError):
    """The storage backend is misconfigured or cannot be reached."""


class Storage(ABC):
    """Bytes under a key (the interface; both backends implement every method).

    Keys are the random tokens of ``core.files`` (URL-safe characters)."""

    name = "?"

    @abstractmethod
    def write(self, key: str, data: bytes, content_type: str) -> None:
        ...

    @abstractmethod
    def read(self, key: str) -> bytes | None:
        """The bytes, or None when there are none under ``key``."""
        ...

    @abstractmethod
    def exists(self, key: str) -> bool:
        ...

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the bytes; a missing key is no error."""
        ...

    @abstractmethod
    def check(self) -> str | None:
        """None when the storage can be used now, else what is wrong (for ``/ready``)."""
        ...

    @abstractmethod
    def response(self, key: str, *, mimetype: str, as_attachment: bool, download_name: str,
                 max_age: int, public: bool = False) -> Response | None:
        """A response with the file's bytes (None when there are none). ``public``: anybody may
        read this file, so a backend may redirect to a public or presigned address."""
        ...


def _safe_key(key: str) -> str:
    if not key or "/" in key or "\\" in key or key.startswith("."):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class LocalStorage(Storage):
    """Files in one folder, named by their key (what the app did before there was a choice)."""

    name = "local"

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / _safe_key(key)

    def write(self, key, data, content_type):
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.path(key), "xb") as fh:
            fh.write(data)

    def read(self, key):
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def exists(self, key):
        return self.path(key).is_file()

    def delete(self, key):
        try:
            os.remove(self.path(key))
        except FileNotFoundError:
            pass

    def check(self):
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"map {self.folder} kan niet worden gemaakt: {exc.strerror}"
        if not os.access(self.folder, os.W_OK | os.X_OK):
            return f"map {self.folder} is niet schrijfbaar"
        return None

    def response(self, key, *, mimetype, as_attachment, download_name, max_age, public=False):
        path = self.path(key)
        if not path.is_file():
            return None
        return send_file(path, mimetype=mimetype, as_attachment=as_attachment, download_name=download_name,
                         max_age=max_age, conditional=True)


class S3Storage(Storage):
    """Objects in an S3-compatible bucket, through boto3, under ``prefix + key``."""

    name = "s3"

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, access_key_id: str | None = None,
                 secret_access_key: str | None = None, region: str | None = None, prefix: str = "",
                 public_redirect: bool = False, timeout: float = 10):
        if not bucket:
            raise StorageError("STORAGE_BACKEND=s3 needs S3_BUCKET.")
        try:
            import boto3
            from botocore.config import Config
        except ImportError as exc:  # pragma: no cover - boto3 is a dependency
            raise StorageError("STORAGE_BACKEND=s3 needs boto3 (pip install boto3).") from exc
        self.bucket = bucket
        self.prefix = prefix
        self.public_redirect = public_redirect
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url or None, aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None, region_name=region or None,
            config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 2},
                          signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def _key(self, key: str) -> str:
        return self.prefix + _safe_key(key)

    @staticmethod
    def _missing(exc) -> bool:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        return code in {"404", "NoSuchKey", "NotFound"}

    def write(self, key, data, content_type):
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type)

    def read(self, key):
        from botocore.exceptions import ClientError

        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if self._missing(exc):
                return None
            raise
        with obj["Body"] as body:
            return body.read()

    def exists(self, key):
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if self._missing(exc):
                return False
            raise
        return True

    def delete(self, key):
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))  # S3: missing is no error

    def check(self):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            return f"bucket {self.bucket}: {exc.response.get('Error', {}).get('Code', 'fout')}"
        except BotoCoreError as exc:
            return f"bucket {self.bucket} niet bereikbaar: {type(exc).__name__}"
        return None

    def _disposition(self, as_attachment: bool, download_name: str) -> str:
        return f'{"attachment" if as_attachment else "inline"}; filename="{download_name}"'

    def response(self, key, *, mimetype, as_attachment, download_name, max_age, public=False):
        from botocore.exceptions import ClientError

        if public and self.public_redirect:
            if not self.exists(key):
                return None
            url = self.client.generate_presigned_url("get_object", ExpiresIn=PRESIGN_SECONDS, Params={
                "Bucket": self.bucket, "Key": self._key(key), "ResponseContentType": mimetype,
                "ResponseContentDisposition": self._disposition(as_attachment, download_name),
            })
            response = redirect(url, 302)
            response.headers["Cache-Control"] = "no-store"  # the address expires
            return response
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if self._missing(exc):
                return None
            raise
        body = obj["Body"]

        def chunks():
            try:
                yield from body.iter_chunks(CHUNK)
            finally:
                body.close()

        response = Response(chunks(), mimetype=mimetype, direct_passthrough=True)
        response.content_length = obj.get("ContentLength")
        if obj.get("ETag"):
            response.set_etag(obj["ETag"].strip('"'))
        if obj.get("LastModified"):
            response.last_modified = obj["LastModified"]
        response.headers["Content-Disposition"] = self._disposition(as_attachment, download_name)
        response.cache_control.max_age = max_age
        if public:
            response.cache_control.public = True
        else:
            response.cache_control.private = True  # one organisation's file: no shared cache keeps it
        response = response.make_conditional(request)
        if response.status_code == 304:
            body.close()
        return response


def from_config(config) -> Storage:
    """The backend ``config`` asks for (STORAGE_BACKEND: local or s3)."""
    backend = str(config.get("STORAGE_BACKEND") or "local").strip().lower()
    if backend == "local":
        return LocalStorage(config.get("FILE_STORAGE_DIR") or Path(current_app.instance_path) / "files")
    if backend == "s3":
        return S3Storage(
            config.get("S3_BUCKET") or "", endpoint_url=config.get("S3_ENDPOINT_URL"),
            access_key_id=config.get("S3_ACCESS_KEY_ID"), secret_access_key=config.get("S3_SECRET_ACCESS_KEY"),
            region=config.get("S3_REGION"), prefix=config.get("S3_PREFIX") or "",
            public_redirect=bool(config.get("S3_PUBLIC_REDIRECT")),
        )
    raise StorageError(f"STORAGE_BACKEND={backend!r}: use 'local' or 's3'.")


_SETTINGS = ("STORAGE_BACKEND", "FILE_STORAGE_DIR", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID",
             "S3_SECRET_ACCESS_KEY", "S3_REGION", "S3_PREFIX", "S3_PUBLIC_REDIRECT")


def get_storage() -> Storage:
    """The current app's storage (made once per app, again when its storage settings change)."""
    config = current_app.config
    wanted = tuple(str(config.get(name)) for name in _SETTINGS)
    cached = current_app.extensions.get("scg_storage")
    if cached is None or cached[0] != wanted:
        cached = (wanted, from_config(config))
        current_app.extensions["scg_storage"] = cached
    return cached[1]
