"""Article bodies: links made inert for every renderer, front matter read without evaluation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from hotline_tui.domain.errors import ValidationError
from hotline_tui.domain.kb_markdown import inert_markdown, parse_front_matter

# The strictest renderer: CommonMark with raw HTML and linkify (bare addresses become links).
RENDERER = MarkdownIt("commonmark", {"html": True, "linkify": True}).enable("linkify")
ACTIVE = {"link_open", "image", "html_inline", "html_block"}


def active(markdown: str) -> list[str]:
    found: list[str] = []

    def walk(tokens):
        for token in tokens:
            if token.type in ACTIVE:
                found.append(token.type)
            if token.children:
                walk(token.children)

    walk(RENDERER.parse(markdown))
    return found


@pytest.mark.parametrize(
    "body",
    [
        '见[办事指南](https://gov.example/a "说明")',
        "![流程图](http://img.example/x.png)",
        "<https://evil.example>",
        '<a href="javascript:alert(1)">点我</a>',
        "访问 www.qc.example 或 http://a.example/b?c=1 或发邮件到 a@b.example",
        "[参考][1]\n\n[1]: http://ref.example",
        "[a [b](http://c.example)](http://d.example)",
        "[x](http://a.example/(b))",
        "<div>\n块\n</div>",
    ],
)
def test_links_images_addresses_and_html_become_plain_text(body):
    assert active(body), body  # each sample is active as written
    assert active(inert_markdown(body)) == []


def test_inert_keeps_the_words_and_shows_the_address():
    out = inert_markdown("详见[办事指南](https://gov.example/a)。")
    assert out == "详见办事指南（`https://gov.example/a`）。"
    assert inert_markdown("```\n[x](http://y)\n```") == "```\n[x](http://y)\n```"
    assert inert_markdown("代码 `http://x` 不变") == "代码 `http://x` 不变"


@given(st.text(alphabet=st.sampled_from(list("[]()<>!`:/.@ahtpwx:\n \"'\\*_#")), max_size=60))
def test_nothing_written_in_markdown_ever_renders_active(body):
    assert active(inert_markdown(body)) == []


def test_front_matter():
    fields, body, lines = parse_front_matter(
        '---\nid: a-1\ntitle: "营业执照"\ntags: [执照, 遗失]\nsynonyms:\n  - 丢了执照\n'
        "owner: 某局 # 备注\n---\n正文第一行\n"
    )
    assert fields["id"] == "a-1" and fields["title"] == "营业执照"
    assert fields["tags"] == ["执照", "遗失"] and fields["synonyms"] == ["丢了执照"]
    assert body == "正文第一行\n" and lines["title"] == 3
    assert parse_front_matter("没有文件头") == ({}, "没有文件头", {})


def test_bad_front_matter_names_its_line():
    with pytest.raises(ValidationError) as caught:
        parse_front_matter("---\ntitle: x\n不是键值\n---\n")
    assert caught.value.params["line"] == 3
    with pytest.raises(ValidationError):
        parse_front_matter("---\ntitle: x\n")  # never closed
