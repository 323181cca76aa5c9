"""The in-memory LSH index: candidates from the sorted arrays and the fresh buffer alike, the
window by registration time, and dropping what fell out of it."""

from __future__ import annotations

from hotline_tui.domain.near_dup import normalise
from hotline_tui.services.dedup.index import RecentIndex

NOISE = normalise("芙蓉路88号楼下的烧烤店每天晚上油烟很大，噪音扰民到凌晨两点，多次反映没有处理")
AGAIN = normalise("芙蓉路88号楼下烧烤店每天晚上油烟很大，噪音扰民到凌晨两点，反映多次都没有处理")
LIFT = normalise("清溪小区三栋的电梯坏了一个多月，物业一直不修，老人上下楼非常困难")
ROAD = normalise("望城大道与银星路交叉口的红绿灯坏了，早晚高峰非常拥堵，请交警处理")


def test_finds_the_near_duplicate_only() -> None:
    index = RecentIndex()
    index.add([1, 2, 3], [100, 100, 100], [NOISE, LIFT, ROAD])
    assert index.candidates(AGAIN, since=0) == [1]
    assert index.candidates(normalise("完全无关的一段话，说的是公积金提取的办理材料"), 0) == []


def test_buffer_and_sorted_arrays_answer_alike() -> None:
    index = RecentIndex()
    index.add([1, 2], [100, 100], [NOISE, LIFT])
    assert index.candidates(AGAIN, 0) == [1]  # from the buffer
    index.forget_before(0)  # merges the buffer into the sorted arrays
    assert index.candidates(AGAIN, 0) == [1]
    index.add([3], [200], [AGAIN])  # one in each part
    assert sorted(index.candidates(AGAIN, 0)) == [1, 3]
    assert index.candidates(AGAIN, 0)[0] == 3  # the exact text shares every band


def test_window_and_forgetting() -> None:
    index = RecentIndex()
    index.add([1, 2], [100, 500], [NOISE, AGAIN])
    assert index.candidates(AGAIN, since=300) == [2]
    index.forget_before(300)
    assert len(index) == 1
    assert 1 not in index.known
    assert index.candidates(AGAIN, since=0) == [2]


def test_adding_again_changes_nothing() -> None:
    index = RecentIndex()
    index.add([1], [100], [NOISE])
    index.add([1], [100], [LIFT])
    assert len(index) == 1
    assert index.last_id == 1
    assert index.candidates(NOISE, 0) == [1]
