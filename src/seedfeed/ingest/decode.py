"""Decode a seed's bytes to text: BOMs, UTF-8, UTF-16, GB18030 and Big5, or a clear refusal.

Order: byte-order mark, known binary signatures, strict UTF-8 (the fast path; an incomplete
last character from a write in progress is dropped), UTF-16 without a BOM (told by where its
NUL bytes sit), a refusal for control-byte-heavy data, then the legacy Chinese encodings.
GB18030 decodes almost any byte string, so Big5 bytes "succeed" as GB18030 too; the choice
between legacy decodings is made by scoring which one reads as ordinary Chinese
(`_plausibility`), and UTF-8 with a few bad bytes is refused rather than read as GB18030.

It must not guess silently: what cannot be read with confidence raises SeedError with a reason
a person can act on. It never repairs text (no replacement characters) and knows nothing about
the layout of a page. The charset tables it derives also tell Traditional from Simplified text
(`guess_script`).
"""

from __future__ import annotations

import codecs
from collections import Counter
from contextlib import suppress
from functools import cache

from ..errors import SeedError

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)

# Magic numbers of files that end up in a seeds folder by mistake (scans, exports, archives).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"{\\rtf", "RTF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x7fELF", "executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"b0VIM", "Vim swap file"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
)
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

_SAMPLE = 8192
# C0 controls that never occur in text files (tab, LF, CR, FF, VT, ESC and ^Z sometimes do).
_BINARY_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1a\x1b")
_LEGACY = ("gb18030", "cp950", "big5hkscs")
_PLAUSIBLE = 0.3  # ordinary Chinese scores 0.5-1.0 (see _plausibility); a wrong decoding < 0


def decode(data: bytes) -> str:
    """The text of a seed without its BOM. Raises SeedError for binary or unreadable bytes."""
    if not data:
        return ""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode_declared(data[len(bom):], codec, label)
    _refuse_known_binary(data)
    sample = data[:_SAMPLE]
    nuls = sample.count(0)
    binary = nuls * 10 >= len(sample) or _looks_binary(sample)
    if not binary:  # a few NULs or other controls are damage in a text file, not a format
        text = _decode_utf8(data)
        if text is not None:
            return text
    if nuls:  # UTF-16 text has NULs (and controls): ASCII-range characters, newlines
        text = _decode_bomless_utf16(sample, data)
        if text is not None:
            return text
    if binary:
        raise SeedError("binary content (mostly control bytes), not text")
    return _decode_legacy(data)


def _decode_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")  # the fast path: almost every seed is UTF-8
    except UnicodeDecodeError:
        return _decode_incremental(data, "utf-8")  # a write cut inside the last character


def _decode_declared(body: bytes, codec: str, label: str) -> str:
    text = _decode_incremental(body, codec)
    if text is None:
        raise SeedError(f"starts with a {label} byte-order mark but is not valid {label} text")
    return text


def _decode_incremental(data: bytes, codec: str) -> str | None:
    """Strict decoding that tolerates an incomplete character at the very end (a write still
    in progress); None when the bytes are invalid anywhere else."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        return decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None


def _refuse_known_binary(data: bytes) -> None:
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            raise SeedError(f"binary content ({kind}), not text")
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        raise SeedError(f"binary content ({_RIFF_KINDS[data[8:12]]}), not text")
    if data[4:8] == b"ftyp":
        raise SeedError("binary content (MP4/HEIC media), not text")


def _looks_binary(sample: bytes) -> bool:
    """More than 5 % bytes that text never holds (a handful is damage, not a format)."""
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS))
    return controls >= 16 and controls > 0.05 * len(sample)


def _decode_bomless_utf16(sample: bytes, data: bytes) -> str | None:
    """UTF-16 without a BOM: the NUL byte of ASCII-range characters (newlines, digits) is always
    on the same side; the result must then read as text, not as random code points."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    codec = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else None
    text = _decode_incremental(data, codec) if codec else None
    if text is None or _looks_binary(text[:_SAMPLE].encode("utf-8")):
        return None
    mostly_ascii = sum(ch < "\x80" for ch in text[:_SAMPLE]) >= 0.8 * len(text[:_SAMPLE])
    return text if mostly_ascii or _plausibility(text) >= _PLAUSIBLE else None


def _decode_legacy(data: bytes) -> str:
    _refuse_damaged_utf8(data)
    candidates: list[tuple[float, int, str]] = []
    for rank, codec in enumerate(_LEGACY):
        text = _decode_incremental(data, codec)
        if text is not None:
            candidates.append((_plausibility(text), -rank, text))
    if not candidates:
        raise SeedError("unreadable text: not valid UTF-8, UTF-16, GB18030 or Big5; "
                        "save the file as UTF-8")
    score, _, text = max(candidates)  # ties go to the earlier codec (GB18030)
    if score < _PLAUSIBLE:
        raise SeedError("could not tell the text encoding (it reads as GB18030 or Big5 only "
                        "into unlikely characters); save the file as UTF-8")
    return text


