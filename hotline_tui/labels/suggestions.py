"""Words for the intake suggestions' tasks and ways, as ``hotline nlp stats`` and the console
say them."""

from __future__ import annotations

TASK_NAMES = {"request_type": "诉求类型", "category": "分类", "department": "主办单位"}
WAY_NAMES = {"auto": "自动填写", "offered": "推荐", "all": "合计"}
