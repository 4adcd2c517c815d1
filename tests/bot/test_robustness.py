"""Odd input, group chats, blocking and failures: a sensible reply or silence, never a crash or a leak."""

import asyncio
import json
import logging
from typing import Any

import pytest

from bot.conversation import asking
from bot.conversation import texts as wording
from bot.telegram.app import build_application, register_commands
from db import families
from tests.bot.support import Harness, onboard, settings, texts
from tests.fake_telegram import FakeBotAPI
from tests.fake_telegram import Parent as TgParent

NOT_TEXT = [wording.NOT_TEXT]


@pytest.mark.parametrize(
    "content",
    [
        {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False,
                     "is_video": False, "type": "regular"}},
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}},
    ],
)  # fmt: skip
async def test_non_text_messages_get_a_pointer_to_words(bot: Harness, content):
    assert texts(await bot.feed(TgParent(601).message(None, **content))) == NOT_TEXT


async def test_long_text_and_edits(bot: Harness):
    sam = TgParent(602)
    await onboard(bot, sam)
    assert texts(await bot.say(sam, "why " * 2000)) == [wording.TOO_LONG]
    assert await bot.feed(sam.edited("my baby cries")) == []
    assert texts(await bot.say(sam, "/nosuchthing")) == [
        "I don't know that command. Send /help to see what I can do."
    ]
    long_name = await bot.say(sam, "/addchild")
    assert long_name
    too_long = await bot.say(sam, "x" * 41)  # the question again, with its Skip button
    assert texts(too_long) == [f"{wording.NAME_HINT}\n\nWhat's this child's name? A nickname is fine."]
    assert too_long[0].button_labels == ["Skip for now"]


async def test_strangers_are_greeted_and_invited_to_start(bot: Harness):
    (reply,) = texts(await bot.say(TgParent(603), "hello"))
    assert reply.startswith("Hello!")
    assert reply.endswith(
        "Send /start to tell me about your child and get a short tip for their age every week.</i>"
    )
    assert await bot.parent_row(603) is None  # nothing is stored before /start


async def test_group_chats_are_pointed_to_a_private_chat(bot: Harness):
    sam = TgParent(604)
    sent = await bot.feed(sam.message("/start", chat_type="group"))
    assert texts(sent) == [wording.GROUP_ONLY_PRIVATE]
    assert await bot.feed(sam.message("my baby cries", chat_type="group")) == []
    assert await bot.parent_row(604) is None


async def test_blocking_and_unblocking(bot: Harness):
    sam = TgParent(605, "Sam")
    await onboard(bot, sam)
    assert await bot.feed(sam.blocks_bot()) == []
    parent = await bot.parent_row(605)
    assert parent is not None
    assert (parent.state, parent.next_due_at) == ("blocked", None)
    await bot.feed(sam.blocks_bot(blocked=False))
    back = await bot.say(sam, "/start")
    assert back[0].text.startswith("Welcome back, Sam!")
    parent = await bot.parent_row(605)
    assert parent is not None
    assert parent.state == "active"
    assert parent.next_due_at is not None


async def test_forbidden_on_send_marks_the_parent_blocked(bot: Harness):
    sam = TgParent(606)
    await onboard(bot, sam)
    bot.api.fail(403, "Forbidden: bot was blocked by the user", chat_id=606)
    assert await bot.say(sam, "/help") == []
    parent = await bot.parent_row(606)
    assert parent is not None
    assert parent.state == "blocked"


