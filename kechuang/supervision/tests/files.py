"""Evidence file contents: the smallest bytes each accepted format is recognised by."""

from __future__ import annotations

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"


def _ooxml(main_part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main_part, "<x/>")
    return out.getvalue()


def _ole(stream: str) -> bytes:
    """A compound file whose directory (sector 0, after the header) names one stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    root = "Root Entry".encode("utf-16-le").ljust(64, b"\x00") + b"\x16\x00\x05"
    name = stream.encode("utf-16-le")
    entry = name.ljust(64, b"\x00") + (len(name) + 2).to_bytes(2, "little") + b"\x02"
    return header + root.ljust(128, b"\x00") + entry.ljust(128, b"\x00") + b"\x00" * 256


CONTENTS = {
    "pdf": PDF,
    "png": PNG,
    "jpeg": JPEG,
    "docx": _ooxml("word/document.xml"),
    "xlsx": _ooxml("xl/workbook.xml"),
    "doc": _ole("WordDocument"),
    "xls": _ole("Workbook"),
    "exe": b"MZ\x90\x00" + b"\x00" * 60,
}