def _refuse_damaged_utf8(data: bytes) -> None:
    """UTF-8 with a few bad bytes must not be read as GB18030 (that gives 涓滃煄 mojibake)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad  # non-ASCII, counted in C
    if good >= 3 * bad:  # GB18030 or Big5 bytes read as UTF-8 give far more bad than good
        raise SeedError(f"damaged UTF-8: {bad} invalid byte sequence(s), the first at byte "
                        f"{_first_utf8_error(data)}; re-save the file as UTF-8")


def _first_utf8_error(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start
    return -1


def _plausibility(text: str) -> float:
    """Per-character average: ordinary Chinese scores near +1, a wrong legacy decoding below 0.

    A wrong GB18030/Big5 decoding lands on private-use code points, kana, Cyrillic, box drawing
    or rare (level-2 / extension) ideographs; the right one mostly on the ~6,800 characters of
    GB2312 level 1 and Big5 level 1, the "frequently used" tiers of the two national charsets.
    The tiers come from the codecs themselves, so no frequency table is shipped.
    """
    tiers = charset_tiers()
    total = 0.0
    counted = 0
    for ch, n in Counter(text[:3000]).items():  # a sample is enough to tell
        if ch >= "\x80":
            counted += n
            weight = tiers.get(ch)
            total += n * (_fallback_weight(ch) if weight is None else weight)
    return total / counted if counted else 0.0


def _fallback_weight(ch: str) -> float:
    o = ord(ch)
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E or 0x2010 <= o <= 0x2027:
        return 0.5  # CJK and full-width punctuation: both decodings make some
    if 0x00C0 <= o <= 0x024F:
        return 0.0  # accented Latin (pinyin tone marks)
    if 0x3400 <= o <= 0x9FFF or 0x20000 <= o <= 0x3134F:
        return -1.0  # ideographs outside both national charsets' common tiers
    return -2.0  # private use, kana, hangul, Cyrillic, Greek, box drawing, compatibility forms


@cache
def charset_tiers() -> dict[str, float]:
    """Weight of each ideograph: +1 in GB2312/Big5 level 1 (common), 0 in level 2 (rare)."""
    weights: dict[str, float] = {ch: 0.0 for ch in gb2312_hanzi() | big5_hanzi()}
    common = _decode_rows("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
    common |= _decode_rows("cp950", range(0xA4, 0xC7), _BIG5_TRAILS)
    weights.update(dict.fromkeys(common, 1.0))
    return weights


_BIG5_TRAILS = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]


@cache
def gb2312_hanzi() -> frozenset[str]:
    """Every ideograph of GB2312 (the Simplified national charset, levels 1 and 2)."""
    return frozenset(_decode_rows("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF)))


@cache
def big5_hanzi() -> frozenset[str]:
    """Every ideograph of Big5 (the Traditional charset, levels 1 and 2)."""
    leads = [*range(0xA4, 0xC7), *range(0xC9, 0xFA)]
    return frozenset(_decode_rows("cp950", leads, _BIG5_TRAILS))


def _decode_rows(codec: str, leads: range | list[int], trails: range | list[int]) -> set[str]:
    """The ideographs a double-byte charset assigns to the given lead x trail byte grid."""
    chars: set[str] = set()
    for lead in leads:
        row = b"".join(bytes((lead, t)) for t in trails)
        try:
            chars.update(row.decode(codec))
        except UnicodeDecodeError:  # a row with holes: decode its cells one by one
            for t in trails:
                with suppress(UnicodeDecodeError):
                    chars.add(bytes((lead, t)).decode(codec))
    return {ch for ch in chars if _is_ideograph(ch)}


def _is_ideograph(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


@cache
def _script_only_sets() -> tuple[frozenset[str], frozenset[str]]:
    gb, big5 = gb2312_hanzi(), big5_hanzi()
    return big5 - gb, gb - big5  # Traditional-only and Simplified-only ideographs


def guess_script(sample: str) -> str | None:
    """'zh-Hant' or 'zh-Hans' when the characters clearly say which script the text is in
    (Big5-only vs GB2312-only ideographs), else None."""
    trad_only, simp_only = _script_only_sets()
    chars = set(sample[:1000])  # distinct characters are enough, and cheap to count
    trad, simp = len(trad_only & chars), len(simp_only & chars)
    if trad >= 5 and trad >= 4 * simp:
        return "zh-Hant"
    if simp >= 5 and simp >= 4 * trad:
        return "zh-Hans"
    return None
