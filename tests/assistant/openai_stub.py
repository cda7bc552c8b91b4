"""A local OpenAI-compatible server for tests: chat completions (streamed or not) with tool calls."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# {"content": str}, {"tool_calls": [{"name":..., "arguments": {...}, "id": optional}]},
# {"status": 429} to fail, or {"hang": seconds} to wait before answering
Reply = dict[str, Any]


class StubState:
    def __init__(self, decide: Callable[[list[dict[str, Any]]], Reply]) -> None:
        self.decide = decide
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.replies: list[Reply] = []  # what was played back, in order


def _usage(body: dict[str, Any], reply: Reply) -> dict[str, int]:
    prompt = sum(len(str(m.get("content") or "")) for m in body.get("messages", [])) // 4 + 1
    completion = len(json.dumps(reply)) // 4 + 1
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _handler(state: StubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def handle(self) -> None:
            # the client may give up first (a timeout test): then there is no one to answer
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                super().handle()

        def _json(self, payload: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._json({"object": "list", "data": [{"id": "stub-model", "object": "model"}]})
            else:
                self._json({"error": {"message": "not found"}}, 404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(body)
            state.headers.append(dict(self.headers))
            reply = state.decide(body.get("messages", []))
            state.replies.append(reply)
            if reply.get("hang"):  # a server that does not answer in time
                time.sleep(float(reply["hang"]))
            if reply.get("status"):  # a failing server: 429, 500 ...
                self._json(
                    {"error": {"message": "stub failure", "type": "stub"}}, int(reply["status"])
                )
                return
            calls = [
                {
                    "id": c.get("id") or f"call_{i}",
                    "type": "function",
                    "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])},
                }
                for i, c in enumerate(reply.get("tool_calls", []))
            ]
            finish = "tool_calls" if calls else "stop"
            if not body.get("stream"):
                message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
                if calls:
                    message["tool_calls"] = calls
                self._json(
                    {
                        "id": "chatcmpl-stub",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "stub-model"),
                        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                        "usage": _usage(body, reply),
                    }
                )
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()

            def chunk(
                delta: dict[str, Any], finish_reason: str | None = None, usage: Any = None
            ) -> None:
                payload: dict[str, Any] = {
                    "id": "chatcmpl-stub",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": body.get("model", "stub-model"),
                    "choices": []
                    if usage
                    else [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
                }
                if usage:
                    payload["usage"] = usage
                self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
                self.wfile.flush()

            chunk({"role": "assistant", "content": ""})
            for word in re.findall(r"\S+\s*", reply.get("content") or ""):
                chunk({"content": word})
            for i, call in enumerate(calls):
                chunk({"tool_calls": [{"index": i, **call}]})
            chunk({}, finish)
            if (body.get("stream_options") or {}).get("include_usage"):
                chunk({}, usage=_usage(body, reply))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler


@contextmanager
def openai_stub(decide: Callable[[list[dict[str, Any]]], Reply]) -> Iterator[tuple[str, StubState]]:
    """Serve on 127.0.0.1 (a free port); yield the base URL (ending in /v1) and the state."""
    state = StubState(decide)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()
