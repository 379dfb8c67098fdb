"""A local HTTP server that speaks enough of the Messages API for the real SDK: POST /v1/messages answered from a
script, every request kept for the test to inspect.

Each scripted `Reply` is used once, in order; a request with no reply left gets a 500 that names the problem, so a
test that sends more requests than it scripted fails loudly (with retries off in the fixture, it fails fast).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # never answer (until the server stops): for timeouts
    hold_s: float = 0.0  # answer after this long: to see requests in flight at once


@dataclass
class Seen:
    """One request the server received."""

    headers: dict[str, str]
    body: dict[str, Any]


def tool_answer(figures: list[dict] | None = None, *, tool_input: dict | None = None, stop_reason: str = "tool_use",
                input_tokens: int = 1500, output_tokens: int = 300, cache_read: int = 0, cache_write: int = 0,
                name: str = "record_figures") -> Reply:
    """A model that calls the tool with ``{"figures": figures}`` (or any ``tool_input``)."""
    call = {"type": "tool_use", "id": "toolu_01", "name": name,
            "input": tool_input if tool_input is not None else {"figures": figures or []}}
    return _message([call], stop_reason, input_tokens, output_tokens, cache_read, cache_write)


def text_answer(text: str, stop_reason: str = "end_turn") -> Reply:
    """A model that answers in prose instead of calling the tool."""
    return _message([{"type": "text", "text": text}], stop_reason, 1500, 40, 0, 0)


def error(status: int, kind: str, message: str, **headers: str) -> Reply:
    return Reply(status=status, body={"type": "error", "error": {"type": kind, "message": message}}, headers=headers)


def _message(content: list[dict], stop_reason: str, input_tokens: int, output_tokens: int, cache_read: int,
             cache_write: int) -> Reply:
    return Reply(body={"id": "msg_01", "type": "message", "role": "assistant", "model": "scripted",
                       "content": content, "stop_reason": stop_reason, "stop_sequence": None,
                       "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens,
                                 "cache_read_input_tokens": cache_read, "cache_creation_input_tokens": cache_write}})


class MessagesServer:
    """Start with `start()`, script answers with `script(...)`, read `requests`, stop with `stop()`."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.max_in_flight = 0
        self._replies: list[Reply] = []
        self._in_flight = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> MessagesServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases hung handlers
        self._http.shutdown()
        self._http.server_close()

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def _next(self, seen: Seen) -> Reply:
        with self._lock:
            self.requests.append(seen)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            if self._replies:
                return self._replies.pop(0)
        return error(500, "api_error", "the test scripted no answer for this request", **{"x-should-retry": "false"})

    def _done(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", 0))
                seen = Seen(headers={k.lower(): v for k, v in self.headers.items()},
                            body=json.loads(self.rfile.read(length) or b"{}"))
                reply = server._next(seen) if self.path.startswith("/v1/messages") else error(404, "not_found", "")
                try:
                    if reply.hang:
                        server._stopping.wait(60)
                        return
                    if reply.hold_s:
                        server._stopping.wait(reply.hold_s)
                    payload = json.dumps(reply.body).encode()
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout): nothing to answer
                finally:
                    server._done()

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
