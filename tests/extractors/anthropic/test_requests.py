"""What the anthropic backend sends, and how it reads each kind of answer, against a scripted Messages API.

The real SDK talks real HTTP to 127.0.0.1; the pipeline function `extract_file` runs the backend as the CLI does.
"""

import base64
import threading
from dataclasses import replace

import pymupdf
import pytest
from messages_api_server import error, text_answer, tool_answer

from figtab.extractors import get_extractor
from figtab.extractors.anthropic.answer import TOOL_NAME, Answer
from figtab.extractors.anthropic.prompt import SYSTEM_PROMPT
from figtab.flows.pipeline import extract_file

CHART = {"chart_type": "bar", "title": "Units sold", "x_label": "Year", "y_label": None,
         "series": [{"name": "Units", "points": [{"x": "2021", "y": 140}, {"x": "2022", "y": 155},
                                                 {"x": "2023", "y": 171}, {"x": "2024", "y": 120}]}]}
RAGGED = {"rows": [["Year", "Units"], ["2021"]], "header_rows": 1}


def figure(box: dict, image: int = 0, **payload) -> dict:
    payload = payload or {"chart": CHART}
    return {"kind": "chart" if "chart" in payload else "table", "box": {"image": image, **box}, **payload}


def sent_images(seen) -> list[pymupdf.Pixmap]:
    """The images of a request's first user turn, decoded."""
    blocks = seen.body["messages"][0]["content"]
    return [pymupdf.Pixmap(base64.b64decode(block["source"]["data"])) for block in blocks if block["type"] == "image"]


def sent_text(seen) -> str:
    return "\n".join(block["text"] for block in seen.body["messages"][0]["content"] if block["type"] == "text")


def page_size(path) -> tuple[float, float]:
    with pymupdf.open(path) as doc:
        return doc[0].rect.width, doc[0].rect.height


def read(path, backend: str = "anthropic"):
    return extract_file(str(path), get_extractor(backend))


def test_a_request_carries_the_overview_and_tiles_within_limits_the_schema_and_cache_markers(
        messages_api, letter_pdf, api_key):
    messages_api.script(tool_answer([]))
    result = read(letter_pdf)
    assert result.all_failures == [] and result.figures == []
    [seen] = messages_api.requests
    images = sent_images(seen)
    overview, tiles = images[0], images[1:]
    assert 1 <= len(tiles) <= 4
    for image in images:
        assert max(image.width, image.height) <= 1568 and image.width * image.height <= 1_150_000
    assert abs(overview.width / overview.height - 612 / 792) < 0.01  # aspect kept, no padding sent
    assert sum(t.width * t.height for t in tiles) > 2 * overview.width * overview.height  # tiles add detail
    body = seen.body
    assert body["tools"][0]["input_schema"] == Answer.model_json_schema()
    assert body["tools"][0]["cache_control"] == {"type": "ephemeral"}
    assert body["system"] == [{"type": "text", "text": SYSTEM_PROMPT, "cache_control": {"type": "ephemeral"}}]
    assert body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    assert "<document_text>\nAnnual report: units sold per year" in sent_text(seen)  # the text layer as context
    assert api_key in (seen.headers.get("x-api-key", ""), seen.headers.get("authorization", "").removeprefix("Bearer "))


def test_a_small_raster_chart_is_sent_once_and_never_enlarged(messages_api, chart_png):
    messages_api.script(tool_answer([]))
    read(chart_png)
    [image] = sent_images(messages_api.requests[0])
    with pymupdf.open(chart_png) as doc:
        own = doc[0].get_image_info()[0]
    assert (image.width, image.height) == (own["width"], own["height"])
    assert "<document_text>" not in sent_text(messages_api.requests[0])  # an image has no text layer


def test_a_valid_answer_is_stored_with_its_box_in_page_points_and_its_usage(messages_api, chart_png):
    messages_api.script(tool_answer(figures=[]))  # learn the sent size first, then answer in its pixels
    read(chart_png)
    [image] = sent_images(messages_api.requests[0])
    box = {"x0": 0.1 * image.width, "y0": 0.2 * image.height, "x1": 0.9 * image.width, "y1": 0.8 * image.height}
    messages_api.script(tool_answer([figure(box)], input_tokens=2000, output_tokens=400, cache_read=1200))
    result = read(chart_png)
    [found] = result.figures
    width, height = page_size(chart_png)
    assert found.valid and found.backend == "anthropic" and found.model == "claude-sonnet-4-5"
    assert found.chart.model_dump() == {**CHART, "series": [{**CHART["series"][0]}]}
    assert found.bbox.as_list() == pytest.approx([0.1 * width, 0.2 * height, 0.9 * width, 0.8 * height], abs=0.5)
    assert found.usage.input_tokens == 2000 and found.usage.output_tokens == 400
    assert found.usage.cache_read_tokens == 1200 and found.usage.visual_tokens > 0
    # list prices of claude-sonnet-4-5: $3 input, $15 output, $0.30 cache read per million tokens
    assert found.usage.cost_usd == pytest.approx((2000 * 3 + 400 * 15 + 1200 * 0.3) / 1e6)
    assert result.usage == found.usage


