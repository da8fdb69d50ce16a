"""Names of people and organisations in bylines: role words off, several names joined with 、.

Pure string functions, shared by every seed format.
"""

from __future__ import annotations

import re

# Role words that precede names in Chinese bylines; longest first so 本报记者 wins over 记者.
_ROLES = sorted(
    """本报记者 本報記者 本台记者 本台記者 特约记者 特約記者 见习记者 見習記者 实习记者 實習記者
    融媒体记者 融媒體記者 全媒体记者 全媒體記者 首席记者 首席記者 记者 記者
    特约通讯员 特約通訊員 通讯员 通訊員 实习生 實習生 摄影 攝影 撰稿 文/图 文/圖""".split(),
    key=len,
    reverse=True,
)
_ROLE_RE = re.compile("|".join(re.escape(r) for r in _ROLES) + r"|\b[Bb][Yy]\b")
# full-width ／ and ｜ separate names too; so does 'and' in English bylines (By A and B)
_SEPARATORS = re.compile(r"[、,，;；/|／｜]+|\s+(?:and|&)\s+")
_CJK_NAMES = re.compile(r"^[\u3400-\u9fff\s·]+$")
# "記者 林怡君／高雄報導", "记者 王明 北京报道": where the story was filed from is no name.
_FILED_FROM = re.compile(r"^[\u3400-\u9fff]{0,8}(?:报道|報導|报导|報道)$")
_EDGE = " \t\u3000\u00a0:：()（）[]【】<>《》\"'“”"


def _join_padded(words: list[str]) -> list[str]:
    """Two-character names are padded to three in typeset bylines ('方 敏', '方\u3000敏'):
    two single characters in a row are one name."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and len(words[i]) == 1 == len(words[i + 1]):
            out.append(words[i] + words[i + 1])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


def normalise_people(byline: str | None) -> str | None:
    """'记者 王磊 陈静 通讯员 刘洋' -> '王磊、陈静、刘洋'; None when no name is left."""
    if not byline:
        return None
    text = _ROLE_RE.sub(" ", byline)
    names: list[str] = []
    for part in _SEPARATORS.split(text):
        # Chinese bylines separate names with blanks; Latin names keep theirs.
        names += _join_padded(part.split()) if _CJK_NAMES.match(part) else [" ".join(part.split())]
    names = [n.strip(_EDGE) for n in names]
    names = [n for n in names if n and not _FILED_FROM.match(n)]
    unique = list(dict.fromkeys(names))
    return "、".join(unique) or None
