"""The `anthropic` backend: tables and charts from page images through the Anthropic Messages API.

Modules, in the order a region goes through them: `settings` (model, timeout, retries, key check), `images` (plan
and render what is sent), `prompt` (system prompt and user turns), `answer` (the tool schema from figtab's Pydantic
models, validation), `client` (the SDK call, bounded in flight, errors mapped), `pricing` (cost estimate),
`extractor` (repair and truncation handling, figures out).
"""

from figtab.extractors.anthropic.extractor import AnthropicExtractor
from figtab.extractors.anthropic.settings import DEFAULT_MODEL

__all__ = ["DEFAULT_MODEL", "AnthropicExtractor"]
