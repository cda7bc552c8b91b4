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

# {"content": str}, {"tool_calls": [{"name":..., "arguments": {...} or a raw str, "id": optional}]},
# {"status": 429} to fail (with "retry_after": seconds for a Retry-After header), {"hang":
# seconds} to wait before answering, {"drip": seconds, "drips": n} to stream a space every
# `seconds` (n times, then the content), {"echo_key": True} to fail with the Authorization
# header in the error message.
Reply = dict[str, Any]

# Quirks of servers people run, switched on per stub:
# "tools_need_tool_choice": tools are ignored unless the request names a tool_choice (llama.cpp)
# "repeat_tool_name": a streamed tool call repeats its name in every chunk (llama.cpp)
# "reject_json_schema": response_format json_schema is refused with HTTP 400
# "max_tokens_only": `max_tokens` limits the reply, `max_completion_tokens` is ignored
QUIRKS = frozenset(
    {"tools_need_tool_choice", "repeat_tool_name", "reject_json_schema", "max_tokens_only"}
)


class StubState:
    def __init__(
        self, decide: Callable[[list[dict[str, Any]]], Reply], quirks: frozenset[str] = frozenset()
    ) -> None:
        assert quirks <= QUIRKS, quirks - QUIRKS
        self.decide = decide
        self.quirks = quirks
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
            quirks = state.quirks
            response_format = (body.get("response_format") or {}).get("type")
            if "reject_json_schema" in quirks and response_format == "json_schema":
                self._json(
                    {"error": {"message": "response_format json_schema is not supported"}}, 400
                )
                return
            reply = dict(state.decide(body.get("messages", [])))
            state.replies.append(reply)
            if (
                "tools_need_tool_choice" in quirks
                and body.get("tools")
                and not body.get("tool_choice")
            ):
                reply = {"content": "I have no tools to call."}  # what llama.cpp does
            if "max_tokens_only" in quirks and body.get("max_tokens") and reply.get("content"):
                words = str(reply["content"]).split(" ")
                reply["content"] = " ".join(words[: int(body["max_tokens"])])
            if reply.get("hang"):  # a server that does not answer in time
                time.sleep(float(reply["hang"]))
            if reply.get("echo_key"):  # a server that repeats the credentials it was sent
                auth = self.headers.get("Authorization", "")
                self._json({"error": {"message": f"invalid credentials: {auth}"}}, 401)
                return
            if reply.get("status"):  # a failing server: 429, 500 ...
                data = json.dumps({"error": {"message": "stub failure", "type": "stub"}}).encode()
                self.send_response(int(reply["status"]))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if reply.get("retry_after"):
                    self.send_header("Retry-After", str(reply["retry_after"]))
                self.end_headers()
                self.wfile.write(data)
                return
            calls = [
                {
                    "id": c.get("id") or f"call_{i}",
                    "type": "function",
                    "function": {
                        "name": c["name"],
                        # a str is sent as it is: a malformed call ("{not json")
                        "arguments": c["arguments"]
                        if isinstance(c["arguments"], str)
                        else json.dumps(c["arguments"]),
                    },
                }
                for i, c in enumerate(reply.get("tool_calls", []))
            ]
            finish = "tool_calls" if calls else "stop"
            if not body.get("stream") and reply.get("drip"):
                # a JSON body that starts with whitespace sent a byte at a time: no read times out
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(int(reply.get("drips", 60))):
                    time.sleep(float(reply["drip"]))
                    self.wfile.write(b" ")
                    self.wfile.flush()
                message = {"role": "assistant", "content": reply.get("content")}
                choice = {"index": 0, "message": message, "finish_reason": "stop"}
                self.wfile.write(
                    json.dumps(
                        {
                            "id": "chatcmpl-stub",
                            "object": "chat.completion",
                            "created": 0,
                            "model": body.get("model", "stub-model"),
                            "choices": [choice],
                            "usage": _usage(body, reply),
                        }
                    ).encode()
                )
                return
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
            for _ in range(int(reply.get("drips", 60)) if reply.get("drip") else 0):
                time.sleep(float(reply["drip"]))  # alive, but never done in time
                chunk({"content": " "})
            for word in re.findall(r"\S+\s*", reply.get("content") or ""):
                chunk({"content": word})
            for i, call in enumerate(calls):
                if "repeat_tool_name" not in quirks:
                    chunk({"tool_calls": [{"index": i, **call}]})
                    continue
                # llama.cpp: the arguments in pieces, each chunk carrying the name again
                arguments = call["function"]["arguments"]
                for k in range(0, len(arguments), 8):
                    function = {"name": call["function"]["name"], "arguments": arguments[k : k + 8]}
                    chunk(
                        {
                            "tool_calls": [
                                {
                                    "index": i,
                                    "id": call["id"],
                                    "type": "function",
                                    "function": function,
                                }
                            ]
                        }
                    )
            chunk({}, finish)
            if (body.get("stream_options") or {}).get("include_usage"):
                chunk({}, usage=_usage(body, reply))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler


@contextmanager
def openai_stub(
    decide: Callable[[list[dict[str, Any]]], Reply], quirks: frozenset[str] | set[str] = frozenset()
) -> Iterator[tuple[str, StubState]]:
    """Serve on 127.0.0.1 (a free port); yield the base URL (ending in /v1) and the state."""
    state = StubState(decide, frozenset(quirks))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()
