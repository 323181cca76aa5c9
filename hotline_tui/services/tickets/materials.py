"""Materials (附件): stored once per order, visible to every department on it.

The file's bytes go to the materials directory under their SHA-256 (so the same paper is kept
once however often it is sent); the database keeps the record. Attaching the same file to the
same order again returns the existing record instead of asking for it twice.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from pathlib import Path

from sqlmodel import select

from db.models import Material
from hotline_tui.domain.errors import NotFound, ValidationError
from hotline_tui.domain.text import clean_text
from hotline_tui.services import uow as uow_module
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.tickets.common import get_ticket, permit
from hotline_tui.services.tickets.views import MaterialView
from hotline_tui.services.uow import UnitOfWork

MAX_BYTES = 20 * 1024 * 1024


def _store(root: Path, digest: str, content: bytes) -> Path:
    """Write the blob once, atomically (a crash never leaves half a file under its name)."""
    target = root / digest[:2] / digest
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    incoming = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        incoming.replace(target)
    finally:
        incoming.unlink(missing_ok=True)
    return target


def add_material(
    hl: Hotline, actor: Actor, number: str, source: Path, note: str = ""
) -> MaterialView:
    """Attach a file to an order (any department on the order, or the hotline's staff)."""
    permit(actor, "material.add")
    if not source.is_file():
        raise ValidationError("validation.material_missing", path=str(source))
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError("validation.material_too_large", size=size, max=MAX_BYTES)
    content = source.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    filename = clean_text(source.name, multiline=False, max_length=255, field="file") or digest[:12]
    media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    text = clean_text(note, multiline=False, max_length=500, field="note")

    def work(uow: UnitOfWork) -> MaterialView:
        ticket = get_ticket(uow.session, actor, number)
        existing = uow.session.exec(
            select(Material).where(Material.ticket_id == ticket.id, Material.sha256 == digest)
        ).one_or_none()
        if existing is not None:
            return MaterialView(
                existing.filename,
                existing.media_type,
                existing.size,
                existing.sha256,
                existing.uploaded_at,
            )
        _store(hl.settings.materials_path, digest, content)
        material = Material(
            ticket_id=ticket.id or 0,
            filename=filename,
            media_type=media_type,
            size=size,
            sha256=digest,
            note=text,
            uploaded_by=actor.user_id,
            uploaded_at=uow.now,
        )
        uow.session.add(material)
        uow.flush()  # its id, for the event; and an order of this transaction goes first
        uow.record(
            "material.add",
            entity="material",
            entity_id=material.id,
            ticket_id=ticket.id,
            dept_id=actor.dept_id,
            data={"filename": filename, "sha256": digest, "size": size},
        )
        return MaterialView(filename, media_type, size, digest, uow.now)

    return uow_module.write(hl, actor, work)


def material_path(hl: Hotline, digest: str) -> Path:
    """Where a material's bytes are kept (for export and the console's viewer)."""
    return hl.settings.materials_path / digest[:2] / digest


PREVIEW_BYTES = 64 * 1024


def read_material(
    hl: Hotline, actor: Actor, number: str, digest: str, *, limit: int = PREVIEW_BYTES
) -> tuple[MaterialView, Path, bytes]:
    """One of an order's materials for a viewer: its record, where its bytes are kept and the
    first ``limit`` bytes. Whoever may see the order may read its materials (every department on
    it); a digest that is not the order's own is "not found", whatever the store holds."""
    permit(actor, "ticket.read")
    with hl.reading() as session:
        ticket = get_ticket(session, actor, number)
        found = session.exec(
            select(Material).where(Material.ticket_id == ticket.id, Material.sha256 == digest)
        ).first()
        if found is None:
            raise NotFound("not_found.material", ticket=number, sha256=digest[:12])
        view = MaterialView(
            found.filename, found.media_type, found.size, found.sha256, found.uploaded_at
        )
    path = material_path(hl, digest)
    try:
        with path.open("rb") as handle:
            head = handle.read(max(0, limit))
    except FileNotFoundError:
        raise NotFound("not_found.material_file", ticket=number, sha256=digest[:12]) from None
    return view, path, head
