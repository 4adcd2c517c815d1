"""The bot's fixed wording, in one place so it reads as one voice and is easy to review."""

from __future__ import annotations

from bot.core.reply import Button, Reply
from bot.core.retention import CHILD_GRACE_MONTHS, SETUP_RETENTION_DAYS, kept_after
from bot.core.text import esc
from content import Library
from db.families import MAX_CHILDREN

# (command, menu description) in menu order; registered with set_my_commands and listed by /help.
COMMANDS = (
    ("start", "Set up, or start again"),
    ("normal", "What's typical at my child's age"),
    ("tip", "Send me a tip now"),
    ("children", "My children: rename, change dates, invite, remove"),
    ("addchild", "Add another child"),
    ("settings", "Tip days, time, time zone, tips a week"),
    ("pause", "Pause the tips"),
    ("resume", "Resume the tips"),
    ("stop", "Stop the tips"),
    ("privacy", "What I store and why"),
    ("mydata", "Download everything I store about you"),
    ("deletedata", "Erase everything about you"),
    ("about", "Where the advice comes from"),
    ("help", "What I can do"),
    ("cancel", "Leave what we are doing"),
)

EXPIRED = "That button has expired. Send /help to see what you can do now."
EXPIRED_TOAST = "That button has expired."
# Also after /deletedata, so it claims no first meeting: only that nothing is stored.
NEED_START = "I don't have any details for you yet. Send /start to set things up (it takes a minute)."
GROUP_ONLY_PRIVATE = (
    "I only work in private chats, so what you tell me about your family stays between us. "
    "Tap my name and send /start there."
)
NOT_TEXT = (
    "I can only read words, not photos, stickers or voice messages. Ask me anything in a sentence, or send "
    "/help to see what I can do."
)
# The same in the middle of a step, before its question is asked again.
NOT_TEXT_AT_STEP = "I can only read words, not photos, stickers or voice messages. Back to where we were:\n"
TOO_LONG = "That's a long message! Could you ask it in a sentence or two?"
SOMETHING_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
CANCELLED = "OK, we've left that. Send /help to see what you can do."
NOTHING_TO_CANCEL = "There's nothing to cancel. Send /help to see what you can do."
FOR_ANOTHER_BOT = "That command is addressed to another bot, so I've left it. Send /help to see mine."
NO_TIP = "I have no new tip to send right now. Ask me a question any time, or send /normal."
TOO_MANY_CHILDREN = (
    f"You have {MAX_CHILDREN} children with me, the most I can keep for one parent. To add another, "
    "remove one in /children first."
)
NO_CHILD_YET = "Let's add your child first: send /start."
MAX_TEXT_CHARS = 1000
MAX_NAME_CHARS = 40
NAME_HINT = f"Please send a name or nickname of up to {MAX_NAME_CHARS} characters."
# At the name question, a message that is no name (a sentence, an emoji, a reply): said kindly, the limit
# only where the name was too long.
NAME_NOT_CAUGHT = "Sorry, I didn't catch a name there."


def welcome(first_name: str | None) -> str:
    hello = f"Hello {esc(first_name)}!" if first_name else "Hello!"
    return (
        f"{hello} I'm Secure Base, here to help you build a warm, secure bond with your little one.\n"
        "Each week I'll send a short, practical idea that fits your child's age, and you can ask me "
        "what's typical any time."
    )


def help_text() -> str:
    lines = [f"/{name} — {esc(description)}" for name, description in COMMANDS]
    return (
        "<b>What I can do</b>\n"
        + "\n".join(lines)
        + "\n\nOr just write a question, like <i>my 8 month old cries when I leave the room</i>."
    )


PRIVACY = (
    "<b>Your privacy</b>\n"
    "I keep only what I need to send you tips that fit your child's age, and I share nothing with anyone.\n"
    "• <b>What I keep:</b> your Telegram chat id, first name, time zone and tip times; each child's name (a "
    "nickname is fine) and dates; which tips I sent.\n"
    "• <b>What I don't keep:</b> the questions you ask. They are answered, then forgotten.\n"
    "• <b>Your choice:</b> /mydata sends you all of it as a file; /deletedata erases it all, for good.\n"
    "Tap below for the details, and how long I keep things."
)
# Under "couldn't find that": where to find support, a tap away rather than an alarm under every question.
SUPPORT_LABEL = "💛 Where to find support"
SUPPORT_DATA = "p:support"