def test_a_box_on_a_tile_lands_in_that_tile_s_part_of_the_page(messages_api, letter_pdf):
    messages_api.script(tool_answer([]))
    read(letter_pdf)
    images = sent_images(messages_api.requests[0])
    last = images[-1]  # the bottom-right tile
    messages_api.script(tool_answer([figure({"x0": 0, "y0": 0, "x1": last.width, "y1": last.height},
                                            image=len(images) - 1)]))
    [found] = read(letter_pdf).figures
    x0, y0, x1, y1 = found.bbox.as_list()
    assert x0 >= 612 / 2 - 1 and y0 >= 792 / 2 - 1 and x1 == pytest.approx(612) and y1 == pytest.approx(792)


def test_an_invalid_answer_goes_back_with_its_errors_and_the_repair_is_kept(messages_api, chart_png):
    box = {"x0": 10, "y0": 10, "x1": 300, "y1": 200}
    messages_api.script(tool_answer([figure(box, table=RAGGED)]), tool_answer([figure(box)]))
    result = read(chart_png)
    assert [f.valid for f in result.figures] == [True] and result.figures[0].chart.title == "Units sold"
    first, repair = messages_api.requests
    assistant, feedback = repair.body["messages"][1:]
    assert assistant["role"] == "assistant" and assistant["content"][0]["input"]["figures"][0]["table"] == RAGGED
    [tool_result] = feedback["content"]
    assert tool_result["type"] == "tool_result" and tool_result["is_error"] is True
    assert "different numbers of cells" in tool_result["content"]
    assert len(sent_images(repair)) == len(sent_images(first))  # the images go along again
    assert result.usage.input_tokens == 2 * 1500  # both requests are paid for


def test_an_answer_still_invalid_after_two_repairs_is_stored_invalid_with_its_errors(messages_api, chart_png):
    box = {"x0": 10, "y0": 10, "x1": 300, "y1": 200}
    answer = [figure(box), figure(box, table=RAGGED)]
    messages_api.script(*(tool_answer(answer) for _ in range(3)))
    result = read(chart_png)
    assert len(messages_api.requests) == 3  # the first answer and two repairs, no more
    good, bad = result.figures
    assert good.valid and good.chart.title == "Units sold"
    assert not bad.valid and bad.kind == "table" and bad.table is None
    assert any("figures.1.table" in e and "different numbers of cells" in e for e in bad.errors)
    assert result.all_failures == []


def test_an_answer_without_the_tool_call_is_asked_again(messages_api, chart_png):
    messages_api.script(text_answer("Here are the figures: a bar chart."), tool_answer([]))
    result = read(chart_png)
    assert result.all_failures == [] and len(messages_api.requests) == 2
    feedback = messages_api.requests[1].body["messages"][-1]["content"]
    assert feedback[0]["type"] == "text" and TOOL_NAME in feedback[0]["text"]


def test_an_answer_cut_off_at_max_tokens_is_not_parsed_but_asked_again_with_more_room(messages_api, chart_png):
    box = {"x0": 10, "y0": 10, "x1": 300, "y1": 200}
    partial = figure(box, chart={**CHART, "title": "cut off here"})
    messages_api.script(tool_answer([partial], stop_reason="max_tokens"), tool_answer([figure(box)]))
    result = read(chart_png)
    [found] = result.figures
    assert found.chart.title == "Units sold"  # nothing of the cut-off answer is kept
    first, retry = (seen.body for seen in messages_api.requests)
    assert retry["max_tokens"] > first["max_tokens"] and len(retry["messages"]) == 1


def test_an_answer_cut_off_twice_is_a_failure_whose_tokens_still_count(messages_api, chart_png):
    messages_api.script(*(tool_answer([], stop_reason="max_tokens", output_tokens=8192) for _ in range(2)))
    result = read(chart_png)
    [failure] = result.all_failures
    assert result.figures == [] and "cut off at max_tokens" in failure.message
    assert result.usage.output_tokens == 2 * 8192 and result.usage.cost_usd > 0


