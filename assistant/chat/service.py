"""`Assistant`: one question in, one verified, cited Answer out — in LLM or offline mode."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from assistant.budget import Budget, Usage
from assistant.chat.coverage import ChatAnswer, read_coverage
from assistant.chat.events import Event, FigureAdded, PassageAdded
from assistant.chat.freshness import relative_period, stale_data
from assistant.chat.offline.composer import Composed, OfflineComposer
from assistant.chat.offline.router import Route, Router
from assistant.chat.offline.templates import SUGGESTIONS, text
from assistant.data.market import reference_session
from assistant.grounding.answer import Answer, footer
from assistant.grounding.attribution import check_attributions
from assistant.grounding.coverage import Coverage, banner
from assistant.grounding.guard import (
    MAX_QUESTION_CHARS,
    refusal_kind,
    sanitize_output,
    screen_question,
    unasked_orders,
)
from assistant.grounding.language import Lang, detect_language, text_language
from assistant.grounding.ledger import Ledger
from assistant.grounding.links import inert_links
from assistant.grounding.verifier import Finding, Verification, mark_unsupported, verify
from assistant.ports import ChatModel, Library, Market
from assistant.reading.people import people_index
from assistant.reading.shapes import Request
from assistant.settings import Settings
from assistant.store import ThreadStore
from assistant.toolbox import Toolbox
from knowledge.documents import Document
from tools.figure import Figure

_FUTURE_WORDS = (
    "will ",
    "forecast",
    "target",
    "expect",
    "outlook",
    "预计",
    "预测",
    "目标",
    "将会",
    "展望",
)


class Assistant:
    """Grounded, cited answers; the same tools under the agent and the offline composer."""

    def __init__(
        self,
        settings: Settings,
        *,
        market: Market,
        library: Library,
        threads: ThreadStore,
        chat_model: ChatModel | None = None,
        budget: Budget | None = None,
        people: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        self.settings = settings
        self.market = market
        self.library = library
        self.threads = threads
        self._chat_model = chat_model
        self.budget = budget or Budget(max_seconds=settings.answer_deadline_s)
        self._router: Router | None = None
        self._people = people  # the experts' index; read from the library when not given
        self._who: dict[str, str] | None = None  # each person's stance, read once
        self._index: dict[str, str] | None = None  # the people index, when none is given

    # ---- wiring ------------------------------------------------------------------------

    @property
    def router(self) -> Router:
        """The offline router; it knows the experts the stored documents cite."""
        if self._router is None:
            from assistant.chat.offline.intents import EmbeddingIntentClassifier

            if self._people is not None:
                people = self._people()
            else:
                people = people_index(s for doc in self.library.documents() for s in doc.sources)
            self._router = Router(EmbeddingIntentClassifier(), people)
        return self._router

    @property
    def mode(self) -> Literal["llm", "offline"]:
        return "llm" if self._chat_model is not None or self.settings.mode == "llm" else "offline"

    def _model(self) -> ChatModel:
        if self._chat_model is None:
            from assistant.chat.llm.models import build_chat_model

            self._chat_model = build_chat_model(self.settings)
        return self._chat_model

    def as_of(self, news: Document | None, symbols: list[str]) -> date:
        """The last session before the news date, or else the latest session with data."""
        return self.reference(news, symbols)[0]

    def reference(self, news: Document | None, symbols: list[str]) -> tuple[date, Figure | None]:
        """`as_of` with the quote it was read from: a stale one is the latest stored session."""
        return reference_session(self.market, news, symbols)

    # ---- public API --------------------------------------------------------------------

    def ask(
        self,
        question: str,
        thread_id: str | None = None,
        news_id: str | None = None,
        language: Literal["auto", "zh", "en"] = "auto",
    ) -> Answer:
        """Answer `question`; the answer is verified and saved in its thread."""
        answer: Answer | None = None
        for event in self.stream(question, thread_id=thread_id, news_id=news_id, language=language):
            if event["type"] == "final":
                answer = event["answer"]
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        thread_id: str | None = None,
        news_id: str | None = None,
        language: Literal["auto", "zh", "en"] = "auto",
    ) -> Iterator[Event]:
        """Answer `question` as events: text deltas, tool start/end, figures, passages,
        verification and finally the Answer."""
        screened = screen_question(question)
        lang: Lang = (
            language
            if language in ("zh", "en")
            else detect_language(screened.text or question[:2000], default=self._default_lang())
        )
        if screened.refused:
            body = text(screened.refused, lang, size=len(question), limit=MAX_QUESTION_CHARS)
            yield from self._finish_simple(body, lang, thread_id=None, question=None)
            return

        thread = self.threads.get(thread_id) if thread_id else None
        news = self._news(news_id or (thread.news_id if thread else None))
        if thread is None:
            thread = self.threads.create(screened.text[:80], news.id if news else news_id)
        previous = self.threads.last_context(thread.id)
        self.threads.append(thread.id, "user", screened.display or screened.text)

        kind = refusal_kind(screened.text)
        if kind is not None:
            yield from self._finish_simple(text(kind, lang), lang, thread.id, screened.text)
            return

        from tools.prices.budget import live_budget
        from tools.symbols import find_symbols

        named = find_symbols(screened.text)
        if len(named) > self.settings.max_symbols:
            body = text("too_many_symbols", lang, n=len(named), limit=self.settings.max_symbols)
            yield from self._finish_simple(body, lang, thread.id, screened.text)
            return
        # one allowance of live calls and one deadline for all of them, per answer
        with live_budget(self.settings.max_live_calls, self.settings.live_answer_deadline_s):
            if self.mode == "llm":
                yield from self._llm_or_offline(screened.text, lang, thread.id, news, previous)
            else:
                yield from self._offline_turn(screened.text, lang, thread.id, news, previous)

    def _llm_or_offline(
        self,
        question: str,
        lang: Lang,
        thread_id: str,
        news: Document | None,
        previous: dict[str, Any],
    ) -> Iterator[Event]:
        """The model's turn; when its server fails (429, 500, timeout, no connection), the
        offline composer answers instead and the answer says why."""
        from assistant.chat.llm.models import TurnStopped, model_failure

        try:
            yield from self._llm_turn(question, lang, thread_id, news, previous)
        except Exception as exc:
            reason = model_failure(exc, lang)
            if reason is None:
                raise
            yield {"type": "status", "text": f"model failed: {reason}"}
            notice = text("model_failed", lang, reason=reason)
            spent = exc.usage if isinstance(exc, TurnStopped) else Usage()
            yield from self._offline_turn(question, lang, thread_id, news, previous, notice, spent)

    # ---- helpers -----------------------------------------------------------------------

    def _default_lang(self) -> Lang:
        return "zh" if self.settings.language == "zh" else "en"

    def _news(self, news_id: str | None) -> Document | None:
        if not news_id:
            return None
        doc: Document | None = self.library.get(news_id)
        return doc

    def _finish_simple(
        self, body: str, lang: Lang, thread_id: str | None, question: str | None
    ) -> Iterator[Event]:
        ledger = Ledger()
        answer = ChatAnswer(
            text=body,
            ledger=ledger,
            verification=verify(body, ledger, trusted=[body]),  # our own fixed texts
            language=lang,
            mode=self.mode,
            suggestions=SUGGESTIONS["other"][lang],
            footer=footer(lang, None, None, False),
            thread_id=thread_id,
        )
        yield {"type": "text_delta", "text": body}
        yield {"type": "verification", "verification": answer.verification}
        if thread_id:
            self.threads.append(thread_id, "assistant", body, answer.to_json(), {})
        yield {"type": "final", "answer": answer}

    def _offline_turn(
        self,
        question: str,
        lang: Lang,
        thread_id: str,
        news: Document | None,
        previous: dict[str, Any],
        notice: str = "",
        spent: Usage | None = None,
    ) -> Iterator[Event]:
        from tools.symbols import find_symbols

        ledger = Ledger()
        symbols = find_symbols(question) or list(previous.get("symbols") or [])
        ref, quoted = self.reference(news, symbols or (news.tickers[:1] if news else []))
        route = self.router.route(
            question,
            lang,
            ref,
            previous,
            today=self.market.today(),
            news_date=news.published if news is not None else None,
        )
        if not route.symbols and news is not None and route.intent not in ("sectors", "compound"):
            period = route.request.period if route.request is not None else None
            since = period is not None and period.kind == "since_publication"
            # "what happened next?" covers every ticker of the item; other questions its first
            route.symbols = list(news.tickers[: 4 if since else 1])
        yield {"type": "tool_start", "name": f"offline:{route.intent}", "args": route.context()}
        box = Toolbox(self.market, self.library, news, self.settings.convention)
        composed = OfflineComposer(box).compose(route, question, ledger, ref, news)
        yield {"type": "tool_end", "name": f"offline:{route.intent}", "ok": True}
        for citation in ledger.entries:
            if citation.figure is not None:
                yield FigureAdded(type="figure", n=citation.n, figure=citation.figure)
            elif citation.passage is not None:
                yield PassageAdded(type="passage", n=citation.n, passage=citation.passage)
        body = self._with_notes(composed, lang, news, ref, ledger)
        stale = stale_data(quoted, ledger.figures, lang, relative=relative_period(route.request))
        if stale:  # stored data stood in for live data: said first, with their date
            body = f"{stale.notice}\n\n{body}"
        if notice:
            body = f"{notice}\n\n{body}"
        own = [composed.text, notice] if composed.system else [notice]
        own += [stale.notice] if stale else []
        verification = self._checked(body, ledger, question, ref, trusted=own)
        if not verification.ok:
            body = mark_unsupported(body, verification, lang)
        # a fixed message (missing data, a declined forecast, help) says itself what it cannot
        # answer: no coverage badge and no banner over it
        coverage = (
            None
            if composed.system
            else read_coverage(_read_request(question, ref, news), ledger, verification)
        )
        yield {"type": "text_delta", "text": body}
        yield {"type": "verification", "verification": verification}
        yield {"type": "coverage", "coverage": coverage, "banner": banner(coverage, lang)}
        answer = self._answer(
            body,
            ledger,
            verification,
            lang,
            "offline",
            composed,
            spent or Usage(),
            thread_id,
            route,
            coverage,
        )
        answer.stale = stale
        answer.suggestions = self._moving_on(answer.suggestions, question, route, ref)
        self.threads.append(thread_id, "assistant", answer.text, answer.to_json(), answer.context)
        yield {"type": "final", "answer": answer}

    def _moving_on(
        self, suggestions: list[str], question: str, route: Route, ref: date, limit: int = 3
    ) -> list[str]:
        """Suggestions that move the conversation on: none that asks again what was just
        answered (the same words, or the same intent about the same symbols), refilled from
        the other groups' suggestions."""
        lang = route.language
        pool = [*suggestions, *(s for group in SUGGESTIONS.values() for s in group[lang])]
        asked = _normal(question)
        kept: list[str] = []
        for candidate in dict.fromkeys(pool):
            if _normal(candidate) == asked:
                continue
            again = self.router.route(candidate, lang, ref, route.context())
            if again.intent == route.intent and set(again.symbols) <= set(route.symbols):
                continue
            kept.append(candidate)
            if len(kept) == limit:
                break
        return kept

    def _with_notes(
        self, composed: Composed, lang: Lang, news: Document | None, ref: date, ledger: Ledger
    ) -> str:
        body = composed.text
        if (
            news is not None
            and news.published
            and any(f.end and f.end >= news.published for f in ledger.figures)
        ):
            body += "\n" + text("after_news", lang, news=news.published.isoformat())
        return sanitize_output(body)

    def _answer(
        self,
        body: str,
        ledger: Ledger,
        verification: Verification,
        lang: Lang,
        mode: Literal["llm", "offline"],
        composed: Composed | None,
        usage: Usage,
        thread_id: str,
        route: Route | None,
        coverage: Coverage | None = None,
    ) -> ChatAnswer:
        figures = ledger.figures
        as_of = max((f.as_of for f in figures if f.as_of), default=None)
        provider = figures[0].provider if figures else None
        hypothetical = bool(composed and composed.hypothetical) or any(
            w in body.lower() for w in _FUTURE_WORDS
        )
        return ChatAnswer(
            text=body,
            ledger=ledger,
            verification=verification,
            language=lang,
            mode=mode,
            coverage=coverage,
            banner=banner(coverage, lang),
            as_of=as_of,
            usage=usage,
            suggestions=(composed.suggestions if composed else []) or SUGGESTIONS["other"][lang],
            footer=footer(lang, provider, as_of, hypothetical),
            thread_id=thread_id,
            context=route.context() if route else {},
        )

    def _checked(
        self,
        body: str,
        ledger: Ledger,
        question: str,
        ref: date,
        trusted: Sequence[str] = (),
    ) -> Verification:
        """The answer's verification: its numbers, then who it says said what (attribution)
        and the addresses it shows as text rather than links, each a finding like a number's."""
        verification = _verify(body, ledger, question, ref, trusted)
        names = self._names()
        lowered = body.lower()
        if any(key in lowered for key in names):  # someone is named: read who is on which side
            stances = self._stances()
            for found in check_attributions(body, ledger, stances, names, trusted=trusted):
                verification.findings.append(
                    Finding("attribution", found.text, found.detail, found.start, found.end)
                )
        for start, end, url in inert_links(body):
            verification.findings.append(
                Finding("stray_link", url, "not one of the sources: shown as text", start, end)
            )
        return verification

    def _names(self) -> Mapping[str, str]:
        """The documents' people: names, surnames and firms in both languages -> the person
        (the kept index when there is one, so a market answer opens no knowledge store)."""
        if self._people is not None:
            return self._people()
        if self._index is None:
            self._index = people_index(s for doc in self.library.documents() for s in doc.sources)
        return self._index

    def _stances(self) -> dict[str, str]:
        """The stance each person's view takes in the documents, read once."""
        if self._who is None:
            self._who = {
                v.person: v.stance
                for doc in self.library.documents()
                for v in doc.views
                if v.person
            }
        return self._who

    def _llm_turn(
        self,
        question: str,
        lang: Lang,
        thread_id: str,
        news: Document | None,
        previous: dict[str, Any],
    ) -> Iterator[Event]:
        from assistant.chat.llm.deadline import Deadline, StopOnCancel, iterate_until
        from assistant.chat.llm.models import TurnStopped, model_failure

        # One deadline for the whole answer, retry included. Everything that may wait on the
        # server or on a first import (the client, the agent) runs inside it, in a worker.
        deadline = Deadline(self.budget.max_seconds)
        started = time.monotonic()
        ledger = Ledger()
        from tools.symbols import find_symbols

        ref, quoted = self.reference(news, find_symbols(question))
        router_view = self.router.route(question, lang, ref, previous)
        toolbox = Toolbox(self.market, self.library, news, self.settings.convention)
        context = (
            f"the news item '{news.title}' ({news.published}); use data up to {ref} unless the user asks for later data"
            if news
            else "a general question, not bound to a news item"
        )
        turns = [(m.role, m.content) for m in self.threads.messages(thread_id)][:-1]
        parts: dict[str, Any] = {}

        def turn_parts() -> dict[str, Any]:
            if not parts:
                from langchain_core.messages import HumanMessage

                from assistant.chat.llm.agent import TurnTools, TurnUsage, build_agent
                from assistant.chat.llm.agent import history_messages as history

                box = TurnTools(toolbox, ledger, lang)
                counter = TurnUsage(model=self.settings.model_name)
                model = self._model()
                parts["agent"] = build_agent(
                    model, box, self.budget, counter, started, context, ref
                )
                parts.update(box=box, counter=counter, human=HumanMessage)
                parts["messages"] = [*history(turns), HumanMessage(question)]
            return parts

        def within_deadline(msgs: list[Any] | None) -> Iterator[dict[str, Any]]:
            # the deadline holds while a reply streams, not only between model calls
            def produce(cancel: Any) -> Iterator[dict[str, Any]]:
                from assistant.chat.llm.agent import stream_agent

                p = turn_parts()
                yield from stream_agent(
                    p["agent"],
                    p["messages"] if msgs is None else msgs,
                    p["counter"],
                    callbacks=[StopOnCancel(cancel)],
                )

            return iterate_until(produce, deadline)

        run = None
        seen = 0
        writing = False
        events: list[Any] = []
        try:
            for event in within_deadline(None):
                events = parts["box"].events
                for extra in events[seen:]:
                    yield extra
                seen = len(events)
                if event["type"] == "run":
                    run = event["run"]
                elif event["type"] == "text_delta" and not writing:
                    # The model's words are held back until they are sanitised and verified:
                    # a raw delta could carry an outside image or an unchecked number to the screen.
                    writing = True
                    yield {"type": "status", "text": "writing"}
            assert run is not None
            body = sanitize_output(run.text, _source_urls(ledger))
            verification = self._checked(body, ledger, question, ref)
            foreign = _other_language(body, lang)
            if not verification.ok or foreign:
                # one rewrite, asked for every reason at once: the numbers, the language
                from assistant.chat.llm.prompts import REGENERATE, REWRITE_LANGUAGE

                first = (run, body, verification)
                asks = (
                    [] if verification.ok else [REGENERATE.format(findings=verification.summary())]
                )
                if foreign:
                    asks.append(REWRITE_LANGUAGE[lang])
                retry = [*run.messages, parts["human"]("\n\n".join(asks))]
                for event in within_deadline(retry):
                    if event["type"] == "run":
                        run = event["run"]
                body = sanitize_output(run.text, _source_urls(ledger))
                verification = self._checked(body, ledger, question, ref)
                if not body.strip() or (_other_language(body, lang) and not foreign):
                    # nothing written again, or a rewrite that left the asker's language:
                    # the first answer stands
                    run, body, verification = first
        except Exception as exc:
            # a limit (deadline, tokens, calls) or the server: the reason in the asker's
            # language, with what the turn cost so far
            why = model_failure(exc, lang)
            if why is None:
                raise
            spent = parts["counter"].usage if parts.get("counter") else None
            raise TurnStopped(why, spent) from exc
        counter = parts["counter"]
        for extra in parts["box"].events[seen:]:
            yield extra
        from assistant.chat.llm.models import estimate_cost

        if orders := unasked_orders(run.text, question):
            raise TurnStopped(_withheld(orders, lang), counter.usage)
        foreign = _other_language(body, lang)
        stale = stale_data(
            quoted, ledger.figures, lang, relative=relative_period(router_view.request)
        )
        if stale:  # said first, whatever the model wrote about it
            body = f"{stale.notice}\n\n{body}"
            verification = self._checked(body, ledger, question, ref, trusted=[stale.notice])
        if not verification.ok:
            body = mark_unsupported(body, verification, lang)
        if foreign:
            # asked once to rewrite in the asker's language and did not: shown, with a notice
            # in the asker's language (the numbers are checked in either language)
            body = f"{text('wrong_language', lang)}\n\n{body}"
        coverage = read_coverage(_read_request(question, ref, news), ledger, verification)

        usage = counter.usage
        usage.cost_usd = estimate_cost(
            self.settings.model_name, usage.input_tokens, usage.output_tokens
        )
        yield {"type": "text_delta", "text": body}
        yield {"type": "verification", "verification": verification}
        yield {"type": "coverage", "coverage": coverage, "banner": banner(coverage, lang)}
        answer = self._answer(
            body, ledger, verification, lang, "llm", None, usage, thread_id, router_view, coverage
        )
        answer.stale = stale
        self.threads.append(thread_id, "assistant", answer.text, answer.to_json(), answer.context)
        yield {"type": "final", "answer": answer}


