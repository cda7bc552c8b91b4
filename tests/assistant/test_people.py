"""The experts a question can name come from the documents' sources, not from code."""

from __future__ import annotations

import datetime as dt

from assistant.chat.offline.router import Router
from assistant.reading.people import named_person, people_index
from knowledge.documents import SourceEntry

REF = dt.date(2026, 1, 23)
SOURCES = [
    SourceEntry(
        n=1, publisher="Northwind Capital", person="Ada Quill, chief strategist, Northwind"
    ),
    SourceEntry(
        n=2,
        publisher="Harbor Research（海港研究所）",
        person="Lin Wei（林蔚），海港研究所首席经济学家",
    ),
    SourceEntry(n=3, publisher="Yahoo Finance (third-party snapshot)"),
    SourceEntry(n=4, publisher="Some Weekly", person="Tom Reed, editor, Market Almanac Weekly"),
]


def test_names_surnames_firms_and_chinese_names_point_at_the_person() -> None:
    index = people_index(SOURCES)
    assert named_person("What does Quill expect?", index) == "Ada Quill"
    assert named_person("northwind's view on rates", index) == "Ada Quill"
    assert named_person("林蔚怎么看？", index) == "Lin Wei"
    assert named_person("海港对利率怎么看？", index) == "Lin Wei"
    assert named_person("Lin Wei on inflation", index) == "Lin Wei"


def test_titles_and_data_vendors_are_not_names() -> None:
    index = people_index(SOURCES)
    assert named_person("Which stocks lead the market?", index) is None
    assert named_person("What does Yahoo show?", index) is None
    assert "market" not in index and "yahoo" not in index


def test_the_router_asks_the_sources_for_experts() -> None:
    router = Router(people=people_index(SOURCES))
    route = router.route("What did Ada Quill say about small caps?", "en", REF)
    assert route.intent == "experts" and route.person == "Ada Quill"
    assert Router().route("What did Ada Quill say?", "en", REF).person is None
