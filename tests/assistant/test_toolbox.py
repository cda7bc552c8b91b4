"""The tool list is written once: the agent binds exactly `TOOLS`, and research plans name only
tools that exist."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.chat.llm.agent import TurnTools
from assistant.grounding.ledger import Ledger
from assistant.research.planner import template_sections
from assistant.testing import ScriptedChatModel
from assistant.toolbox import TOOL_NAMES, TOOLS, Toolbox


def test_the_agent_binds_exactly_the_toolbox_list() -> None:
    box = Toolbox(None, None)  # type: ignore[arg-type]  # binding needs no data
    bound = ScriptedChatModel().bind_tools(TurnTools(box, Ledger(), "en").tools()).bound_tools
    assert [t["function"]["name"] for t in bound] == [spec.name for spec in TOOLS]
    assert len(TOOL_NAMES) == len(TOOLS)


@pytest.mark.parametrize("template", ["market_move", "sector_rotation", "single_stock", "macro"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_research_plans_name_only_real_tools(template: str, lang: str) -> None:
    sections = template_sections(
        template,  # type: ignore[arg-type]
        lang,  # type: ignore[arg-type]
        ["^RUT", "^GSPC"],
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 23),
    )
    named = {tool for section in sections for tool in section.tools}
    assert named and named <= TOOL_NAMES, named - TOOL_NAMES
