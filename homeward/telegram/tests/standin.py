"""A stand-in Telegram Bot API server for tests: a real HTTP server on 127.0.0.1.

It answers the methods Homeward uses (sendMessage, sendPhoto, sendVideo,
sendMediaGroup, editMessageText, editMessageCaption, deleteMessages,
getChatMemberCount) plus getMe and getUpdates, keeps the messages it accepted,
and records every call. It checks what real Telegram checks and tests rely on:
the token, the HTML (only Telegram's tags, balanced) and the length limits, counted
after entity parsing in UTF-16 code units.

Tests switch its behaviour for the next calls with ``misbehave``: answer 429 with
``parameters.retry_after``, answer 500 or 403, drop the connection, or hang longer than the
client's timeout. A call that was not answered normally delivers nothing.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser

from aiohttp import web

ALLOWED = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler"}
CHANNEL_NUMERIC_ID = -1001234567890


class EntityError(ValueError):
    pass


class _Checker(HTMLParser):
    """Telegram's HTML parse mode, strictly: known tags only, properly nested."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            raise EntityError(f"unsupported start tag {tag}")
        if tag == "a" and not dict(attrs).get("href"):
            raise EntityError("a link without href")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            raise EntityError(f"unmatched end tag {tag}")
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def telegram_text(html: str) -> str:
    """The text Telegram would show for HTML, or EntityError when it cannot parse it."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    if checker.stack:
        raise EntityError(f"unclosed tags {checker.stack}")
    return "".join(checker.text).strip()


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    method: str
    params: dict
    outcome: str = "ok"  # ok, 429, 500, dropped, hung, or a 400/401 description
    at: float = field(default_factory=time.monotonic)


@dataclass
class Behaviour:
    method: str | None  # None: any method
    action: str  # "429", "500", "403", "drop", "hang"
    retry_after: int = 1
    hang_seconds: float = 3.0
    after: int = 0  # let this many matching calls through first


class StandInBotAPI:
    def __init__(self, token: str):
        self.token = token
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, int], dict] = {}
        self.behaviours: list[Behaviour] = []
        self.updates: list[dict] = []
        self.member_count = 4321
        self._ids = itertools.count(100)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- control, from the test's thread ---

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StandInBotAPI:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        ready = threading.Event()

        def serve():
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            app.router.add_post("/bot{token}/{method}", self._handle)
            self._runner = web.AppRunner(app, access_log=None)
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.SockSite(self._runner, sock).start())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=serve, name="standin-bot-api", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self.behaviours.clear()
            self.updates.clear()
            self.member_count = 4321

    def misbehave(self, action: str, *, method: str | None = None, times: int = 1, **options) -> None:
        """The next ``times`` calls (of ``method``, or any) answer with ``action`` instead."""
        with self._lock:
            self.behaviours.extend(Behaviour(method, action, **options) for _ in range(times))

    def calls_to(self, method: str, outcome: str | None = "ok") -> list[Call]:
        return [c for c in self.calls if c.method == method and (outcome is None or c.outcome == outcome)]

    def channel_messages(self) -> list[dict]:
        """Messages now in the channel (not deleted), oldest first."""
        return [m for (chat, _), m in sorted(self.messages.items(), key=lambda kv: kv[0][1]) if chat != "private"]

    # --- the server, in its own thread ---

    def _take_behaviour(self, method: str) -> Behaviour | None:
        with self._lock:
            for n, behaviour in enumerate(self.behaviours):
                if behaviour.method in (None, method):
                    if behaviour.after:
                        behaviour.after -= 1
                        return None
                    return self.behaviours.pop(n)
        return None

    @staticmethod
    def _error(code: int, description: str, **parameters) -> web.Response:
        body = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=code)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        form = await request.post()
        params, files = {}, {}
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
                params[key] = {"filename": value.filename, "size": len(files[key])}
            else:
                params[key] = value
        call = Call(method, params)
        with self._lock:
            self.calls.append(call)
        if request.match_info["token"] != self.token:
            call.outcome = "401"
            return self._error(401, "Unauthorized")
        behaviour = self._take_behaviour(method)
        if behaviour is not None:
            if behaviour.action == "429":
                call.outcome = "429"
                return self._error(
                    429, f"Too Many Requests: retry after {behaviour.retry_after}", retry_after=behaviour.retry_after
                )
            if behaviour.action == "500":
                call.outcome = "500"
                return self._error(500, "Internal Server Error")
            if behaviour.action == "403":
                call.outcome = "403"
                return self._error(403, "Forbidden: bot was blocked by the user")
            if behaviour.action == "drop":
                call.outcome = "dropped"
                request.transport.close()
                raise ConnectionResetError("dropped by the stand-in")
            if behaviour.action == "hang":
                call.outcome = "hung"
                await asyncio.sleep(behaviour.hang_seconds)
                return self._error(500, "Internal Server Error: hung")
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            call.outcome = "404"
            return self._error(404, "Not Found: method not found")
        if method == "getUpdates" and not self._api_getUpdates(params, files):
            await asyncio.sleep(0.2)  # a short long poll: nothing new yet
        try:
            with self._lock:
                result = handler(params, files)
        except EntityError as exc:
            call.outcome = f"400 {exc}"
            return self._error(400, f"Bad Request: can't parse entities: {exc}")
        except LookupError as exc:
            call.outcome = f"400 {exc}"
            return self._error(400, f"Bad Request: {exc.args[0]}")
        return web.json_response({"ok": True, "result": result})

    # --- Bot API methods (called with the lock held) ---

    def _chat(self, params) -> tuple[str, int]:
        chat = str(params["chat_id"])
        if chat.startswith("@") or chat.startswith("-100"):
            return "channel", CHANNEL_NUMERIC_ID
        return "private", int(chat)

    def _message(self, params, **content) -> dict:
        kind, chat_id = self._chat(params)
        message_id = next(self._ids)
        stored = {"message_id": message_id, "chat": kind, **content}
        self.messages[(kind, message_id)] = stored
        out = {"message_id": message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": kind}}
        if "text" in content:
            out["text"] = content["text"]
        if content.get("caption"):
            out["caption"] = content["caption"]
        return out

    @staticmethod
    def _checked(html: str, limit: int, what: str, parse_mode: str | None = "HTML") -> str:
        # Without parse_mode=HTML Telegram shows the tags as they are.
        text = telegram_text(html) if parse_mode == "HTML" else html.strip()
        if utf16_length(text) > limit:
            raise LookupError(f"{what} is too long")
        return text

    def _api_getMe(self, params, files):
        return {"id": 4242, "is_bot": True, "first_name": "Homeward", "username": "homeward_test_bot"}

    def _api_getUpdates(self, params, files):
        offset = int(params.get("offset") or 0)
        pending = [u for u in self.updates if u["update_id"] >= offset]
        return pending

    def _api_getChatMemberCount(self, params, files):
        return self.member_count

    def _api_sendMessage(self, params, files):
        html = params["text"]
        text = self._checked(html, 4096, "message", params.get("parse_mode"))
        if not text:
            raise LookupError("message text is empty")
        return self._message(params, kind="text", html=html, text=text)

    def _attached(self, value, files) -> bytes:
        ref = value.removeprefix("attach://") if isinstance(value, str) else None
        if ref not in files:
            raise LookupError("there is no file in the request")
        return files[ref]

    def _api_sendPhoto(self, params, files):
        caption = params.get("caption", "")
        plain = self._checked(caption, 1024, "caption", params.get("parse_mode"))
        data = self._attached(params["photo"], files)
        return self._message(params, kind="photo", caption=caption, plain=plain, file_size=len(data))

    def _api_sendVideo(self, params, files):
        caption = params.get("caption", "")
        plain = self._checked(caption, 1024, "caption", params.get("parse_mode"))
        data = self._attached(params["video"], files)
        return self._message(params, kind="video", caption=caption, plain=plain, file_size=len(data))

    def _api_sendMediaGroup(self, params, files):
        media = json.loads(params["media"])
        if not 2 <= len(media) <= 10:
            raise LookupError("wrong number of media in the album")
        result = []
        for item in media:
            data = self._attached(item["media"], files)
            caption = item.get("caption", "")
            result.append(
                self._message(
                    params,
                    kind=item["type"],
                    caption=caption,
                    plain=self._checked(caption, 1024, "caption", item.get("parse_mode")),
                    file_size=len(data),
                    album=True,
                )
            )
        return result

    def _existing(self, params) -> dict:
        kind, _ = self._chat(params)
        message = self.messages.get((kind, int(params["message_id"])))
        if message is None:
            raise LookupError("message to edit not found")
        return message

    def _api_editMessageText(self, params, files):
        message = self._existing(params)
        if message["kind"] != "text":
            raise LookupError("there is no text in the message to edit")
        text = self._checked(params["text"], 4096, "message", params.get("parse_mode"))
        if params["text"] == message["html"]:
            raise LookupError("message is not modified")
        message.update(html=params["text"], text=text, edited=message.get("edited", 0) + 1)
        return {"message_id": message["message_id"], "date": int(time.time()), "chat": {"id": 1, "type": "channel"}}

    def _api_editMessageCaption(self, params, files):
        message = self._existing(params)
        caption = params.get("caption", "")
        plain = self._checked(caption, 1024, "caption", params.get("parse_mode"))
        if caption == message.get("caption", ""):
            raise LookupError("message is not modified")
        message.update(caption=caption, plain=plain, edited=message.get("edited", 0) + 1)
        return {"message_id": message["message_id"], "date": int(time.time()), "chat": {"id": 1, "type": "channel"}}

    def _api_deleteMessages(self, params, files):
        kind, _ = self._chat(params)
        ids = json.loads(params["message_ids"])
        if not 1 <= len(ids) <= 100:
            raise LookupError("too many messages to delete")
        for message_id in ids:
            self.messages.pop((kind, int(message_id)), None)  # unknown ids are skipped
        return True
