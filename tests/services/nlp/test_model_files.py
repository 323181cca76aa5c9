"""Model files: versioned, refused when they do not fit; the suggestions with and without them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotline_tui.domain.errors import ConfigError, NotFound
from hotline_tui.services.nlp import files
from hotline_tui.services.nlp.datasets import Examples
from hotline_tui.services.nlp.suggest import Suggester
from hotline_tui.services.nlp.training import train
from tests.services.nlp.fixtures import rows


@pytest.fixture(scope="module")
def trained():
    data = rows()
    texts, labels = zip(*data, strict=True)
    return train(Examples(tuple(texts), tuple(labels), 0, "fixture"), "category")


def _rewrite_header(path: Path, **changes: object) -> None:
    first, rest = path.read_bytes().split(b"\n", 1)
    header = json.loads(first) | changes
    path.write_bytes(json.dumps(header).encode() + b"\n" + rest)


def test_a_saved_model_loads_with_its_metadata(trained, tmp_path):
    path = files.model_path(tmp_path, "category")
    files.save(path, "category", trained.model, trained.meta)
    header, model = files.load(path, "category")
    assert header.meta["examples"] == 36 and header.meta["source"] == "fixture"
    assert header.meta["threshold"] == trained.meta["threshold"]
    import sklearn

    assert header.sklearn == sklearn.__version__
    ranked = model.rank(["烧烤店的油烟熏得我家没法开窗"], 3)[0]
    assert ranked[0][0] == "环境保护"
    assert sum(p for _, p in ranked) == pytest.approx(1.0)  # three classes, all listed


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"format_version": 99}, "nlp.model_version", "99"),
        ({"sklearn": "0.1.0"}, "nlp.model_sklearn", "0.1.0"),
        ({"task": "department"}, "nlp.model_task", "department"),
        ({"format": "something-else"}, "nlp.model_format", ""),
    ],
)
def test_a_mismatched_file_is_refused_before_unpickling(trained, tmp_path, changes, code, words):
    path = files.model_path(tmp_path, "category")
    files.save(path, "category", trained.model, trained.meta)
    _rewrite_header(path, **changes)
    with pytest.raises(ConfigError) as refused:
        files.load(path, "category")
    assert refused.value.code == code and words in json.dumps(refused.value.params)
    suggester = Suggester(tmp_path)
    suggester.load_now()
    state = suggester.states()["category"]
    assert (state.state, state.message) == ("refused", code)
    assert suggester.suggest("饭店油烟很大").category is None


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    path = files.model_path(tmp_path, "department")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x04not a model at all")
    with pytest.raises(ConfigError) as refused:
        files.load(path, "department")
    assert refused.value.code == "nlp.model_format"


def test_without_any_model_the_suggester_answers_nothing(tmp_path):
    suggester = Suggester(tmp_path)
    suggester.start().join()
    assert suggester.ready()
    assert {s.state for s in suggester.states().values()} == {"absent"}
    assert suggester.suggest("饭店油烟很大") == suggester.suggest("")
    assert suggester.suggest("饭店油烟很大").category is None
    with pytest.raises(NotFound):
        files.load(files.model_path(tmp_path, "category"), "category")


def test_suggestions_give_three_choices_and_the_auto_fill_decision(trained, tmp_path):
    files.save(files.model_path(tmp_path, "category"), "category", trained.model, trained.meta)
    suggester = Suggester(tmp_path)
    suggester.start().join()
    found = suggester.suggest("小区门口的餐馆油烟太大，家里全是油烟味")
    assert found.request_type is None and found.department is None  # no such files
    category = found.category
    assert category is not None and len(category.choices) == 3
    assert category.top.label == "环境保护"
    probabilities = [c.probability for c in category.choices]
    assert probabilities == sorted(probabilities, reverse=True)
    assert category.threshold == trained.meta["threshold"]
    assert category.auto_fill == (category.top.probability >= category.threshold)


def test_category_paths_are_learnt_as_a_hierarchy():
    """The first level over every text, then the finer label within it: a path's probability
    is the first level's times the finer one's."""
    data = []
    for text, matter in rows():
        if matter == "环境保护":
            # six each: the barbecue stalls and half the restaurants are one finer label
            barbecue = "烧烤" in text or ("餐馆" in text and text.startswith(("南岸区", "城北")))
            leaf = "烧烤油烟" if barbecue else "餐饮油烟"
            data.append((text, f"环境保护/大气污染/{leaf}"))
        else:
            data.append((text, f"{matter}/其他"))
    texts, labels = zip(*data, strict=True)
    model = train(Examples(tuple(texts), tuple(labels)), "category").model
    assert model.classes == ("交通运输", "劳动和社会保障", "环境保护")
    assert model.finer_classes["环境保护"] == (
        "环境保护/大气污染/烧烤油烟",
        "环境保护/大气污染/餐饮油烟",
    )
    text = "夜市的烧烤摊烟很大，油烟飘进屋里"
    (first, p_first), *_ = model.rank([text], 3)[0]
    finer = model.rank_finer([text], 3)[0]
    assert first == "环境保护" and len(finer) == 3
    inside = [p for label, p in finer if label.startswith("环境保护/")]
    assert len(inside) == 2 and sum(inside) == pytest.approx(p_first)
    assert all(p <= p_first + 1e-12 for _, p in finer)


def test_a_request_type_with_a_slash_is_one_label():
    names = {"环境保护": "投诉/求助", "劳动和社会保障": "咨询", "交通运输": "建言"}
    texts, labels = zip(*rows(names), strict=True)
    trained = train(Examples(tuple(texts), tuple(labels)), "request_type")
    assert trained.model.classes == ("咨询", "建言", "投诉/求助")
    assert trained.model.rank(["饭店油烟熏人"], 1)[0][0][0] == "投诉/求助"
