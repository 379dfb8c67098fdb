"""One request to the Messages API through the real SDK: bounded in flight, SDK errors mapped onto figtab's.

The SDK retries 408/409/429/5xx (529 "overloaded" included) and lost connections itself, with backoff that honours
``retry-after``, at most ``max_retries`` times; it does not retry 400/401/403. Each attempt has ``timeout_s``.
Messages name ``ANTHROPIC_API_KEY`` but never hold the key itself.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import anthropic

from figtab.extractors.anthropic.pricing import estimate_cost
from figtab.extractors.anthropic.settings import KEY_VARIABLE, AnthropicSettings
from figtab.schemas import ExtractorError, Usage


class KeyRejected(ExtractorError):
    """The API refused the key (401): every later request would be refused too."""


@lru_cache(maxsize=None)
def request_slots(limit: int) -> threading.BoundedSemaphore:
    """The process-wide bound on requests in flight, shared by every backend built with the same limit."""
    return threading.BoundedSemaphore(limit)


class MessagesClient:
    """Sends Messages API requests for one backend; the SDK client is made on first use, after the key check."""

    def __init__(self, settings: AnthropicSettings) -> None:
        self.settings = settings
        self._sdk: anthropic.Anthropic | None = None

    def send(self, **request: Any) -> anthropic.types.Message:
        """One request (and the SDK's retries); raises `ExtractorError` saying what went wrong."""
        if self._sdk is None:
            self._sdk = anthropic.Anthropic(timeout=self.settings.timeout_s, max_retries=self.settings.max_retries)
        with request_slots(self.settings.max_in_flight):
            try:
                return self._sdk.messages.create(model=self.settings.model, **request)
            except anthropic.APIError as exc:
                raise _figtab_error(exc, self.settings) from None  # the SDK's text may quote the request


def _figtab_error(exc: anthropic.APIError, settings: AnthropicSettings) -> ExtractorError:
    """The figtab error for an SDK error: one line, the cause and what to do, no response body beyond its type."""
    tries = settings.max_retries + 1
    if isinstance(exc, anthropic.AuthenticationError):
        return KeyRejected(f"the Anthropic API rejected {KEY_VARIABLE} (HTTP 401): set a valid key")
    if isinstance(exc, anthropic.PermissionDeniedError):
        return ExtractorError(f"the Anthropic API refused this request for the key in {KEY_VARIABLE} (HTTP 403)")
    if isinstance(exc, anthropic.APITimeoutError):
        return ExtractorError(f"no answer from the Anthropic API within {settings.timeout_s:g} s "
                              f"({tries} attempt{'s' * (tries != 1)}; FIGTAB_ANTHROPIC_TIMEOUT sets the limit)")
    if isinstance(exc, anthropic.APIConnectionError):
        return ExtractorError(f"cannot reach the Anthropic API ({tries} attempts): check ANTHROPIC_BASE_URL "
                              "and the network")
    if isinstance(exc, anthropic.APIStatusError):
        kind = _error_type(exc.body)
        if exc.status_code == 400 or exc.status_code == 404:
            return ExtractorError(f"the Anthropic API rejected the request (HTTP {exc.status_code} {kind}): "
                                  f"{_error_message(exc.body)}")
        return ExtractorError(f"the Anthropic API failed (HTTP {exc.status_code} {kind}) after {tries} attempts")
    return ExtractorError(f"the Anthropic API call failed: {exc.__class__.__name__}")


def _error_type(body: object) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("type")) if isinstance(error, dict) else "error"


def _error_message(body: object) -> str:
    """The API's explanation of a bad request (e.g. an image too large), on one line and short."""
    error = body.get("error") if isinstance(body, dict) else None
    message = str(error.get("message", "")) if isinstance(error, dict) else ""
    return " ".join(message.split())[:300] or "no reason given"


def usage_of(message: anthropic.types.Message, model: str, image_tokens: int) -> Usage:
    """What one answer cost: the API's token counts, the images' estimated tokens, and the list-price estimate."""
    reported = message.usage
    usage = Usage(input_tokens=reported.input_tokens, output_tokens=reported.output_tokens,
                  cache_read_tokens=reported.cache_read_input_tokens or 0,
                  cache_write_tokens=reported.cache_creation_input_tokens or 0, visual_tokens=image_tokens)
    return usage.model_copy(update={"cost_usd": estimate_cost(model, usage)})