def _verify(
    body: str, ledger: Ledger, question: str, ref: date, trusted: Sequence[str] = ()
) -> Verification:
    """Verify an answer claim by claim: the question's numbers are premises, not support; our
    own fixed texts are trusted."""
    from assistant.reading import read_claims

    return verify(
        body,
        ledger,
        given=[question],
        trusted=trusted,
        reader=read_claims,
        ref=max((f.as_of for f in ledger.figures if f.as_of), default=ref),
    )


def _other_language(body: str, lang: Lang) -> bool:
    """Whether a model's answer is written in the language the question was not."""
    return bool(body.strip()) and text_language(body, default=lang) != lang


def _read_request(question: str, ref: date, news: Document | None) -> Request | None:
    """The reader's view of the question, for coverage; None when it cannot place it."""
    from assistant.reading import read_request

    try:
        return read_request(question, ref, news_date=news.published if news else None)
    except (ValueError, OverflowError):
        return None


def _source_urls(ledger: Ledger) -> list[str]:
    """The links the answer's passages cite: the only ones it may carry."""
    return [p.source.url for p in ledger.passages if p.source is not None and p.source.url]


def _withheld(orders: Sequence[str], lang: Lang) -> str:
    """Why a model's answer was held back, in the asker's language."""
    from assistant.chat.llm.notices import reason

    joiner = "、" if lang == "zh" else ", "
    what = joiner.join(reason(o, lang) for o in orders)
    return reason("withheld", lang, what=what)


def _normal(text: str) -> str:
    """A question without case, spaces or punctuation, to tell a repeat."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())
