"""Import by URL over HTTPS, against a local TLS server with a certificate made for the test.

The certificate is made with `/usr/bin/openssl` (Debian's, on every machine the suite
runs on). Trusting it is done the way an operator would trust a private CA: `SSL_CERT_FILE`.
"""

from __future__ import annotations

import ssl
import subprocess
import threading
from http.server import ThreadingHTTPServer

import pytest
from django.core.management import CommandError

from coverage.models import Article

from .conftest import make_outlet
from .test_import_urls import _Handler, event, html, run  # noqa: F401 - event is a fixture


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[str, str]:
    """A self-signed certificate for localhost and 127.0.0.1, and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.fixture
def tls_server(settings, certificate):
    settings.IMPORT_ALLOW_PRIVATE_HOSTS = True
    _Handler.routes, _Handler.seen = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.base = f"https://localhost:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_an_https_page_with_a_trusted_certificate_is_imported(tls_server, certificate, event, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    tls_server.RequestHandlerClass.routes["/news/tram"] = html()
    outlet = make_outlet(slug="valley-post", website=f"{tls_server.base}/")
    run(f"{tls_server.base}/news/tram", "--event", event.slug)
    article = Article.objects.get()
    assert article.outlet == outlet
    assert article.url == f"{tls_server.base}/news/tram"
    assert article.headline == "Council approves the airport tram line"


def test_an_https_page_whose_certificate_cannot_be_verified_is_refused(tls_server, event):  # noqa: F811
    tls_server.RequestHandlerClass.routes["/news/tram"] = html()
    make_outlet(slug="valley-post", website=f"{tls_server.base}/")
    with pytest.raises(CommandError, match=r"the HTTPS certificate of localhost could not be verified"):
        run(f"{tls_server.base}/news/tram", "--event", event.slug)
    assert not Article.objects.exists()
