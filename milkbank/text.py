"""Text that people type reaches the database without invisible control characters.

Every Django form's text field (public forms, staff pages and the admin alike) goes through
`forms.CharField.to_python`; `install()` (run once from milkbank's AppConfig.ready) makes it drop:
- terminal escape sequences whole ("ESC [ 2 J" clears a screen), and every other C0 and C1 control character
  (NUL, ESC, bell, DEL...), keeping tab and line
  breaks in multi-line boxes and turning them into spaces in one-line fields;
- the bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) that can reverse
  or reorder a name on a coordinator's screen.
Everything a real script needs stays: letters and combining marks of any script, right-to-left text with its
marks (U+200E, U+200F, U+061C), and the zero-width joiner and non-joiner used in Arabic, Persian, Indic
scripts and emoji sequences. Password fields are left exactly as typed.
"""

import re

from django import forms

_UNSAFE = re.compile(
    # Terminal escape sequences whole (CSI "ESC [ 31 m", OSC "ESC ] ... BEL", two-character "ESC c"),
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[@-Z\\-_]"
    # then any control character left, and the bidi controls.
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_LINE_BREAKS = re.compile("[\t\n\r]+")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """`value` without control characters or bidirectional overrides (line breaks become spaces unless
    `multiline`)."""
    value = _UNSAFE.sub("", value)
    return value if multiline else _LINE_BREAKS.sub(" ", value)


def install() -> None:
    original = forms.CharField.to_python
    if getattr(original, "milkbank_clean_text", False):
        return

    def to_python(self, value):
        value = original(self, value)
        if not isinstance(value, str) or isinstance(self.widget, forms.PasswordInput):
            return value
        value = clean_text(value, multiline=isinstance(self.widget, forms.Textarea))
        return value.strip() if self.strip else value

    to_python.milkbank_clean_text = True
    forms.CharField.to_python = to_python
