"""A local OpenAI-style streaming server for the probe tests, on 127.0.0.1 only.

A plain ASGI app on uvicorn. What it does is chosen per request by the model name,
``key=value`` pairs joined by commas, so one server serves every test:

- ``ttft`` seconds before the first token, ``itl`` seconds between tokens, ``tokens``
  output tokens (one per chunk);
- ``mode``: ``ok``; ``http500``; ``malformed`` (a broken chunk halfway); ``close`` (the
  connection drops halfway); ``hang`` (no answer at all); ``echo`` (an error body that
  repeats the request's Authorization header); ``nousage`` (no usage chunk);
  ``json`` (a plain JSON answer instead of a stream); ``flaky`` (every third request
  fails with HTTP 503).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import uvicorn


@dataclass
class ServerStats:
    requests: int = 0
    in_flight: dict[str, int] = field(default_factory=dict)  # by model name
    max_in_flight: dict[str, int] = field(default_factory=dict)
    authorization: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)


def _behaviour(model: str) -> dict[str, str]:
    pairs = [p.split("=", 1) for p in model.split(",") if "=" in p]
    return {k.strip(): v.strip() for k, v in pairs}


def _chunk(content: str | None = None, finish: str | None = None, usage=None) -> bytes:
    delta = {"content": content} if content is not None else {}
    data: dict = {"id": "x", "object": "chat.completion.chunk", "choices": []}
    if content is not None or finish is not None:
        data["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}]
    if usage is not None:
        data["usage"] = usage
    return f"data: {json.dumps(data)}\n\n".encode()


class FakeLLM:
    """The ASGI app."""

    def __init__(self) -> None:
        self.stats = ServerStats()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request = json.loads(body or b"{}")
        headers = dict(scope["headers"])
        stats = self.stats
        stats.requests += 1
        number = stats.requests
        stats.authorization.append(headers.get(b"authorization", b"").decode())
        stats.bodies.append(request)
        stats.prompts.append(request.get("messages", [{}])[0].get("content", ""))
        model = request.get("model", "")
        stats.in_flight[model] = stats.in_flight.get(model, 0) + 1
        stats.max_in_flight[model] = max(stats.max_in_flight.get(model, 0), stats.in_flight[model])
        try:
            await self._answer(_behaviour(model), headers, number, send)
        finally:
            stats.in_flight[model] -= 1

    async def _answer(self, how: dict[str, str], headers: dict, number: int, send) -> None:
        mode = how.get("mode", "ok")
        ttft, itl = float(how.get("ttft", 0.05)), float(how.get("itl", 0.01))
        tokens = int(how.get("tokens", 10))
        if mode == "http500" or (mode == "flaky" and number % 3 == 0):
            status = 500 if mode == "http500" else 503
            await _plain(send, status, b'{"error": {"message": "overloaded"}}')
            return
        if mode == "echo":
            text = b"bad key: " + headers.get(b"authorization", b"")
            await _plain(send, 401, text)
            return
        if mode == "hang":
            await asyncio.sleep(3600)
        if mode == "json":
            await _plain(send, 200, b'{"choices": [{"message": {"content": "hi"}}]}')
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        await asyncio.sleep(ttft)
        for index in range(tokens):
            if index and index == tokens // 2 and mode in ("malformed", "close"):
                if mode == "malformed":
                    await _more(send, b"data: {not json\n\n")
                    return await _more(send, b"", end=True)
                raise ConnectionAbortedError("closing mid-stream on purpose")
            if index:
                await asyncio.sleep(itl)
            await _more(send, _chunk(f"w{index} "))
        await _more(send, _chunk(finish="stop"))
        if mode != "nousage":
            usage = {
                "prompt_tokens": 123,
                "completion_tokens": tokens,
                "total_tokens": 123 + tokens,
            }
            await _more(send, _chunk(usage=usage))
        await _more(send, b"data: [DONE]\n\n")
        await _more(send, b"", end=True)


async def _more(send, data: bytes, end: bool = False) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": not end})


async def _plain(send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


@contextlib.contextmanager
def serve() -> Iterator[tuple[str, FakeLLM]]:
    """Run the app on 127.0.0.1 on a free port; yield its base URL and the app."""
    app = FakeLLM()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="critical", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/v1", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