def support_text(crisis_text: str | None, call: str) -> str:
    """Who can help, for the parent who tapped to know: the operator's helplines (``CRISIS_SUPPORT_TEXT``)
    as written, and the emergency number (``call``, already HTML-safe) last."""
    lines = [
        "<b>Here's where to find support.</b>",
        "For a worry about your child's health or development, your child's doctor is the best person to ask.",
        "For how you're feeling, your own doctor, midwife or health visitor is there for you too.",
    ]
    if crisis_text:
        lines.append(esc(crisis_text.strip()))
    lines.append(f"If you or anyone else is in danger right now, call {call}.")
    lines.append("You can keep writing to me whenever you like.")
    return "\n\n".join(lines)


def support_button() -> Button:
    return Button(SUPPORT_LABEL, SUPPORT_DATA)


# Under a reply to a loss: the same label, but what it shows leads with the parent's own care, never the
# child's doctor (a bereaved parent may have no living child to ask about).
LOSS_SUPPORT_DATA = "p:support:loss"


def loss_support_text(crisis_text: str | None, call: str) -> str:
    """Who can help after a loss: the parent's own doctor, midwife or health visitor, the operator's helplines
    as written, and the emergency number (``call``, already HTML-safe) last."""
    lines = [
        "<b>Here's where to find support.</b>",
        "Your own doctor, midwife or health visitor is there for you, now or whenever you're ready.",
    ]
    if crisis_text:
        lines.append(esc(crisis_text.strip()))
    lines.append(f"If it ever feels too much to bear, or you or anyone else is in danger, call {call}.")
    lines.append("You can keep writing to me whenever you like.")
    return "\n\n".join(lines)


def loss_support_button() -> Button:
    return Button(SUPPORT_LABEL, LOSS_SUPPORT_DATA)


PRIVACY_DETAILS_LABEL = "🔎 The details"
# Pressed before /start too: it names nothing of the parent's.
PRIVACY_DETAILS_DATA = "p:details"
PRIVACY_DETAILS = (
    "<b>Privacy: the details</b>\n"
    "<b>Also kept:</b> your language; your feedback on tips; the step we are at, while we're in the middle "
    "of something; for a day after you tell me you're struggling, when that was and what kind of worry it was (never what "
    "you wrote); and "
    "for up to a week, a reply I couldn't deliver.\n"
    "<b>Questions:</b> with several children, a question waits until you tap which child it is about, then "
    "it is forgotten.\n"
    "<b>How long:</b> until you delete it, or until nobody needs it: {retention}; a child's details {grace} "
    "months after the tips end at {end} (unless you tap 📌 Keep in /children); invite links a month after "
    "they expire.\n"
    "<b>Sharing:</b> nothing is shared with anyone; a caregiver you invite sees only the child you invited "
    "them to."
)


def privacy() -> Reply:
    """/privacy: the point first, in a few lines; the details behind a button."""
    return Reply(PRIVACY, ((Button(PRIVACY_DETAILS_LABEL, PRIVACY_DETAILS_DATA),),))


def privacy_details(retention_months: int, library: Library) -> str:
    """The details, with the retention the operator set (``RETENTION_MONTHS``)."""
    retention = (
        f"everything {retention_months} months after you block me or stop the tips and don't write "
        f"again, or {SETUP_RETENTION_DAYS} days after your last message if no child is set up"
    )
    return PRIVACY_DETAILS.format(retention=retention, grace=CHILD_GRACE_MONTHS, end=kept_after(library))


def about(library: Library) -> str:
    parts = []
    for topic in library.topics:
        refs = "\n".join(f"• {esc(ref.text)}" for ref in topic.references)
        parts.append(
            f"<b>{esc(topic.title)}</b>\nIn the guidance's own words: “{esc(topic.summary)}”\n"
            f"Source: {esc(topic.source)} (reviewed {topic.reviewed})."
            + (f"\n<b>References</b>\n{refs}" if refs else "")
        )
    return (
        "Everything I say comes from this guidance, never made up. I put its ideas into everyday words "
        "for you and add nothing.\n\n"
        + "\n\n".join(parts)
        + "\n\nI'm not a doctor. For any worry about your child's health or development, "
        "please talk to your child's doctor or nurse."
    )
