"""The synchronous face on aiogram works from a thread that runs an event loop of its own
(as Playwright's sync API does in the browser tests, and as an async caller would)."""

from __future__ import annotations

import asyncio

from homeward.telegram import client


def test_a_call_and_close_from_inside_a_running_loop(telegram):
    async def caller():
        message_id = client.send_text(client.channel(), "<b>из цикла</b>")
        client.close()
        return message_id

    assert asyncio.run(caller()) > 0
    assert len(telegram.calls_to("sendMessage")) == 1
