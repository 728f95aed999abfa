"""File storage: validated uploads saved under random names, with metadata in ``stored_file``.

Plugins never store what a browser sent as is. An upload is first checked by its
content (not by its name or the browser's content type):

- images (:func:`validate_image`): PNG, JPEG or WebP as Pillow reads them, within a
  size and pixel limit, scaled down and re-encoded (which also drops metadata);
- PDFs (:func:`validate_pdf`): the ``%PDF-`` signature and a document pypdf can parse.

Refusals raise :class:`UploadRejected` with a Dutch message. :func:`store` writes the
checked bytes to the file storage (``core.storage``: the instance folder ``FILE_STORAGE_DIR``
by default, or an S3-compatible bucket) under a random name and adds a :class:`StoredFile`
row; :func:`file_response` serves one with safe headers; :func:`discard` deletes both.
Whoever serves a file decides who may see it (:func:`may_read`).
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_appbuilder import Model
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String

from core.models import OrganisationStatus, utcnow

IMAGE_MAX_BYTES = 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000  # well above any logo, well below a decompression bomb
PDF_MAX_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"), "WEBP": ("image/webp", "webp")}


class StoredFile(Model):
    """A validated file of an organisation, its bytes in the file storage under a random name."""

    __tablename__ = "stored_file"

    id = Column(Integer, primary_key=True)
    token = Column(String(64), unique=True, nullable=False)  # random name on disk and in the URL
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    kind = Column(String(30), nullable=False)  # e.g. "logo", "certificaat"
    original_name = Column(String(255), nullable=True)
    content_type = Column(String(100), nullable=False)
    size = Column(Integer, nullable=False)
    public = Column(Boolean, nullable=False, default=False)  # readable by visitors of an approved organisation
    created_on = Column(DateTime, default=utcnow, nullable=False)

    @property
    def download_name(self) -> str:
        extension = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp",
                     "application/pdf": "pdf"}.get(self.content_type, "bin")
        stem = Path(self.original_name or self.kind).stem or self.kind
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)[:80] or self.kind
        return f"{safe}.{extension}"

    def __repr__(self) -> str:
        return self.original_name or self.token


class UploadRejected(ValueError):
    """An upload that is not accepted; ``str()`` is a Dutch message for the user."""


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    original_name: str | None


def read_limited(stream, limit: int, what: str) -> bytes:
    """Read at most ``limit`` bytes; refuse a larger file without reading it all."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(f"{what} is te groot: maximaal {_size(limit)}.")
    if not data:
        raise UploadRejected(f"{what} is leeg.")
    return data


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


