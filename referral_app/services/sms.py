"""Text messages go through a provider. The default provider SENDS NOTHING: no SMS leaves this machine.

`RecordingSmsProvider` logs that a message was recorded, and the outbox row (marked sent) keeps the
text. To send real text messages, write a class with `send(to, body)` for your provider's API and name
it in `REFERRAL_APP_SMS_PROVIDER` as `package.module:ClassName` (see the README).
"""

from __future__ import annotations

import importlib
import logging
from typing import Protocol, runtime_checkable

from referral_app.config import ConfigurationError

RECORD = "record"
logger = logging.getLogger(__name__)


class SmsError(Exception):
    """A provider could not send a text message; the outbox records the text of this error and retries."""


@runtime_checkable
class SmsProvider(Protocol):
    def send(self, to: str, body: str) -> None:
        """Send `body` to the phone number `to`, or raise (an `SmsError` for expected failures)."""


class RecordingSmsProvider:
    """Sends no text message anywhere: it only logs one line, and the outbox row stays as the record."""

    def __init__(self) -> None:
        self.recorded = 0

    def send(self, to: str, body: str) -> None:
        self.recorded += 1
        # The number is masked: logs are kept more widely than the database, and the row has it in full.
        logger.info(
            "Text message NOT sent (REFERRAL_APP_SMS_PROVIDER=record): %d characters to a number ending %s",
            len(body),
            to[-3:],
        )


def load_sms_provider(setting: str) -> SmsProvider:
    """`record` (the default), or `package.module:ClassName` of a class made with no arguments."""
    setting = setting.strip()
    if setting == RECORD:
        return RecordingSmsProvider()
    module_name, _, class_name = setting.partition(":")
    if not module_name or not class_name:
        raise ConfigurationError(
            f"REFERRAL_APP_SMS_PROVIDER must be '{RECORD}' or an import path like 'package.module:ClassName', "
            f"not {setting!r}"
        )
    try:
        provider_class = getattr(importlib.import_module(module_name), class_name)
    except ImportError as error:
        raise ConfigurationError(f"SMS provider {setting!r}: cannot import {module_name!r} ({error})") from error
    except AttributeError:
        raise ConfigurationError(f"SMS provider {setting!r}: {module_name!r} has no {class_name!r}") from None
    if not callable(provider_class):
        raise ConfigurationError(f"SMS provider {setting!r}: {class_name!r} is not a class")
    provider = provider_class()
    if not isinstance(provider, SmsProvider):
        raise ConfigurationError(f"SMS provider {setting!r} has no send(to, body) method")
    return provider
