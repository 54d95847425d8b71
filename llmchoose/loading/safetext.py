"""Text that is safe to show or write: control characters named or made visible.

Data and arguments are never allowed to carry a control character into a terminal (an
ESC sequence can move the cursor, recolour or hide text), an XML report (invalid) or a
Markdown file. The YAML reader refuses them with :func:`describe_control`; human output
shows any that reach it as visible escapes with :func:`plain_safe`.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["CONTROL", "describe_control", "plain_safe"]

# C0 and C1 control characters other than tab and newlines, and lone surrogates (text
# that was not valid UTF-8 on the command line).
CONTROL = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff]")
# For human output carriage return is escaped too: it can overwrite a line.
_SHOWN = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff]")
_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x08: "backspace", 0x0C: "form feed"}


def describe_control(char: str) -> str:
    """``ESC (U+001B)``: a control character named the way people search for it."""
    code = ord(char)
    name = _NAMES.get(code)
    if 0xD800 <= code <= 0xDFFF:
        return f"text that is not valid UTF-8 (U+{code:04X})"
    return f"control character {name + ' ' if name else ''}(U+{code:04X})"


def plain_safe(value: Any) -> str:
    """Text for a human: control characters shown as visible escapes (``\\x1b``)."""
    text = str(value)
    if _SHOWN.search(text) is None:
        return text
    return _SHOWN.sub(lambda m: repr(m.group())[1:-1], text)
