"""The articles an RSS or Atom feed or a sitemap lists, to pick from before importing them.

The XML is parsed with entities, DTDs and the network off, so a feed cannot make the
parser read files or expand itself into gigabytes; at most MAX_LINKS links are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

MAX_LINKS = 200
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False)


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str


class NotAFeed(ValueError):
    """The document is not an RSS or Atom feed or a sitemap."""


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element: etree._Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return " ".join((child.text or "").split())
    return ""


def _atom_link(entry: etree._Element) -> str:
    links = [child for child in entry if _local(child.tag) == "link"]
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "")
    return links[0].get("href", "") if links else ""


def feed_links(data: bytes) -> list[FeedLink]:
    """The links a feed or sitemap lists, in its order, http(s) only; NotAFeed when it is neither."""
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise NotAFeed(f"not readable XML ({error})"[:200]) from None
    kind = _local(root.tag)
    links: list[FeedLink] = []
    if kind in ("rss", "RDF"):
        for item in root.iter():
            if _local(item.tag) == "item":
                links.append(FeedLink(_text(item, "link"), _text(item, "title")))
    elif kind == "feed":
        for entry in root:
            if _local(entry.tag) == "entry":
                links.append(FeedLink(_atom_link(entry), _text(entry, "title")))
    elif kind in ("urlset", "sitemapindex"):
        for url in root:
            if _local(url.tag) in ("url", "sitemap"):
                links.append(FeedLink(_text(url, "loc"), ""))
    else:
        raise NotAFeed(f"an XML document of kind “{kind[:40]}”, not an RSS or Atom feed or a sitemap")
    seen: set[str] = set()
    found = []
    for link in links:
        if link.url.startswith(("http://", "https://")) and link.url not in seen:
            seen.add(link.url)
            found.append(link)
    return found[:MAX_LINKS]