def validate_image(data: bytes, original_name: str | None = None, max_bytes: int = IMAGE_MAX_BYTES,
                   max_side: int = 400) -> CheckedFile:
    """A PNG, JPEG or WebP image, scaled to at most ``max_side`` pixels and re-encoded."""
    from PIL import Image, UnidentifiedImageError

    what = "De afbeelding"
    if len(data) > max_bytes:
        raise UploadRejected(f"{what} is te groot: maximaal {_size(max_bytes)}.")
    if not data:
        raise UploadRejected(f"{what} is leeg.")
    refused = "Dit bestand is geen geldige PNG-, JPEG- of WebP-afbeelding."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in IMAGE_FORMATS:
                    raise UploadRejected(refused)
                width, height = probe.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise UploadRejected("De afbeelding heeft te veel pixels.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image.thumbnail((max_side, max_side))
                out = io.BytesIO()
                if fmt == "JPEG":
                    image.convert("RGB").save(out, "JPEG", quality=85)
                elif fmt == "WEBP":
                    image.save(out, "WEBP", quality=85)
                else:
                    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                        image = image.convert("RGBA")
                    image.save(out, "PNG", optimize=True)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected("De afbeelding heeft te veel pixels.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UploadRejected(refused) from None
    return CheckedFile(out.getvalue(), IMAGE_FORMATS[fmt][0], original_name)


def validate_pdf(data: bytes, original_name: str | None = None, max_bytes: int = PDF_MAX_BYTES) -> CheckedFile:
    """A PDF document: the ``%PDF-`` signature and a document that pypdf can read."""
    from pypdf import PdfReader

    what = "Het bestand"
    if len(data) > max_bytes:
        raise UploadRejected(f"{what} is te groot: maximaal {_size(max_bytes)}.")
    if not data:
        raise UploadRejected(f"{what} is leeg.")
    refused = "Dit bestand is geen geldig PDF-document."
    if not data.startswith(b"%PDF-"):
        raise UploadRejected(refused)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRejected("Versleutelde PDF-documenten worden niet geaccepteerd.")
        if len(reader.pages) < 1:
            raise UploadRejected(refused)
    except UploadRejected:
        raise
    except Exception:  # pypdf raises many kinds of errors on broken input
        raise UploadRejected(refused) from None
    return CheckedFile(data, "application/pdf", original_name)


def storage():
    """The current app's file storage (``core.storage``: a local folder or S3-compatible)."""
    from core.storage import get_storage

    return get_storage()


def storage_dir() -> Path:
    """The folder of the local backend (``FILE_STORAGE_DIR``); only that backend has one."""
    folder = Path(current_app.config.get("FILE_STORAGE_DIR") or Path(current_app.instance_path) / "files")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(session, checked: CheckedFile, organisation_id: int, kind: str, public: bool = False) -> StoredFile:
    """Write checked bytes under a random name and add their row to ``session`` (not committed)."""
    token = secrets.token_urlsafe(32)
    storage().write(token, checked.data, checked.content_type)
    name = (checked.original_name or "")[:255] or None
    row = StoredFile(token=token, organisation_id=organisation_id, kind=kind, original_name=name,
                     content_type=checked.content_type, size=len(checked.data), public=public)
    session.add(row)
    return row


def discard(session, stored: StoredFile | None) -> None:
    """Delete a stored file's row now and its bytes (missing bytes are no error)."""
    if stored is None:
        return
    token = stored.token
    session.delete(stored)
    storage().delete(token)


def read_bytes(stored: StoredFile) -> bytes | None:
    """The stored file's bytes, or None when the storage has none."""
    return storage().read(stored.token)


def may_read(stored: StoredFile, organisation, user_org_id: int | None, sees_all: bool) -> bool:
    """Public files of approved organisations for everybody; others for their organisation and VNG."""
    if sees_all or (user_org_id is not None and user_org_id == stored.organisation_id):
        return True
    return bool(stored.public and organisation is not None
                and organisation.status == OrganisationStatus.goedgekeurd.value)


def readable_by_anybody(stored: StoredFile) -> bool:
    """Whether a visitor who is not logged in may read ``stored`` (``may_read`` without a user)."""
    from core.extensions import db
    from core.models import Organisation

    if not stored.public:
        return False
    return may_read(stored, db.session.get(Organisation, stored.organisation_id), None, False)


def file_response(stored: StoredFile, inline: bool = True):
    """The file with its own content type, nosniff and a safe Content-Disposition (None: no bytes).

    The caller has checked that the user may read it. Only a file that anybody may read can be
    answered with a redirect to the object store (``S3_PUBLIC_REDIRECT``, ``core.storage``).
    """
    backend = storage()
    public = bool(getattr(backend, "public_redirect", False)) and readable_by_anybody(stored)
    response = backend.response(stored.token, mimetype=stored.content_type, as_attachment=not inline,
                                download_name=stored.download_name, max_age=300, public=public)
    if response is None:
        return None
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if inline:
        response.headers["Content-Disposition"] = f'inline; filename="{stored.download_name}"'
    return response


class EvidenceUploadMixin:
    """For a FAB ModelView whose form has an ``evidence_upload`` field (a checked PDF) and
    whose model has an ``evidence_file`` relation: store the upload on add and edit (the
    old file is discarded), and discard the file when the row is deleted. Mix in before
    the view's base class; ``evidence_kind`` names the stored file's kind."""

    evidence_kind = "bewijs"

    def process_form(self, form, is_created):
        from flask import g

        g.scg_evidence_upload = getattr(form.evidence_upload, "checked", None)
        form.evidence_upload.data = None  # (the form may not copy an upload into the model)
        del form.evidence_upload

    def _store_evidence(self, item):
        from flask import g

        from core.extensions import db

        checked = g.pop("scg_evidence_upload", None)
        if checked is None:
            return
        old = item.evidence_file
        item.evidence_file = store(db.session, checked, item.organisation_id, kind=self.evidence_kind, public=True)
        if old is not None:
            db.session.flush()
            discard(db.session, old)

    def pre_add(self, item):
        super().pre_add(item)
        self._store_evidence(item)

    def pre_update(self, item):
        super().pre_update(item)
        self._store_evidence(item)

    def pre_delete(self, item):
        from core.extensions import db

        super().pre_delete(item)
        if item.evidence_file is not None:
            discard(db.session, item.evidence_file)
