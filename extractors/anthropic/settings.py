"""How the `anthropic` backend is configured: ``--model`` and ``FIGTAB_ANTHROPIC_*`` environment variables.

The endpoint (``ANTHROPIC_BASE_URL``) and the key (``ANTHROPIC_API_KEY``) are the SDK's own variables, read by the
SDK; figtab only checks that a key is set and never keeps, logs or prints it.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from figtab.schemas import BackendNotConfigured, UsageError

DEFAULT_MODEL = "claude-sonnet-4-5"
KEY_VARIABLE = "ANTHROPIC_API_KEY"

_ENVIRONMENT = {  # setting -> variable that sets it
    "model": "FIGTAB_ANTHROPIC_MODEL",
    "timeout_s": "FIGTAB_ANTHROPIC_TIMEOUT",
    "max_retries": "FIGTAB_ANTHROPIC_MAX_RETRIES",
    "max_in_flight": "FIGTAB_ANTHROPIC_MAX_IN_FLIGHT",
    "max_tokens": "FIGTAB_ANTHROPIC_MAX_TOKENS",
}


class AnthropicSettings(BaseModel):
    """One backend's settings; the defaults suit a page of a few figures on the default model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(default=DEFAULT_MODEL, min_length=1)
    timeout_s: float = Field(default=180, gt=0, description="per request attempt, seconds")
    max_retries: int = Field(default=2, ge=0, le=10, description="SDK retries on 408/409/429/5xx and lost links")
    max_in_flight: int = Field(default=4, ge=1, le=64, description="requests open at once in this process")
    max_tokens: int = Field(default=8192, ge=256, le=32000, description="answer room; a cut-off answer gets 4x once")

    @property
    def retry_max_tokens(self) -> int:
        """The room for the one retry of an answer cut off at ``max_tokens``."""
        return min(4 * self.max_tokens, 32000)


def load_settings(model: str | None = None) -> AnthropicSettings:
    """Settings from ``FIGTAB_ANTHROPIC_*`` (``model``, from ``--model``, wins); a bad value is a `UsageError`."""
    values: dict[str, str] = {name: os.environ[var] for name, var in _ENVIRONMENT.items() if os.environ.get(var)}
    if model:
        values["model"] = model
    try:
        return AnthropicSettings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0])
        raise UsageError(f"{_ENVIRONMENT.get(name, name)}: {first['msg']}") from None


def require_key() -> None:
    """Fail the page with one line naming the variable when no key is set (the SDK reads the key itself)."""
    if not os.environ.get(KEY_VARIABLE, "").strip():
        raise BackendNotConfigured(f"{KEY_VARIABLE} is not set: the anthropic backend needs an API key "
                                   "(or use --backend native / paligemma)")
