"""Text people write in Markdown (minutes), shown as HTML: the one home of markdown-it-py."""

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@lru_cache
def _parser() -> MarkdownIt:
    # CommonMark with raw HTML switched off: a <script> someone types is shown as text, and
    # markdown-it refuses javascript:, vbscript:, file: and data: links on its own.
    return MarkdownIt("commonmark", {"html": False})


def to_html(text: str) -> Markup:
    """The text rendered as safe HTML."""
    return Markup(_parser().render(text))  # safe: raw HTML is off in the parser
