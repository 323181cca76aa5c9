"""``hotline kb autoanswer train`` and ``eval`` on real files (both backends): the calibrator is
stored as a new version, evaluation reads it back; bad files and missing calibrators are
refused in Chinese; operators may do neither."""

from __future__ import annotations

from pathlib import Path

ARTICLES = """id,question,answer
k01,个体工商户营业执照如何办理？,携带身份证和经营场所证明到区政务服务中心办理。
k02,灵活就业人员怎样缴纳社会保险？,可在人社服务大厅或网上缴纳养老和医疗保险。
k03,停电了找谁报修？,拨打供电服务热线报修，抢修人员会尽快到场。
k04,居住证怎么办理？,在居住地连续居住满半年，可到派出所申领居住证。
k05,公积金提取需要哪些材料？,身份证、银行卡以及提取原因的证明材料。
k06,新生儿如何办理户口登记？,凭出生医学证明和父母户口簿到派出所登记。
k07,电动自行车如何上牌？,携带购车发票和合格证到车管所登记上牌。
k08,老年人优待证怎么申请？,年满六十周岁的老人可到社区服务中心申请。
k09,医保卡丢失如何补办？,到医保经办窗口挂失并补办，当场可取临时卡。
k10,小区停水怎么办？,先询问物业是否计划停水，再拨打供水热线。
k11,不动产登记需要多长时间？,材料齐全的一般五个工作日内办结。
k12,失业保险金怎么领取？,失业登记后到人社窗口或网上申请领取。
"""

LABELLED = """question,expected_source_id
营业执照怎么办理,k01
灵活就业人员社保怎么交,k02
家里停电了找谁修,k03
居住证在哪里办,k04
提取公积金要带什么材料,csv:k05
新生儿上户口怎么办,k06
电动车上牌在哪里办,k07
老年优待证如何申请,k08
医保卡丢了怎么补办,k09
小区停水了怎么办,k10
不动产登记要多久,k11
失业金怎么领取,k12
护照过期了怎么换,
驾驶证年审在哪里,
出租车拒载怎么办,
养狗需要办证吗,
高考报名是什么时候,
城市道路积水严重,
我要投诉物业乱收费,
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_train_then_eval_round_trip(cli, tmp_path):
    cli("kb", "import", str(write(tmp_path, "kb.csv", ARTICLES)))
    labelled = write(tmp_path, "labelled.csv", LABELLED)
    refused = cli("kb", "autoanswer", "eval", "--csv", str(labelled), ok=False)
    assert "尚无自动答复的校准模型" in refused.stderr
    trained = cli.json("kb", "autoanswer", "train", "--csv", str(labelled), "--folds", "3")
    assert trained["version"] == 1 and trained["labelled"] == 19 and trained["logged"] == 0
    assert trained["samples"] == 18  # the complaint is never a training example
    assert 0 < trained["positives"] < 18
    stored = Path(trained["path"])
    assert stored == tmp_path / "autoanswer" / "calibrator-0001.json" and stored.exists()
    report = cli.json("kb", "autoanswer", "eval", "--csv", str(labelled))
    assert (report["questions"], report["answerable"], report["gated"]) == (19, 12, 1)
    assert report["calibrator_version"] == 1
    assert report["chosen"]["threshold"] == trained["threshold"]
    points = report["thresholds"]
    assert [p["threshold"] for p in points] == [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    answered = [p["answered"] for p in points]
    assert answered == sorted(answered, reverse=True)  # a higher threshold answers less
    assert all(p["right"] <= p["answered"] and p["coverage"] == p["answered"] / 19 for p in points)
    text = cli("kb", "autoanswer", "eval", "--csv", str(labelled)).stdout
    assert "准确率" in text and "覆盖率" in text and "（采用）" in text
    again = cli("kb", "autoanswer", "train", "--csv", str(labelled), "--folds", "3").stdout
    assert "校准模型第 2 版已保存" in again


def test_bad_files_are_refused_in_chinese(cli, tmp_path):
    cli("kb", "import", str(write(tmp_path, "kb.csv", ARTICLES)))
    cases = [
        ("no_column.csv", "question\n营业执照怎么办理\n", "缺少列「expected_source_id」"),
        ("fields.csv", "question,expected_source_id\n停电找谁,k03\n停水,k10,多余\n", "第 3 行"),
        ("gbk.csv", "question,expected_source_id\n停电找谁,k03\n", "不是 UTF-8 编码"),
        ("empty_question.csv", "question,expected_source_id\n,k03\n", "question 为空"),
    ]
    for name, text, words in cases:
        path = write(tmp_path, name, text, "gbk" if name.startswith("gbk") else "utf-8")
        result = cli("kb", "autoanswer", "train", "--csv", str(path), ok=False)
        assert result.exit_code == 10, (name, result.stderr)
        assert words in result.stderr, (name, result.stderr)
    missing = cli("kb", "autoanswer", "train", "--csv", str(tmp_path / "none.csv"), ok=False)
    assert "无法读取文件" in missing.stderr
    few = write(tmp_path, "few.csv", "question,expected_source_id\n停电找谁,k03\n")
    small = cli("kb", "autoanswer", "train", "--csv", str(few), ok=False)
    assert "训练数据不足" in small.stderr
    assert not (tmp_path / "autoanswer").exists() or not list((tmp_path / "autoanswer").iterdir())


def test_operators_may_not_train_or_evaluate(cli, tmp_path):
    labelled = write(tmp_path, "labelled.csv", LABELLED)
    for command in ("train", "eval"):
        result = cli("kb", "autoanswer", command, "--csv", str(labelled), user="op", ok=False)
        assert "无权" in result.stderr