async def test_errors_are_logged_without_private_text_and_the_parent_is_told(
    bot: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    sam = TgParent(607, "Samantha")
    await onboard(bot, sam)

    async def broken(*_args: object) -> None:
        raise RuntimeError("secret detail: Samantha's question")

    monkeypatch.setattr(asking, "question", broken)
    with caplog.at_level(logging.ERROR):
        sent = await bot.say(sam, "my private question about Mia")
    assert texts(sent) == [wording.SOMETHING_WRONG]
    assert "RuntimeError" in caplog.text
    for private in ("Samantha", "Mia", "private question", "secret detail", bot.app.bot.token):
        assert private not in caplog.text


async def test_command_menu_is_registered(bot: Harness):
    await register_commands(bot.app)
    (call,) = [c for c in bot.api.calls if c.method == "setMyCommands"]
    commands = call.params["commands"]
    names = [c["command"] for c in commands]
    assert names[:3] == ["start", "normal", "tip"]
    assert {"children", "addchild", "settings", "pause", "resume", "stop", "privacy", "mydata",
            "deletedata", "about", "help", "cancel"} <= set(names)  # fmt: skip


async def test_a_late_press_still_gets_its_answer(bot: Harness):
    """Telegram refuses to answer a press after ~15 s (say the bot was restarting); the reply must still come."""
    sam = TgParent(608)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    bot.api.fail(
        400, "Bad Request: query is too old and response timeout expired or query id is invalid",
        method="answerCallbackQuery",
    )  # fmt: skip
    sent = await bot.tap(sam, "No")
    assert sent[0].text.startswith("Thank you! Mia is all set.")
    assert len(sent) == 1


async def test_a_press_without_its_message_is_answered(bot: Harness):
    sam = TgParent(609)
    await onboard(bot, sam)
    update = sam.press("s:days")
    del update["callback_query"]["message"]
    update["callback_query"]["inline_message_id"] = "abc"
    assert await bot.feed(update) == []
    assert bot.toasts()[-1] == wording.EXPIRED_TOAST


async def test_group_commands_for_other_bots_are_left_alone(bot: Harness):
    sam = TgParent(610)
    assert await bot.feed(sam.message("/start@SomeOtherBot", chat_type="supergroup")) == []
    assert texts(await bot.feed(sam.message("/help@SecureBaseTestBot", chat_type="supergroup")))[
        0
    ].startswith("I only work in private chats")


@pytest.mark.parametrize("step", ["name", "birthdate", "early", "tz", "days", "time", "question"])
@pytest.mark.parametrize("text", ["x" * 5000, "😀🍼👶", "<b>&\"'", "/", "   3   "])
async def test_odd_text_at_every_step_gets_a_friendly_reply(bot: Harness, step: str, text: str):
    sam = TgParent(611)
    steps = [("say", "/start"), ("say", "Mia"), ("say", "15 March 2026"), ("tap", "No"), ("say", "London"),
             ("tap", "Wed")]  # fmt: skip
    order = ["name", "birthdate", "early", "tz", "days", "time"]
    upto = len(steps) if step == "question" else order.index(step)
    for how, value in steps[:upto]:
        await (bot.say(sam, value) if how == "say" else bot.tap(sam, value))
    if step == "question":
        await bot.say(sam, "12:00")
    sent = await bot.say(sam, text)
    assert sent, "no reply"
    for message in sent:
        assert "went wrong" not in message.text
        assert '<b>&"' not in message.text


async def test_pressed_buttons_are_taken_off_their_message(bot: Harness):
    sam = TgParent(612)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    asked = await bot.say(sam, "15 March 2026")
    await bot.feed(sam.press("f:early:no", message_id=asked[0].message_id))
    (edit,) = [c for c in bot.api.calls if c.method == "editMessageReplyMarkup"]
    assert int(edit.params["message_id"]) == asked[0].message_id
    assert int(edit.params["chat_id"]) == 612
    assert "reply_markup" not in edit.params  # no markup: Telegram removes the keyboard
    # A message that can no longer be edited keeps its buttons, and the answer still comes.
    bot.api.fail(400, "Bad Request: message can't be edited", method="editMessageReplyMarkup")
    sent = await bot.tap(sam, "London")
    assert sent[0].text.startswith("Time zone set: London time, now 10:00.")


async def test_a_failed_press_is_reported_even_when_the_button_cannot_be_answered(bot: Harness):
    sam = TgParent(613)
    await onboard(bot, sam)
    await bot.say(sam, "/settings")
    too_old = "Bad Request: query is too old and response timeout expired or query id is invalid"
    bot.api.fail(400, too_old, method="answerCallbackQuery", times=2)
    bot.api.fail(400, "Bad Request: can't parse entities", method="sendMessage", chat_id=613)
    sent = await bot.tap(sam, "🕘 Time")
    assert texts(sent) == [wording.SOMETHING_WRONG]


async def test_a_stored_flow_missing_an_answer_asks_again_instead_of_failing(bot: Harness):
    """Flow data written by an older version may lack what a step needs: the parent is asked again."""
    sam = TgParent(611)
    await onboard(bot, sam)
    async with bot.sessions() as s:
        parent = await families.get_parent(s, 611)
        assert parent is not None
        await families.set_flow(s, parent, "due", {"mode": "add", "name": "Leo"})  # no birthdate
        await s.commit()
    assert texts(await bot.say(sam, "1 March 2026")) == ["What's this child's name? A nickname is fine."]


POLL_WITHOUT_PERSISTENT_ID = {
    "id": "5",
    "question": "Shall we meet, Zebulonia?",
    "options": [{"text": "yes", "voter_count": 0}],  # no persistent_id: this PTB refuses the whole answer
    "total_voter_count": 0,
    "is_closed": False,
    "is_anonymous": True,
    "type": "regular",
    "allows_multiple_answers": False,
}


class ScriptedUpdates(FakeBotAPI):
    """getUpdates hands out these updates (from the offset asked for), then nothing."""

    def __init__(self, updates: list[dict[str, Any]]) -> None:
        super().__init__()
        self.updates = updates
        self.offsets: list[int] = []

    async def do_request(self, url: str, method: str, request_data: Any = None, *args: Any, **kw: Any) -> Any:
        if not url.endswith("/getUpdates"):
            return await super().do_request(url, method, request_data, *args, **kw)
        offset = int((request_data.parameters if request_data else {}).get("offset", 0) or 0)
        self.offsets.append(offset)
        ready = [u for u in self.updates if u["update_id"] >= offset]
        if not ready:
            await asyncio.sleep(0)  # nothing new: the next poll comes at once, after the others had a turn
        return 200, json.dumps({"ok": True, "result": ready}).encode()


async def test_an_update_ptb_cannot_read_is_skipped_and_polling_goes_on(
    sessions, caplog: pytest.LogCaptureFixture
):
    sam, eve = TgParent(611, "Zebulonia"), TgParent(612)
    bad = sam.message(None, poll=POLL_WITHOUT_PERSISTENT_ID)
    good = eve.message("/help")
    polls = ScriptedUpdates([bad, good])
    harness = Harness(sessions)
    harness.app = build_application(
        settings(), request=harness.api, get_updates_request=polls, sessions=sessions, clock=harness.clock
    )
    async with harness:
        await harness.app.start()
        assert harness.app.updater is not None
        await harness.app.updater.start_polling(poll_interval=0)
        try:
            answered = await asyncio.wait_for(harness.api.until_sent(612), 10)
            assert "/tip" in answered[0].text
            assert harness.app.updater.running
        finally:
            await harness.app.updater.stop()
            await harness.app.stop()
    assert max(polls.offsets) > good["update_id"]  # past both: neither comes back after a restart
    skipped = [r for r in caplog.records if "could not be read" in r.getMessage()]
    assert [r.getMessage() for r in skipped] == [
        f"skipped update {bad['update_id']}, which could not be read (TypeError)"
    ]
    assert "Zebulonia" not in caplog.text


async def test_a_sticker_in_the_middle_of_a_step_asks_the_step_again(bot: Harness):
    sam = TgParent(603)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    sticker: dict[str, Any] = {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                               "is_animated": False, "is_video": False, "type": "regular"}  # fmt: skip
    assert texts(await bot.feed(sam.message(None, sticker=sticker))) == [
        wording.NOT_TEXT_AT_STEP
        + "When was <b>Mia</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
    ]
    await bot.say(sam, "15 March 2026")
    assert texts(await bot.say(sam, "no"))[0].startswith("Thank you! Mia is all set.")