def test_overloaded_529_is_retried_by_the_sdk_then_read(messages_api, chart_png):
    messages_api.script(error(529, "overloaded_error", "Overloaded", **{"retry-after-ms": "20"}),
                        tool_answer([figure({"x0": 10, "y0": 10, "x1": 300, "y1": 200})]))
    result = read(chart_png)
    assert [f.valid for f in result.figures] == [True] and result.all_failures == []
    assert [seen.headers["x-stainless-retry-count"] for seen in messages_api.requests] == ["0", "1"]


def test_server_errors_are_retried_a_bounded_number_of_times(messages_api, chart_png, monkeypatch):
    monkeypatch.setenv("FIGTAB_ANTHROPIC_MAX_RETRIES", "1")
    messages_api.script(*(error(500, "api_error", "Internal error", **{"retry-after-ms": "10"}) for _ in range(3)))
    [failure] = read(chart_png).all_failures
    assert len(messages_api.requests) == 2 and "HTTP 500" in failure.message and "2 attempts" in failure.message


def test_a_bad_request_is_not_retried_and_says_why(messages_api, chart_png):
    messages_api.script(error(400, "invalid_request_error", "image exceeds 5 MB maximum"))
    [failure] = read(chart_png).all_failures
    assert len(messages_api.requests) == 1 and "image exceeds 5 MB maximum" in failure.message


def test_a_rejected_key_fails_once_without_retry_and_no_later_request_is_sent(messages_api, chart_png, letter_pdf,
                                                                               api_key):
    messages_api.script(error(401, "authentication_error", "invalid x-api-key"))
    extractor = get_extractor("anthropic")
    results = [extract_file(str(path), extractor) for path in (chart_png, letter_pdf)]
    assert len(messages_api.requests) == 1
    for result in results:
        [failure] = result.all_failures
        assert "ANTHROPIC_API_KEY" in failure.message and api_key not in failure.message
        assert "\n" not in failure.message


def test_a_missing_key_is_one_clear_failure_and_no_request(messages_api, chart_png, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    [failure] = read(chart_png).all_failures
    assert failure.error == "BackendNotConfigured" and failure.message.startswith("ANTHROPIC_API_KEY is not set")
    assert messages_api.requests == []


def test_requests_in_flight_are_bounded_across_threads(messages_api, chart_png, monkeypatch):
    monkeypatch.setenv("FIGTAB_ANTHROPIC_MAX_IN_FLIGHT", "2")
    messages_api.script(*(replace(tool_answer([]), hold_s=0.3) for _ in range(5)))
    results = []
    threads = [threading.Thread(target=lambda: results.append(read(chart_png))) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(messages_api.requests) == 5 and all(r.all_failures == [] for r in results)
    assert messages_api.max_in_flight == 2  # parallel, but never more than the bound


def test_auto_sends_only_the_raster_image_native_did_not_read(messages_api, page_with_raster_chart):
    path, where = page_with_raster_chart
    messages_api.script(tool_answer([]))
    read(path, backend="auto")  # learn the crop's size
    [image] = sent_images(messages_api.requests[0])
    assert abs(image.width / image.height - where.width / where.height) < 0.01
    messages_api.script(tool_answer([figure({"x0": 0, "y0": 0, "x1": image.width, "y1": image.height})]))
    [found] = read(path, backend="auto").figures
    assert found.backend == "anthropic"
    assert found.bbox.as_list() == pytest.approx(list(where), abs=0.5)


def test_auto_reads_every_raster_region_even_when_one_fails(messages_api, tmp_path, chart_png):
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_textbox(pymupdf.Rect(72, 60, 540, 120), "Two charts follow. " * 6, fontsize=10)
    places = [pymupdf.Rect(100, 140, 500, 400), pymupdf.Rect(100, 450, 500, 710)]
    for where in places:
        page.insert_image(where, filename=str(chart_png))
    doc.save(tmp_path / "two.pdf")
    messages_api.script(tool_answer([]), tool_answer([]))
    read(tmp_path / "two.pdf", backend="auto")  # learn the crops' size
    image = sent_images(messages_api.requests[-1])[0]
    messages_api.script(error(400, "invalid_request_error", "image exceeds 5 MB maximum"),
                        tool_answer([figure({"x0": 0, "y0": 0, "x1": image.width, "y1": image.height})]))
    result = read(tmp_path / "two.pdf", backend="auto")
    assert len(messages_api.requests) == 4  # the second region was asked after the first failed
    [found] = result.figures
    assert found.backend == "anthropic" and found.bbox.y0 > places[0].y1  # read from the region after the failure
    [failure] = result.all_failures
    assert "region 1 of 2" in failure.message and "5 MB" in failure.message
