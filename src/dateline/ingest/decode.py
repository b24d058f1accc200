"""Bytes to text: the declared charset first, then BOMs and UTF-8, then detection."""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_SINGLE_BYTE = re.compile(r"^(?:cp125\d|cp8\d\d|cp7\d\d|cp1125|iso8859_\d+|latin_1|mac_\w+|koi8_\w|kz1048|ptcp154|tis_620|hp_roman8)$")
# Control characters other than tab, newline and carriage return mark binary data.
_CONTROL = bytes(range(9)) + bytes([11, 12]) + bytes(range(14, 32))


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any charset we read (NULs, many controls)."""
    head = data[:8192]
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return False  # UTF-16/32 text legitimately contains NUL bytes
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > 0.05


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML <meta> or XML declaration names, if any."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str | None:
    """Decode ``data``; None when no charset decodes it credibly."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                return None
    candidates = [c for c in (declared, declared_charset(data)) if c]
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        # A declared single-byte charset decodes anything; trust it unless it is UTF-8 text.
        if codecs.lookup(name).name != "utf-8" and _is_utf8(data):
            return data.decode("utf-8")
        return text
    if _is_utf8(data):
        return data.decode("utf-8")
    return _detect(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    encoding = best.encoding
    if _SINGLE_BYTE.match(encoding):
        # On short English text every single-byte code page fits about as well; Windows-1252
        # is by far the most common legacy one for English news, so it wins when it decodes.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
