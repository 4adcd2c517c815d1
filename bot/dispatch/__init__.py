"""The second main job: scheduled tips. Periodic passes claim due slots, send through a :class:`TipSender`
and record what happened. Knows nothing of Telegram: the adapter passes the sender in."""

from bot.dispatch.claims import DispatchReport, Outgoing
from bot.dispatch.passes import Dispatcher, NotStored
from bot.dispatch.sending import SendResult, TipSender

__all__ = ["DispatchReport", "Dispatcher", "NotStored", "Outgoing", "SendResult", "TipSender"]
