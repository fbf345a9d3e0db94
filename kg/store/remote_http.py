"""HTTP for ``kg.store.remote``: urllib with digest and basic auth, a timeout on every request, and
every failure turned into a ``KGError`` that names what failed and the URL."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message

from ..errors import KGError

_DETAIL_CHARS = 300


@dataclass
class Reply:
    body: bytes
    content_type: str          # media type only, lower case, no parameters
    headers: Message


class Http:
    """One opener per store: credentials (when given) answer both Digest and Basic challenges."""

    def __init__(self, user: str | None = None, password: str | None = None) -> None:
        handlers: list = []
        if user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, "/", user, password or "")
            # the URL given to add_password limits where the password is sent: every URI is
            # accepted here, the store's URLs are the only ones this opener is used for
            passwords.is_suburi = lambda base, test: True  # type: ignore[method-assign]
            handlers += [urllib.request.HTTPDigestAuthHandler(passwords),
                         urllib.request.HTTPBasicAuthHandler(passwords)]
        self.opener = urllib.request.build_opener(*handlers)
        self.authenticated = bool(user)

    def request(self, url: str, body: bytes | None, accept: str, what: str, timeout: float,
                content_type: str | None = None, missing_ok: bool = False) -> Reply | None:
        """POST ``body`` (GET when None); a ``KGError`` on any failure (None for a 404 when
        ``missing_ok``)."""
        headers = {"Accept": accept, "User-Agent": "policykg"}
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(url, data=body, headers=headers, method="GET" if body is None else "POST")
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                data = resp.read()
                return Reply(data, resp.headers.get_content_type().lower(), resp.headers)
        except urllib.error.HTTPError as e:
            if missing_ok and e.code == 404:
                return None
            raise self._refused(e, url, what) from None
        except TimeoutError as e:
            if what == "query":
                raise KGError("K204", f"{timeout:g}") from e
            raise KGError("K104", f"{url}: {what} timed out after {timeout:g} s") from e
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, TimeoutError) and what == "query":
                raise KGError("K204", f"{timeout:g}") from e
            raise KGError("K104", f"{url} ({what}: {reason})") from e
        except (OSError, ValueError) as e:        # connection reset, bad URL …
            raise KGError("K104", f"{url} ({what}: {type(e).__name__}: {e})") from e

    def _refused(self, e: urllib.error.HTTPError, url: str, what: str) -> KGError:
        try:
            text = e.read().decode("utf-8", "replace").strip()
        except OSError:
            text = ""
        first = " ".join(text.split("\n\n")[0].split())[:_DETAIL_CHARS]
        if e.code == 400 and what == "query":
            return KGError("K201", f"{first or e.reason} (server {url})")
        hint = ""
        if e.code in (401, 403) or "SECURITY" in text or "permission" in text.lower():
            hint = ("; check POLICYKG_STORE_USER / POLICYKG_STORE_PASSWORD" if self.authenticated else
                    "; the server wants credentials: set POLICYKG_STORE_USER / POLICYKG_STORE_PASSWORD "
                    "(and POLICYKG_STORE_UPDATE_URL if updates use another URL)")
        return KGError("K105", f"{url} refused the {what}: HTTP {e.code} {e.reason}"
                               f"{': ' + first if first else ''}{hint}")
