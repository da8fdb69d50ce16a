"""Text cleanup shared by every seed format: converter artefacts, illegal characters, blanks.

Pure string functions; no knowledge of any particular site.
"""

from __future__ import annotations

import re

# A pinyin syllable with at least one tone-marked vowel, as a converter inserts it right after
# the CJK character it annotates: 創(chuàng)新 -> 創新.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTER = "a-zü" + _TONED
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_PINYIN_ARTEFACT = re.compile(
    # '(' first, then look behind it: a lookbehind at the start would run at every position
    rf"\((?<=[{_CJK}]\()(?=[{_PINYIN_LETTER}]*[{_TONED}])[{_PINYIN_LETTER}]{{1,7}}\)"
)

# C0 controls except tab, LF and CR; DEL; C1 controls; and the code points XML 1.0 forbids.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# Blanks that pages use for indentation and separation.
_SPACES = "\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\t "


_BLANK_RUN = re.compile(f"[{_SPACES}]+")


def remove_pinyin_artefacts(text: str) -> str:
    return _PINYIN_ARTEFACT.sub("", text)


def remove_illegal_chars(text: str) -> str:
    return _ILLEGAL.sub("", text)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_blanks(line: str) -> str:
    """Trim ASCII and CJK/NBSP blanks from both ends of a line."""
    return line.strip(_SPACES + "\n\r\f\v")


def collapse_inline_spaces(line: str) -> str:
    """Fold runs of blanks inside a line to one space (NBSP/U+3000 included)."""
    return _BLANK_RUN.sub(" ", line)


def clean_text(text: str) -> str:
    """Everything every format needs before it looks for structure."""
    text = normalise_newlines(text)
    text = remove_illegal_chars(text)
    return remove_pinyin_artefacts(text)


def clean_line(line: str) -> str:
    return collapse_inline_spaces(strip_blanks(line)).strip()
