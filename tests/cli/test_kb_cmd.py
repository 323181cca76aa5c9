"""``hotline kb``: import with warnings, search (also in batch), the article workflow, answering
from an article, reindex, figures, gaps; a malformed CSV gives a Chinese error and exit 10."""

from __future__ import annotations

import json
from pathlib import Path

CSV = (
    "id,question,answer,department,tags\n"
    "k1,个体工商户营业执照如何办理？,可到区政务服务中心办理，详见[指南](https://example.invalid)。,市监局,执照\n"
    "k2,灵活就业人员怎样缴纳社会保险？,可在人社服务大厅缴纳养老和医疗保险。,人力资源社会保障局,社保\n"
    "k3,停电了找谁？,拨打供电服务热线报修。,供电公司,\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_search_show_and_batch(cli, tmp_path):
    result = cli("kb", "import", str(write(tmp_path, "kb.csv", CSV)))
    assert "新增 3" in result.stdout
    assert "警告：单位「人力资源社会保障局」不是本市单位" in result.stdout
    hits = cli.json("kb", "search", "营业执照")["hits"]
    assert hits[0]["title"] == "个体工商户营业执照如何办理？"
    assert any(span[1] for span in hits[0]["title_spans"])  # [text, hit] pairs
    text = cli("kb", "search", "yyzz", user="op").stdout
    assert "个体工商户营业执照如何办理？" in text
    shown = cli("kb", "show", str(hits[0]["article_id"])).stdout
    assert "指南（`https://example.invalid`）" in shown and "](" not in shown
    queries = write(tmp_path, "queries.txt", "社会保险 缴纳\n停电\n(AND OR\n")
    lines = cli("kb", "search", "--batch", str(queries), "--limit", "2").stdout.splitlines()
    batch = [json.loads(line) for line in lines]
    assert [b["query"] for b in batch] == ["社会保险 缴纳", "停电", "(AND OR"]
    assert batch[0]["hits"][0]["title"].startswith("灵活就业人员")
    assert batch[2]["hits"] == []
    assert batch[1]["hits"][0]["key"] == "csv:k3"


def test_a_malformed_csv_is_refused_in_chinese_and_nothing_is_imported(cli, tmp_path):
    bad = write(tmp_path, "bad.csv", "id,question,answer\nk1,问一,答一\nk2,问二,答二,多一列\n")
    result = cli("kb", "import", str(bad), ok=False)
    assert result.exit_code == 10
    assert "第 3 行" in result.stderr and "应有 3 列，实有 4 列" in result.stderr
    assert cli.json("kb", "list") == []


def test_workflow_answer_feedback_stats_gaps_and_reindex(cli, tmp_path):
    body = write(tmp_path, "body.md", "请携带身份证到窗口办理。")
    created = cli.json(
        "kb", "new", "--title", "居住证怎么办？", "--body-file", str(body), "--dept", "M01"
    )
    number = str(created["id"])
    assert created["status"] == "draft"
    cli("kb", "submit", number)
    cli("kb", "approve", number, "--note", "核对无误", user="sup")
    answered = cli.json("kb", "answer", number, "-d", "咨询居住证办理", user="op")
    assert answered["state"] == "closed"
    cli("kb", "feedback", number, "helpful", user="op")
    stats = cli.json("kb", "stats", user="sup")
    assert stats["usage_total"] == 1 and stats["feedback"]["helpful"] == 1
    assert cli("kb", "search", "无人机 备案", user="op").stdout.startswith("没有找到")
    gaps = cli.json("kb", "gaps", user="sup")
    assert gaps[0]["terms"] == "备案 无人机"
    rebuilt = cli.json("kb", "reindex")
    assert rebuilt["documents"] == 1
    history = cli.json("kb", "show", number, "--history")["history"]
    assert [v["action"] for v in history] == ["approve", "submit", "create"]
    refused = cli("kb", "approve", number, user="op", ok=False)
    assert refused.exit_code == 4


def test_search_embeds_what_the_index_lacks_and_status_says_so(cli, tmp_path):
    cli.env["HOTLINE_KB_SEMANTIC"] = "1"
    cli("kb", "import", str(write(tmp_path, "kb.csv", CSV)))
    hits = cli.json("kb", "search", "我想交养老保险")["hits"]
    assert hits[0]["title"] == "灵活就业人员怎样缴纳社会保险？"
    assert "语义排序：已启用，3 段已有向量" in cli("kb", "status").stdout
    cli.env["HOTLINE_KB_SEMANTIC"] = "0"
    assert "语义排序：未启用（仅按词语排序）" in cli("kb", "status").stdout
