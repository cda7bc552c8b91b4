"""Ask a chat model to propose claims in a typed schema; anchor each to a number in the text."""

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
    text: str, model: BaseChatModel, published: dt.date | None = None
) -> list[Claim]:
    """Return the model's proposals that anchor to a number of the text, as claims."""
    text = normalize(text)
    structured = model.with_structured_output(ClaimProposals)
    prompt = PROPOSE_CLAIMS.format(published=published or "an unknown day")
    reply = cast(ClaimProposals, structured.invoke([SystemMessage(prompt), HumanMessage(text)]))
    by_span = {c.span: c for c in extract_claims(text, published)}
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


def _claim(proposal: ProposedClaim, anchor: Claim) -> Claim:
    value = abs(anchor.claimed)
    sign_known = anchor.sign_known
    if proposal.metric in _SIGNED and proposal.direction:
        value = -value if proposal.direction == "down" else value
        sign_known = True
    elif proposal.metric in _SIGNED:
        value = anchor.claimed
    return anchor.model_copy(
        update={
            "symbol": proposal.symbol,
            "metric": proposal.metric,
            "claimed": value,
            "sign_known": sign_known,
            "start": proposal.start,
            "end": proposal.end,
            "date": proposal.date,
            "convention": proposal.convention,
            "sessions": proposal.sessions,
            "proposed_by": "model",
            "reason": "proposed by the chat model" if proposal.metric == "other" else "",
        }
    )


def merge(ruled: list[Claim], proposed: list[Claim]) -> list[Claim]:
    """Return the rules' claims with the model's proposal in place wherever it made one."""
    by_span = {c.span: c for c in proposed}
    return [by_span.get(c.span, c) for c in ruled]
