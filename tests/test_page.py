"""The interactive page (``-o trace.html``): its data is the engine's, and it works in a real browser.

The browser tests drive Debian's ``chromium`` with ``chromedriver`` through Selenium
(``apt-get install chromium chromium-driver``; ``pip install selenium``) and skip only when those
cannot be found.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from convtrace.convolution import prepare_conv2d
from convtrace.errors import ConvtraceValueError
from convtrace.pooling import prepare_pool2d
from convtrace.render.page import MAX_PAGE_CELLS, check_page_size, operation_page, trace_data
from tests import naive
from tests.strategies import conv_problems

ROOT = Path(__file__).resolve().parents[1]
IMAGE = ROOT / "samples" / "image_4x4.txt"
FILTER = ROOT / "samples" / "filter_2x2.txt"
EXPECTED = np.loadtxt(ROOT / "samples" / "image_4x4_filter_2x2.expected.txt", dtype=np.int64)


def _data(page: str) -> dict:
    match = re.search(r'<script type="application/json" class="ct-data">(.*?)</script>', page, re.S)
    assert match, "no embedded data"
    return json.loads(match.group(1))


# --- the page's data, without a browser -------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(conv_problems(max_side=7, max_k=3, dtypes=(np.int64,)))
def test_embedded_numbers_are_the_references(p):
    """Every output value and every window's sum in the page agree with a plain-Python convolution."""
    op = prepare_conv2d(p["x"], p["w"], padding=p["pads"], pad_mode=p["mode"], pad_value=p["pad_value"],
                        stride=p["stride"], dilation=p["dilation"])
    data = _data(operation_page(op))
    reference = naive.correlate(p["x"], p["w"], p["pads"], p["mode"], p["pad_value"], p["stride"], p["dilation"])
    assert data["outShape"] == [1, *reference.shape]
    assert data["out"][0] == reference.ravel().tolist()
    by_cell = {tuple(c[1:]): r for c, r in zip(data["cells"], data["results"], strict=True)}
    assert len(by_cell) == reference.size
    for (i, j), value in np.ndenumerate(reference):
        assert by_cell[(i, j)] == value
    # The padded input shown is np.pad's, and each window's products are value × weight.
    padded = naive.pad(p["x"], p["pads"], p["mode"], p["pad_value"])
    assert data["paddedShape"] == list(padded.shape)
    assert data["padded"][0] == padded.ravel().tolist()
    weights = p["w"].ravel().tolist()
    for window, products in zip(data["windows"], data["products"], strict=True):
        assert products == [v * w for v, w in zip(window, weights, strict=True)]


@pytest.mark.parametrize("mode", ["max", "avg", "min", "sum"])
def test_pool_page_matches_the_reference(mode):
    x = np.array([[1, 5, 2, 0, 3], [4, 9, 8, 7, 1], [0, 2, 6, 3, 5], [7, 1, 4, 2, 8]], dtype=np.float64)
    op = prepare_pool2d(x, 3, mode=mode, stride=2, padding=1)
    data = _data(operation_page(op, lang="es"))
    reference = naive.pool(x, (3, 3), (2, 2), mode, (1, 1, 1, 1))
    shown = [float(v) for v in data["out"][0]]
    assert np.allclose(shown, reference.ravel(), atol=1e-4)
    if mode == "avg":
        assert all(str(d) in data["text"]["avg"] for d in data["divisors"])
        assert "÷" in next(iter(data["text"]["avg"].values()))
    if mode in ("max", "min"):
        assert data["text"]["padText"] in ("−∞", "+∞")
        assert all(a >= 0 for a, _ in data["winners"])


def test_multichannel_and_feature_maps():
    """An RGB-like input under two 3-channel filters: two output maps, every channel's grid."""
    rng = np.random.default_rng(5)
    x = rng.integers(-5, 6, size=(3, 4, 5))
    w = rng.integers(-2, 3, size=(2, 3, 2, 2))
    op = prepare_conv2d(x, w, padding=1)
    data = _data(operation_page(op))
    assert data["outShape"][0] == 2 and len(data["padded"]) == 3 and data["groupWidth"] == 3
    for f in range(2):
        reference = sum(naive.correlate(x[c], w[f, c], (1, 1, 1, 1)) for c in range(3))
        assert data["out"][f] == reference.ravel().tolist()


def test_page_is_self_contained_and_small():
    page = operation_page(prepare_conv2d(np.arange(28 * 28).reshape(28, 28) % 17, np.ones((3, 3), int), padding=1))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "http://" not in page and "https://" not in page and "@import" not in page
    assert len(page.encode()) < 1_000_000


def test_too_large_is_refused_before_tracing():
    op = prepare_conv2d(np.zeros((120, 120)), np.ones((3, 3)))
    with pytest.raises(ConvtraceValueError) as err:
        check_page_size(op)
    assert str(MAX_PAGE_CELLS) in str(err.value) or "10000" in str(err.value).replace(",", "")


def test_spanish_texts():
    data = trace_data(prepare_conv2d(np.eye(3, dtype=int), [[1, 2], [3, 4]]).trace(), "es")
    assert data["text"]["sum"] == "Suma" and data["text"]["play"] == "Reproducir"


