"""Checking every uploaded file (background attachments and consent-form scans) in one place.

The type is sniffed from the bytes with libmagic (python-magic), never taken from the name or
the browser's claim. Only documents and images a worker needs are accepted; anything a browser
could run (HTML, SVG, scripts) is refused, and so are polyglots: an image carrying markup, or any
file whose first bytes (where browsers sniff) look like HTML. A PDF with HTML deeper inside is
still a PDF: the download view only ever serves files as attachments with `nosniff`.
"""

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"

# Sniffed type -> the extension the stored display name gets, so the name never lies.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
    ODT: ".odt",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
}
IMAGE_TYPES = {"image/png", "image/jpeg"}
ACTIVE_TYPES = {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
                "text/javascript", "application/javascript", "text/x-shellscript", "text/x-php", "text/x-python",
                "text/x-perl", "application/x-httpd-php"}
# Markup a browser would treat as a page or script. Browsers sniff the first 1445 bytes of a
# response (WHATWG MIME Sniffing, "resource header").
# The tag must end in a space, "/" or ">" so that random bytes of a large image rarely match.
ACTIVE_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|\?php)[\s/>]",
                           re.IGNORECASE)
SNIFF_WINDOW = 1445
# libmagic examines no more than this many bytes of a buffer (7 MiB in libmagic 5.44).
MAGIC_BYTES = magic.Magic().getparam(magic.MAGIC_PARAM_BYTES_MAX)
# Types libmagic knows by a signature at the start of the file: their first SIGNATURE_BYTES are
# sniffed alone, not the whole file (decision 40). Every other file is sniffed whole.
SIGNATURE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
SIGNATURE_BYTES = 4096
# ZIP containers libmagic reports only as "application/zip" when the parts are in an unusual order.
OOXML_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check, ready to be stored under a random name. It is the
    uploaded file itself: storing it moves a file Django spooled to disk instead of copying it."""

    file: UploadedFile
    content_type: str
    display_name: str
    size: int


def _zip_office_type(file):
    """Return the Office type of a ZIP container by its parts, or None."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names:
                return next((kind for part, kind in OOXML_MAIN_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def sniff(file):
    """Return the content type of a file as its bytes say. A PDF, PNG or JPEG is known by its
    first bytes; any other file is sniffed whole, as far as libmagic's bytes limit (MAGIC_BYTES),
    and a ZIP container is opened to tell the Office formats apart. A file Django spooled to disk
    is read by libmagic itself, not copied into a Python buffer first."""
    file.seek(0)
    kind = magic.from_buffer(file.read(SIGNATURE_BYTES), mime=True)
    if kind in SIGNATURE_TYPES:
        return kind
    if hasattr(file, "temporary_file_path"):
        kind = magic.from_file(file.temporary_file_path(), mime=True)
    else:
        file.seek(0)
        kind = magic.from_buffer(file.read(MAGIC_BYTES), mime=True)
    if kind == "application/zip":
        file.seek(0)
        kind = _zip_office_type(file) or kind
    return kind


def has_active_markup(file, content_type):
    """Return True if a browser could take the file for a page: markup in the sniffing window,
    or anywhere in an image (an image never needs markup; XMP metadata is XML, not HTML)."""
    file.seek(0)
    window = file.read() if content_type in IMAGE_TYPES else file.read(SNIFF_WINDOW)
    return ACTIVE_MARKUP.search(window) is not None


def display_name(raw_name, content_type):
    """Return a safe name to show and to offer on download: no folders, no control or bidi
    characters, no characters file systems refuse, and the extension of the sniffed type."""
    name = unicodedata.normalize("NFC", str(raw_name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    name = re.sub(r'[<>:"|?*;]', "_", name)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"\s+", " ", stem).strip(" ._-")[:MAX_NAME_LENGTH]
    return (stem or str(_("attachment"))) + ALLOWED_TYPES[content_type]


def too_many_files():
    """The refusal of a file beyond ATTACHMENT_MAX_COUNT (the form's and the store's count checks)."""
    return ValidationError(
        _("A case can have at most %(count)d attachments. Remove one before adding another."),
        code="too_many_files", params={"count": settings.ATTACHMENT_MAX_COUNT})


def check_upload(upload):
    """Return a CheckedUpload for a Django UploadedFile, or raise a ValidationError saying why
    the file is refused. Returns a CheckedUpload unchanged, so that a file checked by a form is
    not checked a second time by the service that stores it."""
    if isinstance(upload, CheckedUpload):
        return upload
    limit = settings.ATTACHMENT_MAX_BYTES
    upload.seek(0, os.SEEK_END)
    size = upload.tell()  # the bytes there are, whatever size the file was said to have
    if max(size, upload.size or 0) > limit:
        raise ValidationError(_("The file is too big: the limit is %(limit)s."), code="file_too_big",
                              params={"limit": filesizeformat(limit)})
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    content_type = sniff(upload)
    if content_type in ACTIVE_TYPES or (content_type in ALLOWED_TYPES and has_active_markup(upload, content_type)):
        raise ValidationError(
            _("Web pages, SVG images and scripts cannot be attached. Save the content as a PDF and attach that."),
            code="active_content")
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            _("This type of file cannot be attached. Attach a PDF, a PNG or JPEG image, or an Office document "
              "(Word, Excel, PowerPoint or OpenDocument text)."),
            code="file_type_not_allowed")
    upload.seek(0)
    return CheckedUpload(file=upload, content_type=content_type,
                         display_name=display_name(upload.name, content_type), size=size)


class OversizeUpload(UploadedFile):
    """Stands in for a file that passed the size limit while it arrived; its bytes were dropped."""

    def __init__(self, name, size):
        super().__init__(file=BytesIO(b""), name=name, content_type="application/octet-stream", size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    """The first upload handler: lets a file's bytes through to Django's handlers only up to
    ATTACHMENT_MAX_BYTES, and only for the first ATTACHMENT_MAX_COUNT files of a request, so that
    no request fills memory or the spool folder (FILE_UPLOAD_TEMP_DIR). A file it stops becomes
    an OversizeUpload: check_upload refuses it as too big, and the form refuses the files beyond
    the count. Django makes a new handler for every request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.files_in_request = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files_in_request += 1
        self.limit = settings.ATTACHMENT_MAX_BYTES if self.files_in_request <= settings.ATTACHMENT_MAX_COUNT else 0
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizeUpload(self.file_name, self.received)
        return None
