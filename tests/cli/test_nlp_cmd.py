"""``hotline nlp train`` / ``eval`` on real files: the round trip, the figures, bad files."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import select

from db.models import AuditEvent
from hotline_tui.services.nlp import files
from tests.services.nlp.fixtures import rows, write_csv


def test_train_then_eval_round_trip(cli, hl, tmp_path):
    data = write_csv(tmp_path / "train.csv", rows(), extra=True)  # extra column ignored
    trained = cli.json("nlp", "train", "--task", "category", "--csv", str(data), user="sup")
    assert trained["examples"] == 36 and trained["classes"] == sorted(
        ["环境保护", "劳动和社会保障", "交通运输"]
    )
    assert trained["cv_folds"] == 5 and 0 < trained["threshold"] <= 1.01
    assert 0.0 <= trained["cv_macro_f1"] <= 1.0
    path = Path(trained["path"])
    assert path == files.model_path(tmp_path, "category") and path.is_file()
    assert files.read_header(path, "category").meta["examples"] == 36

    held_out = write_csv(
        tmp_path / "eval.csv",
        [
            ("和平路那家火锅店的油烟排到楼道里，呛得人咳嗽", "环境保护"),
            ("物流公司拖欠我两个月工资，电话也不接", "劳动和社会保障"),
            ("早上七点的公交车总是不来，上班迟到", "交通运输"),
            ("烧烤店晚上油烟很大，整栋楼都是烟味", "环境保护"),
        ],
    )
    report = cli.json("nlp", "eval", "--task", "category", "--csv", str(held_out), user="sup")
    assert report["examples"] == 4
    assert {c["label"] for c in report["per_class"]} >= {"环境保护", "劳动和社会保障", "交通运输"}
    assert report["top3_accuracy"] == 1.0  # three classes: the truth is always among them
    truth_support = {c["label"]: c["support"] for c in report["per_class"]}
    assert truth_support["环境保护"] == 2
    assert set(report["coverage"]) == {"0.95", "0.98"}

    words = cli("nlp", "eval", "--task", "category", "--csv", str(held_out), user="adm").stdout
    assert "宏平均 F1" in words and "精确率 ≥ 0.95" in words and "环境保护" in words
    with hl.reading() as s:
        events = list(s.exec(select(AuditEvent).where(AuditEvent.action == "nlp.train")))
    assert len(events) == 1 and json.loads(events[0].data)["examples"] == 36


def test_training_needs_supervisor_or_admin(cli, tmp_path):
    data = write_csv(tmp_path / "train.csv", rows())
    refused = cli("nlp", "train", "--task", "category", "--csv", str(data), user="op", ok=False)
    assert refused.exit_code == 4 and "训练分类模型" in refused.stderr.replace("\n", "")


def test_eval_without_a_model_says_how_to_train(cli, tmp_path):
    data = write_csv(tmp_path / "eval.csv", rows())
    result = cli("nlp", "eval", "--task", "department", "--csv", str(data), user="sup", ok=False)
    message = result.stderr.replace("\n", "")
    assert result.exit_code == 3 and "hotline nlp train --task department" in message


def _refusal(cli, path: Path) -> str:
    result = cli("nlp", "train", "--task", "request_type", "--csv", str(path), ok=False)
    assert result.exit_code == 10, result.stderr
    return str(result.stderr.replace("\n", ""))


def test_bad_files_are_refused_with_the_reason(cli, tmp_path):
    no_label = tmp_path / "no_label.csv"
    no_label.write_text("text,kind\n公交车不来,交通\n", encoding="utf-8")
    assert "缺少列「label」" in _refusal(cli, no_label)

    empty = tmp_path / "empty.csv"
    empty.write_text("text,label\n", encoding="utf-8")
    assert "没有带文本和标签的数据行" in _refusal(cli, empty)

    one_class = write_csv(tmp_path / "one.csv", [(t, "咨询") for t, _ in rows()])
    assert "至少要两类" in _refusal(cli, one_class)

    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("text,label\n公交车不来,投诉\n".encode("gbk"))
    assert "不是 UTF-8 编码" in _refusal(cli, gbk)

    neither = cli("nlp", "train", "--task", "category", ok=False)
    assert neither.exit_code == 2 and "--from-orders" in neither.stderr.replace("\n", "")
    assert not (tmp_path / "nlp").exists()  # nothing was written
