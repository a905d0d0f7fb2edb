"""The synchronous face on aiogram works from a thread that runs an event loop of its own
(as Playwright's sync API does in the browser tests, and as an async caller would)."""

from __future__ import annotations

import asyncio
import threading

from homeward.telegram import client


def _run_in_a_fresh_thread(coroutine_function):
    """asyncio.run() in a thread of its own: the test worker's main thread may already
    hold a running loop (a session-wide Playwright browser from an earlier e2e test),
    and asyncio.run() refuses to start inside one."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine_function())
        except BaseException as error:  # handed back to the test below
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the call did not finish"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_a_call_and_close_from_inside_a_running_loop(telegram):
    async def caller():
        asyncio.get_running_loop()  # the point of the test: a loop is running here
        message_id = client.send_text(client.channel(), "<b>из цикла</b>")
        client.close()
        return message_id

    assert _run_in_a_fresh_thread(caller) > 0
    assert len(telegram.calls_to("sendMessage")) == 1
