"""What pages and the API share: the place a form names, and who may change what is shown."""

from dataclasses import dataclass

from models.agenda import AgendaItem
from models.errors import N_, NotFound
from models.meetings import Meeting
from service.access.permissions import Principal
from service.materials import places
from service.materials.places import Place
from service.web.deps import Session


def where(session: Session, meeting: Meeting, item: str | int | None) -> Place:
    """The meeting (no item given) or one of its agenda items, by the item's key."""
    if item is None or item == "":
        return places.of_meeting(meeting)
    try:
        key = int(item)
    except ValueError:
        raise NotFound(N_("Unknown agenda item."), field="item") from None
    return places.item(session, meeting=meeting, item_key=key)[0]


@dataclass(frozen=True)
class Rights:
    """What the reader may change on a meeting's materials."""

    manages: bool
    presents: frozenset[int]  # the keys of the items they present

    def may_change(self, item_key: int | None) -> bool:
        """Whether they may add to (or change) the meeting's own materials or an item's."""
        return self.manages or (item_key is not None and item_key in self.presents)


def rights(principal: Principal | None, meeting: Meeting, items: list[AgendaItem]) -> Rights:
    """The reader's rights on this meeting's materials."""
    if principal is None:
        return Rights(False, frozenset())
    manages = principal.manages(meeting.group_id)
    return Rights(
        manages, frozenset(i.item_key for i in items if i.presenter_id == principal.person.id)
    )
