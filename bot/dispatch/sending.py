"""What the dispatcher needs from a transport: send one tip within a time limit, and say how long flood
control still holds every send back. The Telegram adapter implements it (``bot.telegram.sender``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.core.reply import Reply
from db.models import DeliveryState


@dataclass(frozen=True, slots=True)
class SendResult:
    """``state`` None: not sent for a reason that may pass; the claim stays and is retried once stale."""

    state: DeliveryState | None
    message_id: int | None = None
    error: str | None = None
    blocked: bool = False


class TipSender(Protocol):
    """One transport for scheduled and on-demand tips, shared by every dispatcher in the process."""

    def quiet_left(self) -> float:
        """Seconds of flood control still to wait out before the next send (0 when none)."""
        ...

    async def send_tip(self, chat_id: int, reply: Reply, *, max_wait: float) -> SendResult:
        """Send one tip, spending at most ``max_wait`` seconds on waits (flood control, retries): a claim is
        a lease, and sending after it ran out could double a tip another dispatcher took over."""
        ...
