"""``hotline demo`` on a fresh SQLite database: the summary, and no silent second helping."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hotline_tui.cli.main import app


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "HOTLINE_AUDIT_KEY_FILE": str(tmp_path / "audit.key"),
        "HOTLINE_DATA_DIR": str(tmp_path),
        "HOTLINE_LOG_FILE": str(tmp_path / "hotline.log"),
        "HOTLINE_CACHE_DIR": str(tmp_path / "cache"),
        "HOTLINE_CONFIG": str(tmp_path / "absent.toml"),
    }


def test_demo_seeds_prints_a_summary_and_refuses_to_seed_twice(tmp_path: Path):
    runner = CliRunner()
    db = ["--db", f"sqlite:///{tmp_path / 'demo.db'}"]
    env = _env(tmp_path)
    first = runner.invoke(app, [*db, "demo", "--orders", "300", "--seed", "7"], env=env)
    assert first.exit_code == 0, (first.output, first.stderr)
    out = first.stdout
    assert "演示数据已生成" in out and "hotline-demo" in out
    for word in (
        "pending_sign",
        "in_progress",
        "archived",
        "op1",
        "disp1",
        "dept1",
        "dept2",
        "sup1",
        "admin1",
    ):
        assert word in out
    assert "\x1b" not in out  # plain text
    assert (tmp_path / "audit.key").exists()

    again = runner.invoke(app, [*db, "demo", "--orders", "300", "--seed", "7"], env=env)
    assert again.exit_code == 9
    assert "已有" in again.stderr and "--force" in again.stderr

    forced = runner.invoke(app, [*db, "demo", "--orders", "20", "--force", "--json"], env=env)
    assert forced.exit_code == 0, (forced.output, forced.stderr)
    summary = json.loads(forced.stdout)
    assert summary["orders"] >= 20 and summary["password"] == "hotline-demo"
    found = runner.invoke(
        app, [*db, "ticket", "find", "--phone", summary["repeat_phone"], "--json"], env=env
    )
    assert found.exit_code == 0, (found.output, found.stderr)
    assert json.loads(found.stdout)["results"]


def test_demo_json_summary(tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "--db",
            f"sqlite:///{tmp_path / 'demo.db'}",
            "demo",
            "--scale",
            "0.015",
            "--seed",
            "3",
            "--json",
        ],
        env=_env(tmp_path),
    )
    assert result.exit_code == 0, (result.output, result.stderr)
    summary = json.loads(result.stdout)
    assert summary["orders"] >= 300
    assert sum(summary["by_state"].values()) == summary["orders"]
    # The knowledge base is seeded and indexed: the console's 知识库 works at once.
    assert summary["kb_created"] >= 150 and summary["kb_documents"] == summary["kb_created"]
    # The self-service calibrator is fitted on the demo's own labelled questions, written out
    # for ``hotline kb autoanswer eval`` (the held-out part has unanswerable ones too).
    autoanswer = summary["autoanswer"]
    assert autoanswer["calibrator_version"] == 1 and autoanswer["labelled"] > 500
    assert autoanswer["cv"]["answered"] > 0
    held_out = Path(autoanswer["eval_csv"]).read_text(encoding="utf-8").splitlines()
    assert held_out[0] == "question,expected_source_id"
    assert any(row.endswith(",") for row in held_out[1:])
    assert any(",demo:" in row for row in held_out[1:])
    assert 0.55 <= summary["consult_share"] <= 0.8
    assert summary["events"] > summary["orders"]


def test_demo_kb_only_seeds_the_knowledge_base_once_and_it_is_searchable(tmp_path: Path):
    runner = CliRunner()
    db = ["--db", f"sqlite:///{tmp_path / 'demo.db'}"]
    env = _env(tmp_path)
    first = runner.invoke(app, [*db, "demo", "--kb-only", "--json"], env=env)
    assert first.exit_code == 0, (first.output, first.stderr)
    seeded = json.loads(first.stdout)
    assert seeded["kb_created"] >= 150 and seeded["kb_documents"] == seeded["kb_created"]
    again = runner.invoke(app, [*db, "demo", "--kb-only", "--json"], env=env)
    assert again.exit_code == 0, (again.output, again.stderr)
    repeated = json.loads(again.stdout)
    assert (repeated["kb_created"], repeated["kb_documents"]) == (0, seeded["kb_documents"])
    # The first run fitted the self-service calibrator; one that adds nothing keeps it.
    assert seeded["autoanswer"]["calibrator_version"] == 1 and repeated["autoanswer"] is None
    found = runner.invoke(app, [*db, "kb", "search", "yyzz", "--json"], env=env)
    assert found.exit_code == 0, (found.output, found.stderr)
    assert "营业执照" in json.loads(found.stdout)["hits"][0]["title"]
