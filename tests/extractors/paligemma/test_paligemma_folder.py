"""A weights folder is checked without torch: what is wrong with it is a usage error that names the file."""

import json

import pytest

from figtab.extractors import ExtractorOptions, get_extractor
from figtab.extractors.paligemma.folder import ADAPTER_CONFIG, SETTINGS_FILE, adapter_base, read_settings
from figtab.schemas import UsageError


@pytest.mark.parametrize("text", ["{ not json", "[1, 2]", json.dumps({"base_model_name_or_path": 3})])
def test_a_malformed_adapter_config_is_a_usage_error_naming_the_folder_or_file(tmp_path, text):
    (tmp_path / ADAPTER_CONFIG).write_text(text)
    with pytest.raises(UsageError, match="adapter"):
        adapter_base(tmp_path)


@pytest.mark.parametrize("text", ["{ not json", "7", json.dumps({"max_tiles": 0}), json.dumps({"batch_size": "x"})])
def test_malformed_saved_settings_are_a_usage_error_naming_the_file(tmp_path, text):
    (tmp_path / SETTINGS_FILE).write_text(text)
    with pytest.raises(UsageError, match=SETTINGS_FILE):
        read_settings(tmp_path)


def test_the_backend_refuses_bad_settings_before_loading_weights(tmp_path, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    (tmp_path / "config.json").write_text("{ the weights are never read }")
    (tmp_path / SETTINGS_FILE).write_text("{ not json")
    with pytest.raises(UsageError, match=SETTINGS_FILE):
        get_extractor("paligemma", ExtractorOptions(model=str(tmp_path)))


def test_saved_settings_are_read(tmp_path):
    (tmp_path / SETTINGS_FILE).write_text(json.dumps({"max_tiles": 3, "unknown": 1}))
    assert read_settings(tmp_path).max_tiles == 3
    assert read_settings(tmp_path / "nowhere").max_tiles == 12
