"""Ask a chat model to propose claims in a typed schema; anchor each to a number in the text.

The model may read what the rules could not (a window, a convention), but the sentence has the
last word: where the model's symbol, direction or metric contradicts what the text itself says,
the text's reading is kept and the proposal is recorded as `model_disagreed`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from langchain_core.messages import HumanMessage, SystemMessage

from assistant.factcheck.claims import Claim
from assistant.factcheck.extract import extract_claims
from assistant.factcheck.prompts import PROPOSE_CLAIMS
from assistant.factcheck.schemas import ClaimProposals, ProposedClaim
from assistant.grounding.numbers import normalize

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

_SIGNED = {"return", "change_points", "day_change", "sma_distance", "high_distance", "low_distance"}


def propose_claims(
    text: str,
    model: BaseChatModel,
    published: dt.date | None = None,
    ruled: list[Claim] | None = None,
) -> list[Claim]:
    """Return the model's proposals that anchor to a number of the text, as claims.

    `ruled` is the rules' reading of the same text (read here when not given).
    """
    text = normalize(text)
    structured = model.with_structured_output(ClaimProposals)
    prompt = PROPOSE_CLAIMS.format(published=published or "an unknown day")
    reply = cast(ClaimProposals, structured.invoke([SystemMessage(prompt), HumanMessage(text)]))
    by_span = {c.span: c for c in (ruled or extract_claims(text, published))}
    claims = []
    for proposal in reply.claims:
        anchor = _anchor(text, proposal, list(by_span.values()))
        if anchor is not None:
            claims.append(_claim(proposal, anchor))
    return claims


def _anchor(text: str, proposal: ProposedClaim, ruled: list[Claim]) -> Claim | None:
    """Return the rules' claim for the number the proposal names (the model cannot invent one)."""
    at = text.find(normalize(proposal.sentence).strip())
    number = normalize(proposal.number).strip()
    for claim in ruled:
        in_sentence = at < 0 or at <= claim.span[0] < at + len(proposal.sentence)
        if in_sentence and (claim.raw == number or claim.raw.startswith(number)):
            return claim
    return None


def _disagreements(proposal: ProposedClaim, text: Claim) -> dict[str, str]:
    """Return what the model said that the sentence itself contradicts (the text wins)."""
    found: dict[str, str] = {}
    if text.metric == "other" and proposal.metric != "other" and _said_not_market(text):
        found["metric"] = proposal.metric  # a forecast, rate or valuation stays one
    if text.metric != "other" and proposal.metric not in (text.metric, "other"):
        found["metric"] = proposal.metric
    named = text.symbol is not None and "symbol" not in text.from_context
    if named and proposal.symbol and proposal.symbol != text.symbol:
        found["symbol"] = proposal.symbol
    if proposal.direction and text.metric in _SIGNED and text.sign_known and text.claimed:
        said = "down" if text.claimed < 0 else "up"
        if proposal.direction != said:
            found["direction"] = proposal.direction
    return found


def _said_not_market(claim: Claim) -> bool:
    """Tell whether the text itself says a number is no market figure (a forecast, a rate)."""
    return claim.reason.startswith(("not a market-data figure", "a forecast"))


def _claim(proposal: ProposedClaim, anchor: Claim) -> Claim:
    disagreed = _disagreements(proposal, anchor)
    if disagreed:
        return anchor.model_copy(update={"model_disagreed": disagreed})
    value = abs(anchor.claimed)
    sign_known = anchor.sign_known
    if proposal.metric in _SIGNED and proposal.direction:
        value = -value if proposal.direction == "down" else value
        sign_known = True
    elif proposal.metric in _SIGNED:
        value = anchor.claimed
    return anchor.model_copy(
        update={
            "symbol": proposal.symbol or anchor.symbol,
            "metric": proposal.metric,
            "claimed": value,
            "sign_known": sign_known,
            "start": proposal.start or anchor.start,
            "end": proposal.end or anchor.end,
            "date": proposal.date or anchor.date,
            "convention": proposal.convention or anchor.convention,
            "sessions": proposal.sessions or anchor.sessions,
            "proposed_by": "model",
            "reason": "proposed by the chat model" if proposal.metric == "other" else "",
        }
    )


def merge(ruled: list[Claim], proposed: list[Claim]) -> list[Claim]:
    """Return the rules' claims with the model's proposal in place wherever it made one."""
    by_span = {c.span: c for c in proposed}
    return [by_span.get(c.span, c) for c in ruled]