def test_cli_writes_the_page(run, tmp_path):
    out = tmp_path / "trace.html"
    result = run("conv", IMAGE, "-k", FILTER, "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert _data(page)["out"][0] == EXPECTED.ravel().tolist()
    # --format html agrees with the name; another suffix does not.
    assert run("pool", IMAGE, "--format", "html", "-o", tmp_path / "p.htm").exit_code == 0
    assert run("conv", IMAGE, "-k", FILTER, "--format", "html", "-o", tmp_path / "x.png").exit_code == 2
    big = run("conv", "[" + ",".join(["[" + ",".join(["1"] * 150) + "]"] * 150) + "]", "-k", "1",
              "-o", tmp_path / "big.html")
    assert big.exit_code == 2 and "too large" in big.output


# --- in a real browser ------------------------------------------------------------------------------


def _browser_paths():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    return chromium, driver


@pytest.fixture(scope="module")
def browser():
    chromium, driver = _browser_paths()
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium not installed: pip install selenium")
    if not chromium or not driver:
        pytest.skip("chromium/chromedriver not installed: apt-get install chromium chromium-driver")
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", "--window-size=1100,800"):
        options.add_argument(arg)
    options.binary_location = chromium
    try:
        drv = webdriver.Chrome(service=Service(driver), options=options)
    except Exception:
        import resource

        if resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY:
            pytest.skip("Chromium cannot start under an address-space limit (ulimit -v): it reserves more")
        raise
    yield drv
    drv.quit()


def _page_file(tmp_path, run, name, *args):
    out = tmp_path / name
    result = run(*args, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def _window_cells(drv):
    from selenium.webdriver.common.by import By

    return sorted((int(td.get_attribute("data-r")), int(td.get_attribute("data-c")))
                  for td in drv.find_elements(By.CSS_SELECTOR, "table.ct-in td.ct-win"))


def test_slides_example_in_chromium(browser, tmp_path, run):
    from selenium.webdriver.common.by import By

    page = _page_file(tmp_path, run, "slides.html", "conv", IMAGE, "-k", FILTER)
    browser.get(page.as_uri())
    cells = browser.find_elements(By.CSS_SELECTOR, "table.ct-out button.ct-cell")
    assert len(cells) == 9
    windows = set()
    for n, cell in enumerate(cells):
        cell.click()
        i, j = divmod(n, 3)
        sum_text = browser.find_element(By.CSS_SELECTOR, ".ct-sum").text
        assert re.fullmatch(r"Sum = (-?\d+)", sum_text), sum_text
        assert int(sum_text.split("= ")[1]) == EXPECTED[i, j]
        assert cell.get_attribute("aria-label") == f"output [{i}, {j}] = {EXPECTED[i, j]}"
        # The highlighted window is the 2×2 block at (i, j) of the input.
        window = _window_cells(browser)
        assert window == [(i, j), (i, j + 1), (i + 1, j), (i + 1, j + 1)]
        windows.add(tuple(window))
        heading = browser.find_element(By.CSS_SELECTOR, ".ct-heading").text
        assert f"output[{i}, {j}]" in heading
    assert len(windows) == 9   # the highlight moved with every click

    # Step controls: first, next, and play runs to the end by itself.
    browser.find_element(By.CSS_SELECTOR, "button[data-act=first]").click()
    assert browser.find_element(By.CSS_SELECTOR, ".ct-sum").text == "Sum = 60"
    browser.find_element(By.CSS_SELECTOR, "button[data-act=next]").click()
    assert browser.find_element(By.CSS_SELECTOR, ".ct-sum").text == "Sum = 70"
    assert _window_cells(browser) == [(0, 1), (0, 2), (1, 1), (1, 2)]
    root = browser.find_element(By.CSS_SELECTOR, ".ct-root")
    play = browser.find_element(By.CSS_SELECTOR, "button[data-act=play]")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 15, poll_frequency=0.1).until(lambda d: root.get_attribute("data-step") == "8")
    WebDriverWait(browser, 5, poll_frequency=0.1).until(lambda d: play.get_attribute("aria-pressed") == "false")
    assert browser.find_element(By.CSS_SELECTOR, ".ct-sum").text == "Sum = 20"
    # The scrub slider is a range input from 1 to 9.
    slider = browser.find_element(By.CSS_SELECTOR, "input.ct-scrub")
    assert (slider.get_attribute("type"), slider.get_attribute("min"), slider.get_attribute("max")) == ("range", "1", "9")
    assert browser.execute_script("return document.querySelectorAll('script[src], link[href]').length") == 0
    shot = tmp_path / "slides.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000


def test_spanish_pool_page_on_a_phone(browser, tmp_path, run):
    from selenium.webdriver.common.by import By

    page = _page_file(tmp_path, run, "pool.html", "pool", IMAGE, "--mode", "max", "--size", "2", "--padding", "1",
                      "--lang", "es")
    browser.set_window_size(390, 844)
    try:
        browser.get(page.as_uri())
        assert browser.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "es"
        labels = [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".ct-controls button")]
        assert any("Reproducir" in t for t in labels) and any("Siguiente" in t for t in labels)
        reference = naive.pool(np.loadtxt(IMAGE), (2, 2), (2, 2), "max", (1, 1, 1, 1))
        cells = browser.find_elements(By.CSS_SELECTOR, "table.ct-out button.ct-cell")
        assert len(cells) == reference.size
        for n, cell in enumerate(cells):
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
            cell.click()
            text = browser.find_element(By.CSS_SELECTOR, ".ct-sum").text
            assert text.startswith(f"max = {int(reference.ravel()[n])} (fila"), text
            assert len(browser.find_elements(By.CSS_SELECTOR, "table.ct-in td.ct-winner")) == 1
        # Nothing is wider than the phone's screen: wide grids scroll inside their own box.
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390 + 1
        shot = tmp_path / "phone.png"
        assert browser.save_screenshot(str(shot)) and shot.read_bytes()[:4] == b"\x89PNG"
    finally:
        browser.set_window_size(1100, 800)
