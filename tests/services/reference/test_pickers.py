"""Issue 15, item 11: a category is found by the words callers use for it (噪音 for 噪声), from
the synonym lists in force: the built-in ones, or the city's own once imported."""

from __future__ import annotations

from hotline_tui.domain.kb import DEFAULT_SYNONYMS
from hotline_tui.services.kb import insights as kb_insights
from hotline_tui.services.reference import pickers
from hotline_tui.services.reference.catalogue import CategoryView

TREE = [
    CategoryView("E", "环境保护", "环保", None, 1, "环境保护"),
    CategoryView("EN", "噪声污染", "噪声", "E", 2, "环境保护/噪声污染"),
    CategoryView("EN1", "建筑施工噪声", "施工噪声", "EN", 3, "环境保护/噪声污染/建筑施工噪声"),
    CategoryView("EN2", "社会生活噪声", "", "EN", 3, "环境保护/噪声污染/社会生活噪声"),
    CategoryView("U", "城市管理", "城管", None, 1, "城市管理"),
    CategoryView("UB", "违法建设", "违建", "U", 2, "城市管理/违法建设"),
    CategoryView("UB1", "违建拆除", "", "UB", 3, "城市管理/违法建设/违建拆除"),
    CategoryView("T", "道路交通管理", "交管", None, 1, "道路交通管理"),
    CategoryView("T1", "违章停车", "", "T", 2, "道路交通管理/违章停车"),
    CategoryView("L", "劳动关系", "", None, 1, "劳动关系"),
    CategoryView("L1", "拖欠工资", "欠薪", "L", 2, "劳动关系/拖欠工资"),
]


def _codes(index: pickers.PickIndex, query: str) -> list[str]:
    return [item.code for item in index.search(query, 20)]


def test_an_alias_finds_the_same_categories_as_the_word_it_stands_for():
    index = pickers.build_index(pickers.category_items(TREE, DEFAULT_SYNONYMS))
    bare = pickers.build_index(pickers.category_items(TREE))
    assert _codes(bare, "噪音") == []  # what an operator saw before
    assert set(_codes(index, "噪音")) == set(_codes(index, "噪声")) == {"EN", "EN1", "EN2"}
    assert _codes(index, "施工噪音") == ["EN1"]
    assert _codes(index, "zaoyin") == ["EN", "EN1", "EN2"]  # the alias's pinyin too
    assert _codes(index, "违章建筑") == _codes(index, "违章搭建") == ["UB", "UB1"]
    assert _codes(index, "泊车") == ["T1"]
    assert _codes(index, "讨薪") == ["L1"]


def test_the_categorys_own_word_still_ranks_first():
    index = pickers.build_index(pickers.category_items(TREE, DEFAULT_SYNONYMS))
    assert _codes(index, "噪声污染")[0] == "EN"
    assert _codes(index, "违建拆除")[0] == "UB1"


def test_aliases_replace_each_word_of_a_group_by_the_others():
    groups = [("噪音", "噪声"), ("违建", "违法建设", "违章建筑")]
    assert pickers.aliases("建筑施工噪声", groups) == ["建筑施工噪音"]
    assert pickers.aliases("违法建设", groups) == ["违建", "违章建筑"]
    assert pickers.aliases("营业执照", groups) == []


def test_the_console_pick_list_uses_the_synonym_lists_in_force(hl, who, tmp_path):
    """The test world has 物业管理 and 社保/社保缴费: the built-in lists find them by 物管 and
    社会保险; a city's imported lists replace the built-in ones here as in the knowledge base."""
    picks = pickers.build_pickers(hl, who["op"])
    assert [i.name for i in picks.categories.search("物管")][:1] == ["物业管理"]
    assert [i.name for i in picks.categories.search("社会保险")] == ["社保", "社保缴费"]
    own = tmp_path / "synonyms.txt"
    own.write_text("物业 物业公司\n", encoding="utf-8")
    assert kb_insights.import_synonyms(hl, who["adm"], own) == 1
    picks = pickers.build_pickers(hl, who["op"])
    assert [i.name for i in picks.categories.search("物业公司")][:1] == ["物业管理"]
    assert picks.categories.search("物管") == []
