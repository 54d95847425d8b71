"""A consultant's branding for reports: names, logo, accent colour, confidentiality line.

The brand file is YAML, validated strictly. The logo is read once and embedded as a
``data:`` URI, so the report stays one self-contained file. The accent colour must be a
hex colour: it is written into the report's style sheet, so nothing else is accepted.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from llmchoose.errors import InputError
from llmchoose.loading.messages import validation_errors
from llmchoose.loading.yamlio import LineDict, load_yaml
from llmchoose.schemas.common import Strict, Text

__all__ = ["DEFAULT_ACCENT", "MAX_LOGO_BYTES", "BrandFile", "brand_view", "load_brand"]

DEFAULT_ACCENT = "#1f5fa8"
MAX_LOGO_BYTES = 1024 * 1024
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# Magic numbers of the image kinds a browser shows in <img>. An SVG logo is safe there:
# images load no scripts and fetch nothing.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


class BrandFile(Strict):
    """Schema of ``--brand brand.yaml``."""

    client: Text | None = Field(None, description="Who the report is prepared for.")
    author: Text | None = Field(None, description="Who prepared it.")
    company: Text | None = Field(None, description="The author's firm.")
    contact: Text | None = Field(None, description="An e-mail or phone line for questions.")
    title: Text | None = Field(None, description="Report title (default: from the project).")
    logo: Text | None = Field(
        None, description="PNG, JPEG, GIF, WebP or SVG file, relative to the brand file."
    )
    accent: str = Field(DEFAULT_ACCENT, description="Accent colour, '#rrggbb' or '#rgb'.")
    confidentiality: Text | None = Field(
        None, description="Footer line on every page, e.g. 'Confidential: prepared for Acme'."
    )

    @field_validator("accent")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        if not isinstance(value, str) or not _HEX.match(value):
            raise ValueError("expected a hex colour such as '#1f5fa8'")
        return _expand(value)


def _expand(colour: str) -> str:
    digits = colour[1:].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def _image_type(data: bytes) -> str | None:
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:2048].lower()):
        return "image/svg+xml"
    return None


def _logo_uri(path: Path, *, brand_file: Path, line: int | None) -> str:
    try:
        size = path.stat().st_size
        if not path.is_file() and not path.is_dir():  # /dev/zero never ends, a FIFO blocks
            raise InputError(f"logo: expected an image file, found a device or pipe: {path}",
                             file=brand_file, line=line)  # fmt: skip
        data = path.read_bytes() if size <= MAX_LOGO_BYTES else b""
    except FileNotFoundError:
        raise InputError(
            f"logo: file not found: {path}",
            file=brand_file,
            line=line,
            hint="the path is relative to the brand file",
        ) from None
    except IsADirectoryError:
        raise InputError(
            f"logo: expected an image file, found a folder: {path}", file=brand_file, line=line
        ) from None
    except OSError as exc:
        raise InputError(
            f"logo: cannot read {path}: {exc.strerror}", file=brand_file, line=line
        ) from None
    if size > MAX_LOGO_BYTES:
        raise InputError(
            f"logo: {path} is {size:,} bytes; the limit is {MAX_LOGO_BYTES:,}",
            file=brand_file,
            line=line,
            hint="export a smaller image",
        )
    mime = _image_type(data)
    if mime is None:
        raise InputError(
            f"logo: {path} is not a PNG, JPEG, GIF, WebP or SVG image",
            file=brand_file,
            line=line,
        )
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def load_brand(path: str | Path) -> dict:
    """Read a brand file and return its view (see :func:`brand_view`)."""
    path = Path(path)
    raw = load_yaml(path)
    if raw is None:
        raw = LineDict()
    if not isinstance(raw, dict):
        raise InputError(
            "expected a mapping of brand settings (client, author, logo …)", file=path, line=1
        )
    try:
        brand = BrandFile.model_validate(dict(raw))
    except ValidationError as exc:
        raise validation_errors(exc, model=BrandFile, raw=raw, file=path)[0] from None
    logo = None
    if brand.logo:
        line = raw.lines.get("logo") if isinstance(raw, LineDict) else None
        logo = _logo_uri(path.parent / brand.logo, brand_file=path, line=line)
    return brand_view(brand, logo_uri=logo)


# --- colours -------------------------------------------------------------------------

_LIGHT_BG = "#ffffff"
_DARK_BG = "#15181d"


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(colour: str, towards: str, amount: float) -> str:
    a, b = _rgb(colour), _rgb(towards)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def _readable_on(colour: str, background: str, towards: str, minimum: float = 4.5) -> str:
    """The colour, moved towards ``towards`` in small steps until text in it is readable."""
    for step in range(21):
        candidate = _mix(colour, towards, step / 20)
        if contrast(candidate, background) >= minimum:
            return candidate
    return towards


def _on(colour: str) -> str:
    """White or near-black text, whichever reads better on a fill of ``colour``."""
    return "#ffffff" if contrast(colour, "#ffffff") >= contrast(colour, "#111111") else "#111111"


def brand_view(brand: BrandFile | None = None, *, logo_uri: str | None = None) -> dict:
    """Plain data for templates: names, logo URI and accent colours for both themes."""
    brand = brand or BrandFile()
    accent = brand.accent
    on_accent = _on(accent)
    return {
        "client": brand.client,
        "author": brand.author,
        "company": brand.company,
        "contact": brand.contact,
        "title": brand.title,
        "logo": logo_uri,
        "confidentiality": brand.confidentiality,
        "accent": accent,
        # Text and lines in the accent colour must stay readable on either background.
        "accent_text": _readable_on(accent, _LIGHT_BG, "#000000"),
        "accent_dark": _readable_on(accent, _DARK_BG, "#ffffff"),
        "on_accent": on_accent,
        "on_accent_dark": _on(_readable_on(accent, _DARK_BG, "#ffffff")),
    }
