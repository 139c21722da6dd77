"""Fetching an article page by its URL, with the care a server owes the network it sits in.

    page = fetch("https://example.org/news/1", allow_private=False)

- Only http and https. The host is resolved here and every address it resolves to must
  be a public one: loopback, private, link-local, shared and reserved addresses are
  refused (server-side request forgery), unless `allow_private` (the setting
  IMPORT_ALLOW_PRIVATE_HOSTS, for tests and closed networks). The connection then goes
  to the address that was checked, so a second DNS answer cannot swap it.
- Redirects are followed by hand, at most MAX_REDIRECTS, and every hop is checked again.
- Timeouts on connect and on each read, and a deadline for the whole fetch; at most
  MAX_BYTES are read (after decompression), so a huge or endless page is refused.
- Only web pages (text/html, application/xhtml+xml), plain text, and feeds and sitemaps
  (RSS, Atom, XML) are accepted.
- The User-Agent says who is asking: Framescope, importing one article.

urllib3 (pinned in requirements.txt) does the HTTP; this module only decides where it may go.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationParseError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import parse_url

USER_AGENT = "Framescope/1.0 (media-framing research; imports one article a person asked for)"
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
CONNECT_SECONDS = 5.0
READ_SECONDS = 15.0
TOTAL_SECONDS = 30.0
PAGE_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    # Feeds and sitemaps list articles to pick from (feeds.py).
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
}
_DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchError(Exception):
    """The page could not be fetched; the message says why, for the person importing it."""


@dataclass(frozen=True)
class FetchedPage:
    requested: str  # the URL as given
    url: str  # the URL the page was found at, after redirects
    data: bytes
    kind: str  # "html", "txt" or "feed"
    charset: str | None  # from the Content-Type header


def is_url(value: str) -> bool:
    """True for anything that names a scheme ("https://…", "ftp://…"): it is a URL, not a file."""
    return "://" in value[:20]


def fetch(url: str, *, allow_private: bool = False) -> FetchedPage:
    """Fetch one page under the rules above; raise FetchError saying why not."""
    deadline = time.monotonic() + TOTAL_SECONDS
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        response, pool = _request(current, allow_private)
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"the server answered {response.status} without saying where to")
                current = urljoin(current, location)
                continue
            if response.status != 200:
                raise FetchError(f"the server answered {response.status} {response.reason or ''}".rstrip())
            kind, charset = _page_type(response.headers.get("Content-Type", ""))
            data = _read(response, deadline)
            return FetchedPage(requested=url, url=current, data=data, kind=kind, charset=charset)
        finally:
            response.release_conn()
            pool.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _request(url: str, allow_private: bool) -> tuple[urllib3.BaseHTTPResponse, urllib3.HTTPConnectionPool]:
    try:
        parts = parse_url(url)
    except LocationParseError:
        raise FetchError("this is not a web address") from None
    scheme = (parts.scheme or "").lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchError(f"only http and https addresses are fetched, not “{scheme or 'none'}”")
    if not parts.host:
        raise FetchError("the address names no host")
    host = parts.host.strip("[]")
    port = parts.port or _DEFAULT_PORTS[scheme]
    address = _checked_address(host, port, allow_private)
    headers = {
        "Host": parts.host if parts.port in (None, _DEFAULT_PORTS[scheme]) else f"{parts.host}:{port}",
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    timeout = urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS)
    if scheme == "https":
        # Connect to the checked address; the certificate is still verified for the host name.
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            maxsize=1,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, maxsize=1)
    try:
        response = pool.urlopen(
            "GET",
            parts.request_uri,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
    except (ConnectTimeoutError, ReadTimeoutError):
        pool.close()
        raise FetchError(f"no answer from {host} in time") from None
    except SSLError:
        pool.close()
        raise FetchError(f"the HTTPS certificate of {host} could not be verified") from None
    except NewConnectionError:
        pool.close()
        raise FetchError(f"could not connect to {host}") from None
    except HTTPError as error:
        pool.close()
        raise FetchError(f"the connection to {host} failed ({type(error).__name__})") from None
    return response, pool


def _checked_address(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to, after checking every address the host resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"the host “{host}” was not found") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError(f"the host “{host}” was not found")
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
                ip = ip.ipv4_mapped
            if not ip.is_global or ip.is_multicast:
                raise FetchError(
                    f"the host “{host}” is at a private, loopback or link-local address ({ip}); "
                    "Framescope does not fetch from its own network"
                )
    return addresses[0]


def _page_type(content_type: str) -> tuple[str, str | None]:
    message = Message()
    message["Content-Type"] = content_type
    media_type = message.get_content_type() if content_type else ""
    if media_type not in PAGE_TYPES:
        raise FetchError(f"the server sent “{media_type or 'no content type'}”, not a web page, text or feed")
    charset = message.get_param("charset")
    return PAGE_TYPES[media_type], charset if isinstance(charset, str) else None


def _read(response: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise FetchError(f"the page is larger than {MAX_BYTES // 1_000_000} MB")
    chunks, size = [], 0
    try:
        for chunk in response.stream(65536):
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError(f"the page is larger than {MAX_BYTES // 1_000_000} MB")
            if time.monotonic() > deadline:
                raise FetchError(f"the page took longer than {TOTAL_SECONDS:.0f} seconds to arrive")
            chunks.append(chunk)
    except ReadTimeoutError:
        raise FetchError("the server stopped sending the page") from None
    except HTTPError as error:
        raise FetchError(f"the page arrived broken ({type(error).__name__})") from None
    return b"".join(chunks)


def host_of(url: str) -> str:
    """The host of a URL as outlets are matched on it: lower case, without "www."."""
    try:
        host = (parse_url(url).host or "").lower().strip("[]")
    except LocationParseError:
        return ""
    return host.removeprefix("www.")
