"""Uploaded files: the type is read from the content, never from the name or the browser."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", PNG: "png", JPEG: "jpg"}


def sniff_type(data: bytes) -> str | None:
    """PDF, DOCX, PNG or JPEG judged by the bytes themselves; None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    file_name: str  # made by the server; the uploader's file name is not kept
    size: int
    sha256: str


def check_upload(data: bytes, *, stem: str) -> CheckedFile | str:
    """The file ready to store, or what is wrong with it in plain words."""
    if not data:
        return "The selected file is empty"
    if len(data) > MAX_UPLOAD_BYTES:
        return "The selected file must be smaller than 10MB"
    content_type = sniff_type(data)
    if content_type is None:
        return "The selected file must be a PDF, DOCX, PNG or JPEG"
    name = f"{stem}-{secrets.token_hex(4)}.{EXTENSIONS[content_type]}"
    return CheckedFile(
        content=data,
        content_type=content_type,
        file_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
