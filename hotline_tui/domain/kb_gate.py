"""Which questions the self-service channel must never answer by itself: complaints and reports.

A complaint (投诉) or a report (举报) is a request for someone to act on a person, a company or an
office, not a question the knowledge base can settle: it always goes to intake, whatever the
search finds. The rule is one keyword and phrase pattern, kept here and nowhere else, so that the
web page, the calibrator's training and its evaluation all draw the same line. It errs on the side
of intake: "怎么投诉" is sent to an operator too.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["is_complaint_or_report"]

# The words that name the act (traditional forms too), and the phrases callers use to demand it.
_WORDS = (
    "投诉",
    "投訴",
    "举报",
    "舉報",
    "检举",
    "檢舉",
    "揭发",
    "揭發",
    "控告",
    "告发",
    "告發",
)
_PHRASES = (
    r"我要(?:反映|曝光|告)",
    r"(?:要求|请求|希望)(?:有关部门)?(?:查处|处理|严惩|整改|取缔)",
    r"(?:乱收费|不作为|乱作为|刁难|索贿|受贿)",
)
# Wrongdoing a caller asks someone to stop: whoever writes of it wants an office to act.
_WRONGS = (
    "曝光",
    "乱罚款",
    "行贿",
    "吃拿卡要",
    "偷排",
    "非法经营",
    "无证经营",
    "违法建设",
    "违章搭建",
    "拖欠工资",
    "欠薪",
    "扰民",
    "诈骗",
    "传销",
)
_PATTERN = re.compile("|".join([*map(re.escape, (*_WORDS, *_WRONGS)), *_PHRASES]))
_SPACES = re.compile(r"\s+")


def is_complaint_or_report(text: str) -> bool:
    """Whether ``text`` is (or asks about making) a complaint or a report; such a request is
    never answered automatically."""
    folded = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    return bool(_PATTERN.search(folded))
