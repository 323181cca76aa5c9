"""The type gate: complaints and reports (投诉 / 举报) are never answered automatically."""

from __future__ import annotations

import pytest

from hotline_tui.domain.kb_gate import is_complaint_or_report


@pytest.mark.parametrize(
    "text",
    [
        "我要投诉小区物业乱收费",
        "举报一家无证经营的餐馆",
        "怎么投诉快递员态度差？",
        "檢舉 違章建築",  # traditional characters, a space between the words
        "要求有关部门查处深夜施工噪音",
        "我要反映一下窗口工作人员刁难群众",
        "投 诉",  # spaced out
    ],
)
def test_complaints_and_reports_are_gated(text: str) -> None:
    assert is_complaint_or_report(text)


@pytest.mark.parametrize(
    "text",
    [
        "营业执照怎么办理？",
        "社保卡丢了怎么补办",
        "公积金提取需要什么材料",
        "投资项目备案在哪里办",  # 投 without 诉
        "报名参加职业技能考试",  # 报 without 举
        "",
    ],
)
def test_ordinary_questions_pass(text: str) -> None:
    assert not is_complaint_or_report(text)
