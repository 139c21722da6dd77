"""What page furniture looks like: the words and line shapes that are not article text.

Pure data and line tests for `coverage.cleaning`; every entry was added for a line seen on
real pages, and each has a test in tests/test_cleaning.py. No models, no database.
"""

from __future__ import annotations

import re

LEADING_FURNITURE = {
    "skip to main content",
    "skip to content",
    "skip to navigation",
    "menu",
    "search",
    "advertisement",
    "home",
    "navigation",
    "close",
    "sign in",
    "log in",
    "subscribe",
    "zum inhalt springen",
    "anzeige",
    "werbung",
}
TRAILING_FURNITURE = {
    "popular video",
    "popular videos",
    "advertisement",
    "share this article",
    "share this story",
    "share this",
    "share",
    "share on facebook",
    "share on twitter",
    "tweet",
    "related articles",
    "read more",
    "comments",
    "print",
    "email",
    "anzeige",
    "werbung",
    "teilen",
    "artikel teilen",
    "kommentare",
}
# Furniture that scrapers glue to the last paragraph without a line break. Only phrases
# that no sentence ends with: "print" or "email" would split "blueprint".
GLUED_TRAILERS = {"popular video", "popular videos", "advertisement", "share this article", "related articles"}
# Whole lines that are never article text, wherever they stand.
ANYWHERE_FURNITURE = {
    "advertisement",
    "anzeige",
    "werbung",
    "share this article",
    "share this story",
    "share this",
    "share",
    "tweet",
    "related news",
    "related",
    "related stories",
    "related coverage",
    "related content",
    "related topics",
    "read more",
    "read also",
    "see also",
    "lesen sie auch",
    "mehr zum thema",
    "click to share",
    "teilen",
    "artikel teilen",
}
# A line that opens the page's own sections after the article: the body ends before it.
SECTION_ENDS = {
    "related news",
    "related articles",
    "related stories",
    "related coverage",
    "more on this story",
    "more from this section",
    "most read",
    "most popular",
    "popular video",
    "popular videos",
    "comments",
    "kommentare",
    "mehr zum thema",
    "weitere artikel",
}
SECTION_BANNERS = {
    "news",
    "world",
    "world news",
    "politics",
    "business",
    "economy",
    "europe",
    "asia",
    "americas",
    "africa",
    "middle east",
    "opinion",
    "analysis",
    "breaking news",
    "live",
    "exclusive",
    "international",
    "national",
    "local",
    "sport",
    "sports",
    "science",
    "technology",
    "culture",
    "nachrichten",
    "politik",
    "ausland",
    "inland",
    "wirtschaft",
    "welt",
    "actualités",
    "monde",
    "politique",
}
SOCIAL_WORDS = {
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "telegram",
    "linkedin",
    "reddit",
    "email",
    "e-mail",
    "mail",
    "print",
    "copy",
    "link",
    "messenger",
    "pinterest",
    "vk",
    "flipboard",
    "share",
    "tweet",
}
ICON_WORD = re.compile(r"\S*icon\b", re.IGNORECASE)
PHOTO_CREDIT = re.compile(r"\s*/\s*Photo credit:.*$", re.IGNORECASE)
# "Photo: Reuters", "Image caption Protesters …", "© AFP 2019", "Foto: dpa", "Credits: …"
CREDIT_LINE = re.compile(
    r"^\(?\s*(?:photo|photos|photograph|image|images|picture|pictures|foto|fotos|bild|bilder|video|"
    r"credits?|photo credits?|image credits?|image copyright|image caption|media caption|caption|"
    r"bildunterschrift|bildquelle|copyright|getty images|ap photo|afp photo|reuters photo)\b\s*[:|/–-]?\s*\S|^\s*©",
    re.IGNORECASE,
)
# A caption that ends in its credit: "Protesters in Lyon on Saturday. (Photo: AFP)"
CAPTION_TAIL = re.compile(
    r"(?:\((?:photo|foto|image|picture|bild)\b[^)]{0,80}\)|(?:photo|foto|image|picture|bild)(?: credit)?:\s*[^.]{1,60})$",
    re.IGNORECASE,
)
# Wire-service credits at the end: "Reporting by Jane Doe; Editing by John Roe"
STAFF_CREDITS = re.compile(
    r"^\(?\s*(?:additional |further )?(?:reporting|writing|editing|compiled|produced|research|mitarbeit)"
    r"(?: by| von)?\b.{0,200}$",
    re.IGNORECASE,
)
LIKE_COUNTER = re.compile(
    r"^(?:\d[\d.,]*\s*[km]?\+?\s*(?:likes?|shares?|comments?|views?|reactions?|kommentare?|"
    r"gefällt mir|mal geteilt|retweets?)|(?:likes?|shares?|comments?|kommentare)\s*[:(]?\s*\d[\d.,]*\s*[km]?\)?|"
    r"[👍❤️💬🔁\s]*\d[\d.,]*\s*[km]?)$",
    re.IGNORECASE,
)
SHARE_PROMPT = re.compile(
    r"^(?:share|teilen|partager)(?: this| the)?(?: article| story| page| post| artikel)?"
    r"(?: on| via| with| auf| per| sur)?(?: [\w-]+)?\s*:?$|^click to share\b.*$|^follow us\b.{0,60}$",
    re.IGNORECASE,
)
SUBSCRIBE = re.compile(
    r"^(?:subscribe|sign up|abonnieren|jetzt abonnieren|newsletter)\b.{0,120}$|^get (?:our|the) .{0,40}newsletter",
    re.IGNORECASE,
)
# "READ MORE: Another headline", "Related: …", "Lesen Sie auch: …": a link to another article.
LINK_LINE = re.compile(
    r"^(?:read more|read also|related|see also|watch|more|lesen sie auch|mehr zum thema|auch interessant)\s*[:›»>|]\s*\S",
    re.IGNORECASE,
)
BREADCRUMB = re.compile(r"^[\w .&'-]{1,30}(?:\s*[›»>/|]\s*[\w .&'-]{1,30}){1,5}$")


def line_key(line: str) -> str:
    return " ".join(line.split()).lower().rstrip(":")


def is_icon_line(line: str) -> bool:
    return len(ICON_WORD.findall(line)) >= 3


def is_furniture(line: str) -> bool:
    """A whole line that is page furniture wherever it stands (not article text)."""
    key = line_key(line)
    if not key:
        return False
    words = key.split()
    return bool(
        key in ANYWHERE_FURNITURE
        or is_icon_line(line)
        or CREDIT_LINE.match(line.strip())
        or STAFF_CREDITS.match(line.strip())
        or LIKE_COUNTER.match(key)
        or SHARE_PROMPT.match(key)
        or SUBSCRIBE.match(key)
        or LINK_LINE.match(key)
        or (len(words) <= 8 and all(w.strip(",;:|·•") in SOCIAL_WORDS for w in words))
        or (len(words) <= 40 and CAPTION_TAIL.search(line.strip()))
    )


def is_head_furniture(line: str) -> bool:
    """Furniture that stands above a headline: masthead, section banner, breadcrumbs."""
    key = line_key(line)
    return bool(
        key in LEADING_FURNITURE
        or key in SECTION_BANNERS
        or is_furniture(line)
        or (BREADCRUMB.match(key) and len(key.split()) <= 8 and not key.endswith("."))
    )
