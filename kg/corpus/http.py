"""HTTP for the fetchers: GET with a polite gap between requests and bounded retries when a
service says it is busy (429/503 with Retry-After). Standard library only."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http.client import HTTPException

from kg import __version__
from kg.errors import FetchError

USER_AGENT = f"kg/{__version__} (paper knowledge graph; Python urllib)"
_RATE_LIMITED = (429, 503)


class Client:
    """GET with a polite gap between requests and bounded retries when rate-limited."""

    def __init__(
        self,
        service: str,
        *,
        delay: float,
        retries: int,
        timeout: float,
        sleep: Callable[[float], None],
        explain: Callable[[bytes], str | None],
        max_wait: float = 300.0,
    ) -> None:
        self.service = service
        self.delay = delay
        self.retries = retries
        self.timeout = timeout
        self.sleep = sleep
        self.explain = explain
        self.max_wait = max_wait
        self.requests = 0
        self._last: float | None = None

    def get(self, url: str) -> bytes:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"{url.split('?')[0]!r} is no web address for the {self.service}; give one that starts with https://")
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        attempt = 0
        while True:
            self._pause()
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as e:
                body = _read_quietly(e)
                if e.code in _RATE_LIMITED:
                    if attempt < self.retries:
                        self.sleep(self._retry_wait(e.headers.get("Retry-After"), attempt))
                        attempt += 1
                        continue
                    raise FetchError(
                        f"the {self.service} is still refusing requests (HTTP {e.code}) after {self.retries} "
                        f"retries at {url}; wait a few minutes and rerun the same command"
                    ) from e
                detail = self.explain(body)
                raise FetchError(
                    f"the {self.service} answered HTTP {e.code} {e.reason} for {url}"
                    + (f": {detail}" if detail else "")
                ) from e
            except (OSError, HTTPException) as e:
                reason = getattr(e, "reason", None) or e
                raise FetchError(
                    f"cannot reach the {self.service} at {url}: {reason}; check the network connection and the base URL"
                ) from e
            finally:
                self._last = time.monotonic()

    def _pause(self) -> None:
        if self._last is not None and self.delay > 0:
            remaining = self.delay - (time.monotonic() - self._last)
            if remaining > 0:
                self.sleep(remaining)

    def _retry_wait(self, retry_after: str | None, attempt: int) -> float:
        wait: float | None = None
        if retry_after:
            text = retry_after.strip()
            if text.isascii() and text.isdigit():  # str.isdigit() takes "²", which float() refuses
                wait = float(text)
            else:
                try:
                    when = parsedate_to_datetime(text)
                    wait = (when - datetime.now(timezone.utc)).total_seconds()
                except (TypeError, ValueError):
                    wait = None
        if wait is None:
            wait = max(self.delay, 1.0) * 2 ** (attempt + 1)
        return min(max(wait, 0.0), self.max_wait)


def _read_quietly(response: urllib.error.HTTPError) -> bytes:
    try:
        return response.read()
    except (OSError, HTTPException):
        return b""
