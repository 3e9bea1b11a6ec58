"""Browser-test helpers: Chromium flags, viewport, screenshots, page errors."""

from __future__ import annotations

from playwright.async_api import Page

from tests.helpers.paths import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"  # screenshots (ignored by git)

SIDEBAR = {"width": 420, "height": 900}


def watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


async def screenshot(page: Page, name: str) -> None:
    """The whole page as PNG, and the first screen as a small JPEG (the README's pictures)."""
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.jpg"), type="jpeg", quality=70)
