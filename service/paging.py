"""A page of a list that grows with the organisation: which page, how long, how many in all."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Paging:
    """Page `number` (from 1) of `size` items out of `total`; a page past the end is empty."""

    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        """How many items come before this page."""
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        """How many pages there are (at least one, even when the list is empty)."""
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first item, 0 when the page is empty."""
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        """The position of the page's last item."""
        return min(self.offset + self.size, self.total)
