"""Learning from the orders' final choices, and ranking departments (catalogue first, model
second, returns lowering a score), in the demo city on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from hotline_tui.demo.seed import seed_city
from hotline_tui.domain.intake import CallerInput, IntakeInput
from hotline_tui.services.nlp import files, service
from hotline_tui.services.nlp.datasets import Examples
from hotline_tui.services.nlp.departments import rank_departments
from hotline_tui.services.nlp.history import examples_from_orders
from hotline_tui.services.nlp.suggest import Suggester
from hotline_tui.services.nlp.training import train
from hotline_tui.services.tickets import dispatch, handling, intake
from hotline_tui.services.tickets.intake import Disposition
from tests.services.nlp.fixtures import DEPT_OF, rows
from tests.services.reference.test_catalogue import codes_by_path

LEAF = {
    "环境保护": "环境保护/大气污染/餐饮油烟",
    "劳动和社会保障": "劳动和社会保障/劳动关系/拖欠工资",
    "交通运输": "交通运输/公共交通/公交线路调整",
}
FUMES = "楼下新开的饭店油烟直冲我家窗户，一开窗满屋油烟味"


def _register(hl, who, codes, text, matter, lead):
    return intake.register(
        hl,
        who["op"],
        IntakeInput(
            request_type="complaint",
            description=text,
            category=codes[LEAF[matter]],
            caller=CallerInput(name="赵六", phone="13900139000"),
        ),
        Disposition(kind="dispatch", lead_dept=lead),
    ).number


@pytest.fixture
def city(hl, who):
    seed_city(hl, who["adm"])
    return codes_by_path(hl)


def test_training_from_orders_learns_the_final_department(hl, who, city):
    """Three fume complaints first went to M03, which sent them back; the dispatcher sent them
    on to M05. One more was returned and waits for the dispatcher: it teaches no department."""
    corrected, waiting = [], None
    for index, (text, matter) in enumerate(rows()):
        wrong_first = matter == "环境保护" and index % 4 == 0
        number = _register(hl, who, city, text, matter, "M03" if wrong_first else DEPT_OF[matter])
        if wrong_first and waiting is None:
            handling.return_order(hl, who["h3"], number, reason="not_our_duty", basis="非本单位")
            waiting = text
        elif wrong_first:
            handling.return_order(hl, who["h3"], number, reason="not_our_duty", basis="油烟归环保")
            dispatch.review_return(hl, who["disp"], number, accept=True)
            dispatch.dispatch(hl, who["disp"], number, "M05")
            corrected.append(text)
    assert len(corrected) == 2 and waiting is not None

    learnt = examples_from_orders(hl, "department", None)
    label_of = dict(zip(learnt.texts, learnt.labels, strict=True))
    assert all(label_of[text] == "M05" for text in corrected)
    assert waiting not in label_of and "M03" not in learnt.labels
    assert len(learnt.texts) == 35

    categories = examples_from_orders(hl, "category", None)
    assert set(categories.labels) == set(LEAF.values()) and len(categories.texts) == 36
    types = examples_from_orders(hl, "request_type", None)
    assert set(types.labels) == {"complaint"}
    later = examples_from_orders(hl, "department", hl.clock().replace(year=2027))
    assert later.texts == ()

    result = service.train_from_orders(hl, who["sup"], "department", None)
    assert result.meta["examples"] == 35 and result.meta["classes"] == ["M04", "M05", "M08"]
    suggester = Suggester(hl.settings.data_dir, ("department",))
    suggester.load_now()
    found = suggester.suggest(FUMES).department
    assert found is not None and found.top.label == "M05"


def test_departments_rank_catalogue_first_then_model_with_returns_lowering(hl, who, city):
    # A model that cannot tell M05 from M03 on fumes (half the fume texts each) ...
    data = [
        (text, "M03" if matter == "环境保护" and i % 2 else DEPT_OF[matter])
        for i, (text, matter) in enumerate(rows())
    ]
    texts, labels = zip(*data, strict=True)
    trained = train(Examples(tuple(texts), tuple(labels)), "department")
    files.save(
        files.model_path(hl.settings.data_dir, "department"),
        "department",
        trained.model,
        trained.meta,
    )
    suggester = Suggester(hl.settings.data_dir, ("department",))
    suggester.load_now()
    blind = rank_departments(hl, who["op"], FUMES, None, None, suggester)
    assert {c.code for c in blind[:2]} == {"M03", "M05"}
    assert all([r.kind for r in c.reasons] == ["model"] for c in blind)

    # ... and M03 has sent two fume orders back in the last 90 days.
    for text, matter in rows()[:2]:
        number = _register(hl, who, city, text, matter, "M03")
        handling.return_order(hl, who["h3"], number, reason="not_our_duty", basis="非本单位")
        dispatch.review_return(hl, who["disp"], number, accept=True)
    ranked = rank_departments(hl, who["op"], FUMES, city[LEAF["环境保护"]], None, suggester)
    first = ranked[0]
    assert first.code == "M05" and first.from_catalogue
    assert [r.kind for r in first.reasons] == ["catalogue", "model"]
    m03 = next(c for c in ranked if c.code == "M03")
    model_p = next(r.value for r in m03.reasons if r.kind == "model")
    assert [(r.kind, r.value) for r in m03.reasons if r.kind == "returns"] == [("returns", 2.0)]
    assert m03.score == pytest.approx(model_p / 3)  # two returns: divided by 1 + 2

    # No model at all: the catalogue alone still answers.
    bare = rank_departments(hl, who["op"], FUMES, city[LEAF["环境保护"]], None, None)
    assert [(c.code, [r.kind for r in c.reasons]) for c in bare] == [("M05", ["catalogue"])]
