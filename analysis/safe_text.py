"""Text from input files shown safely: control and bidi-override characters made visible."""

from __future__ import annotations

import re

# C0/C1 controls (tab, newline and carriage return included: one message, one line), DEL, and the
# bidi embedding/override/isolate characters that can make a terminal or an editor show text reordered.
UNSAFE = "\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_UNSAFE_RE = re.compile(f"[{UNSAFE}]")


def _visible(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def escape(value: object) -> str:
    """`value` as text fit for a terminal or a log: every unsafe character written as \\xNN or \\uNNNN."""
    return _UNSAFE_RE.sub(_visible, str(value))
