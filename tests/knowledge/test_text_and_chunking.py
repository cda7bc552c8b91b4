"""Normalisation, boilerplate, sentences and chunks for Chinese, English and mixed text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from knowledge.chunking import MAX_CHARS, chunk_document, split_text
from knowledge.documents import Document, Section, SourceEntry
from knowledge.text import (
    citations,
    clean,
    detect_language,
    fold,
    has_cjk,
    normalise,
    sentences,
    strip_citations,
)


def test_normalise_removes_invisible_and_control_characters() -> None:
    hidden = "Buy\u200b now\u202e\u2066 ok\U000e0049\U000e0067\ufeff\x07"
    assert normalise(hidden) == "Buy now ok"


def test_normalise_applies_nfkc() -> None:
    assert normalise("ＡＢＣ１２３％") == "ABC123%"


def test_chinese_punctuation_stays_full_width_while_digits_fold() -> None:
    assert normalise("小盘股领涨：罗素２０００（^RUT）涨１．８２％，创新高？") == (
        "小盘股领涨：罗素2000（^RUT）涨1.82%，创新高？"
    )
    # ASCII punctuation typed inside Chinese takes the full-width form; English keeps its own
    assert normalise("标普500(^GSPC)持平;道指走低!") == "标普500（^GSPC）持平；道指走低！"
    english = "Russell 2000 (RUT) rose 1.8%; the S&P 500 (SPX) fell, 2,669.16!"
    assert normalise(english) == english
    assert normalise("你好!!!什么?!") == "你好！！！什么？！"  # runs of marks fold together
    # link targets, URLs and code spans stay as written
    for verbatim in (
        "见[报告](https://example.com/a_(b))。来源(https://example.com/页面)",
        "[百科](https://baike.example/item/纳斯达克?x=1)。",
        "见 https://x.example/标普500指数?from=a:b 详情",
        "[词](https://w.example/wiki/道琼斯_(指数))。",
        "代码 `print('你好!')` 好",
    ):
        assert normalise(verbatim) == verbatim


@given(st.text(alphabet=st.sampled_from("罗素涨，。：；！？（）(),:;!?％５a1 .%[]")))
def test_fold_keeps_nfkc_offsets(text: str) -> None:
    """Spans found in the folded text index the NFKC text the number parser reads."""
    import unicodedata

    folded = fold(text)
    nfkc = unicodedata.normalize("NFKC", text)
    assert len(folded) == len(nfkc)
    assert unicodedata.normalize("NFKC", folded) == nfkc


def test_hashtag_lines_and_site_chrome_are_dropped_but_headings_kept() -> None:
    text = "#small_caps #russell_2000 #fed\n# A heading\n解锁更多功能\n登录后即可使用AI智能分析\nReal content.\nSign in\n"
    assert clean(text) == "# A heading\nReal content."


def test_english_sentences_keep_abbreviations_decimals_and_citations() -> None:
    text = "The index rose 7.53% by Jan. 23 [1]. J.P. Morgan expects a hold.[6] The U.S. economy grew; it was fine."
    assert sentences(text) == [
        "The index rose 7.53% by Jan. 23 [1].",
        "J.P. Morgan expects a hold.[6]",
        "The U.S. economy grew; it was fine.",
    ]


def test_chinese_sentences_split_on_full_width_ends_even_after_nfkc() -> None:
    text = normalise("指数上涨7.53%[1]。道指上涨3.19%；标普上涨1.52%！真的吗？是的")
    assert sentences(text) == [
        "指数上涨7.53%[1]。",
        "道指上涨3.19%；",
        "标普上涨1.52%！",
        "真的吗？",
        "是的",
    ]


def test_language_detection() -> None:
    assert detect_language("小盘股 Russell 2000 上涨") == "zh"
    assert detect_language("Russell 2000 rally 小") == "en"
    assert has_cjk("a 字") and not has_cjk("abc")


def test_citations_in_order_without_repeats() -> None:
    assert citations("a [2] b [1][2] c [10]") == [2, 1, 10]
    # several sources in one bracket, in either script; a bracketed year is not a citation
    assert citations("a [3, 5] b [5，7] c [8、2] in [2026]") == [3, 5, 7, 8, 2]


def test_markers_are_stripped_and_grouped_markers_stay_with_their_sentence() -> None:
    assert strip_citations("It rose 7% [1, 2]. 上涨[3，4]。") == "It rose 7%. 上涨。"
    assert sentences("It rose 7.53% [1, 2]. It fell.[3，4] 罗素上涨[5、6]。好") == [
        "It rose 7.53% [1, 2].",
        "It fell.[3，4]",
        "罗素上涨[5、6]。",
        "好",
    ]


def test_chinese_chunks_respect_budget_and_end_on_sentences() -> None:
    text = "小盘股盈利增速首次超过大盘股。" * 40
    chunks = split_text(text, "zh")
    assert len(chunks) > 1
    assert all(len(c) <= MAX_CHARS["zh"] for c in chunks)
    assert all(c.endswith("。") for c in chunks)
    assert "".join(chunks) == text


def test_english_chunks_respect_budget_and_keep_every_word() -> None:
    text = " ".join(f"Sentence number {i} is about small caps." for i in range(60))
    chunks = split_text(text, "en")
    assert all(len(c) <= MAX_CHARS["en"] for c in chunks)
    assert " ".join(chunks) == text


def test_mixed_text_keeps_latin_spacing_inside_chinese_chunks() -> None:
    chunks = split_text("摩根大通(J.P. Morgan)预计利率不变。Russell 2000 上涨。", "zh")
    assert chunks == ["摩根大通(J.P. Morgan)预计利率不变。Russell 2000 上涨。"]


def test_overlong_sentence_is_split_hard() -> None:
    chunks = split_text("word " * 300, "en")
    assert all(len(c) <= MAX_CHARS["en"] for c in chunks)


def test_chunks_carry_section_position_language_and_cited_sources() -> None:
    doc = Document(
        id="d1",
        title="T",
        language="zh",
        sections=[
            Section(heading="风险", text="第一句[1]。第二句[2][3]。"),
            Section(heading="机会", text="第三句。"),
        ],
        sources=[SourceEntry(n=1, publisher="P1"), SourceEntry(n=2, publisher="P2")],
    )
    chunks = chunk_document(doc, "gen1")
    text_chunks = [c for c in chunks if c.kind == "chunk"]
    assert [(c.section, c.position, c.language) for c in text_chunks] == [
        ("风险", 0, "zh"),
        ("机会", 1, "zh"),
    ]
    assert text_chunks[0].cited == [1, 2, 3]
    sources = [c for c in chunks if c.kind == "source"]
    assert [c.chunk_id for c in sources] == ["d1#gen1:s1", "d1#gen1:s2"]
    assert all(c.chunk_id.startswith("d1#gen1:") for c in chunks)
