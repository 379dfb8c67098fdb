"""Which model and settings the backend uses, what it costs, and how `auto` picks a model backend from --model."""

import pytest

from figtab.extractors import ExtractorOptions, get_extractor
from figtab.extractors.anthropic.pricing import estimate_cost
from figtab.extractors.anthropic.settings import load_settings
from figtab.extractors.auto import configured_model_backend
from figtab.schemas import Usage, UsageError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for variable in ("ANTHROPIC_API_KEY", "FIGTAB_PALIGEMMA_MODEL", "FIGTAB_ANTHROPIC_MODEL",
                     "FIGTAB_ANTHROPIC_TIMEOUT", "FIGTAB_ANTHROPIC_MAX_TOKENS"):
        monkeypatch.delenv(variable, raising=False)


def test_the_model_comes_from_model_then_the_environment_then_the_default(monkeypatch):
    assert get_extractor("anthropic").model == "claude-sonnet-4-5"
    monkeypatch.setenv("FIGTAB_ANTHROPIC_MODEL", "claude-haiku-4-5")
    assert get_extractor("anthropic").model == "claude-haiku-4-5"
    assert get_extractor("anthropic", ExtractorOptions(model="claude-opus-4-5")).model == "claude-opus-4-5"


@pytest.mark.parametrize("variable, value", [("FIGTAB_ANTHROPIC_TIMEOUT", "0"),
                                             ("FIGTAB_ANTHROPIC_MAX_TOKENS", "lots")])
def test_a_bad_setting_names_its_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(UsageError, match=variable):
        load_settings()


def test_cost_uses_the_model_s_list_price_and_is_unknown_for_an_unknown_model():
    usage = Usage(input_tokens=1_000_000, output_tokens=100_000, cache_read_tokens=2_000_000,
                  cache_write_tokens=400_000)
    # claude-haiku-4-5: $1 input, $5 output, $0.10 cache read, $1.25 5-minute cache write per million tokens
    assert estimate_cost("claude-haiku-4-5", usage) == pytest.approx(1 + 0.5 + 0.2 + 0.5)
    assert estimate_cost("claude-haiku-4-5-20251001", usage) == estimate_cost("claude-haiku-4-5", usage)
    assert estimate_cost("my-finetuned-model", usage) is None


def test_shared_usage_adds_up_to_what_the_requests_spent():
    spent = Usage(input_tokens=1001, output_tokens=7, cache_read_tokens=3, visual_tokens=10, cost_usd=0.03)
    parts = spent.split(3)
    assert sum(parts[1:], parts[0]).model_dump() == pytest.approx(spent.model_dump())
    assert max(p.input_tokens for p in parts) - min(p.input_tokens for p in parts) <= 1


def test_auto_reads_model_as_an_anthropic_model_name_when_a_key_is_set(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    backend = configured_model_backend(ExtractorOptions(model="claude-haiku-4-5"))
    assert backend.name == "anthropic" and backend.model == "claude-haiku-4-5"
    assert configured_model_backend(ExtractorOptions()).model == "claude-sonnet-4-5"


def test_auto_reads_model_naming_a_folder_as_paligemma_weights_even_with_a_key(monkeypatch, tmp_path):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    weights = tmp_path / "weights"
    weights.mkdir()
    # the (empty) folder is checked as PaliGemma weights: its refusal shows auto chose them over the key
    with pytest.raises(UsageError, match="PaliGemma"):
        configured_model_backend(ExtractorOptions(model=str(weights)))


def test_auto_without_a_key_does_not_take_a_model_name_for_anthropic(monkeypatch):
    assert configured_model_backend(ExtractorOptions(model="claude-haiku-4-5")) is None
