"""Drive headless Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe): no extra package.

Chromium reads commands from fd 3 and writes replies and events to fd 4, each a JSON text ended by NUL.
Enough of the protocol to open a page, type into it, press Enter and read the DOM back.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from typing import Any

BINARY = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
# A tab opened over the protocol is a background tab: its timers would be throttled to one a second, and
# the search page shows each result after a 5 ms timer.
FOREGROUND = ["--disable-background-timer-throttling", "--disable-renderer-backgrounding",
              "--disable-backgrounding-occluded-windows"]


class Chromium:
    """One browser process; `open(url)` gives a Page in a new tab."""

    def __init__(self, timeout: float = 30) -> None:
        assert BINARY is not None
        self.timeout = timeout
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def pipes_at_3_and_4() -> None:  # runs in the child between fork and exec
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.process = subprocess.Popen([BINARY, *FLAGS, *FOREGROUND, "--remote-debugging-pipe", "about:blank"],
                                        preexec_fn=pipes_at_3_and_4, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_chrome], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        page.send("Page.bringToFront")
        page.send("Runtime.enable")
        page.navigate(url)
        return page

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):  # it may already be gone
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


class Page:
    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    def send(self, method: str, params: dict | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> Any:
        """Poll until the expression is truthy; its value. Generous: the machine may be busy."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError as e:  # the page is navigating (a submitted form): ask again on the new page
                if "navigated or closed" not in str(e) and "context" not in str(e).lower():
                    raise
                value = None
            if value:
                return value
            time.sleep(0.2)
        state = self.evaluate("location.href + ' ' + document.readyState + ' ' + document.body.innerText.slice(0, 300)")
        raise TimeoutError(f"never true: {expression}; page: {state}")

    def navigate(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})
        self.wait_for(f"location.href.startsWith({json.dumps(url)}) && document.readyState === 'complete'")

    def type(self, selector: str, text: str) -> None:
        """Focus the element, type the text as a user would (one insertion), and press Enter."""
        assert self.evaluate(f"!!document.querySelector({json.dumps(selector)})"), selector
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", {"text": text})
        enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13}
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **enter})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **enter})

    def exceptions(self) -> list[str]:
        """Uncaught script errors seen on this page so far."""
        return [e["params"]["exceptionDetails"].get("exception", {}).get("description", "")
                or e["params"]["exceptionDetails"].get("text", "")
                for e in self.browser.events
                if e.get("method") == "Runtime.exceptionThrown" and e.get("sessionId") == self.session]
