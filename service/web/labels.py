"""Names of statuses and colours as people read them, in one place, translated per request.

Templates name a stored value with the `label` filter: `{{ meeting.status | label("meeting") }}`.
"""

from collections.abc import Callable
from enum import Enum

from models.deliverables import DeliverableField
from models.errors import N_
from service import formatting
from service.deliverables import deliverables
from service.i18n import translations

# Every stored value people read, by kind: the `label` filter's and the audit log's words.
KINDS: dict[str, dict[str, str]] = {
    "meeting": {
        "planned": N_("planned"),
        "confirmed": N_("confirmed"),
        "postponed": N_("postponed"),
        "cancelled": N_("cancelled"),
        "held": N_("held"),
    },
    "agenda_item": {
        "accepted": N_("on the agenda"),
        "proposed": N_("set aside (does not fit yet)"),
        "moved": N_("moved to the next meeting"),
        "dropped": N_("dropped"),
    },
    "deliverable": {
        "planned": N_("planned"),
        "in_progress": N_("in progress"),
        "at_risk": N_("at risk"),
        "blocked": N_("blocked"),
        "delivered": N_("delivered"),
        "dropped": N_("dropped"),
    },
    "question": {
        "waiting": N_("waiting"),
        "on_agenda": N_("on the agenda"),
        "answered": N_("answered"),
        "decision": N_("led to a decision"),
        "deliverable": N_("led to a deliverable"),
        "carried_over": N_("carried over to the next meeting"),
        "not_handled": N_("not handled"),
        "withdrawn": N_("withdrawn"),
    },
    # Why a step nobody wrote was taken (service.questions.fate.Step.reason).
    "question_reason": {
        "not_on_agenda": N_("it did not make it onto the agenda"),
        "no_outcome": N_("the minutes record no outcome for it"),
        "moved": N_("its item was moved to the next meeting"),
        "declined": N_("declined as late input"),
    },
    "minutes": {
        "draft": N_("draft"),
        "in_review": N_("in review"),
        "approved": N_("approved"),
        "corrected": N_("replaced by a correction"),
    },
    "colour": {"red": N_("red"), "amber": N_("amber"), "green": N_("green")},
    "attendance": {"present": N_("present"), "excused": N_("excused"), "absent": N_("absent")},
    "deliverable_field": {
        "status": N_("Status"),
        "due": N_("Due date"),
        "progress": N_("Progress"),
        "accountable": N_("Accountable"),
    },
    "role": {
        "chair": N_("chair"),
        "member": N_("member"),
        "observer": N_("observer"),
        "external_expert": N_("external expert"),
        "secretariat": N_("secretariat"),
    },
    "staff_role": {
        "none": N_("none"),
        "secretariat": N_("secretariat"),
        "director": N_("director"),
    },
    "language": {"nl": "Nederlands", "en": "English", "fr": "Français"},
    "organisation_kind": {
        "centre_city": N_("centre city"),
        "community_commission": N_("community commission"),
        "local_government": N_("local government"),
        "care_company": N_("care company"),
        "government_agency": N_("government agency"),
        "knowledge_institution": N_("knowledge institution"),
        "company": N_("company"),
        "association": N_("association"),
        "knowledge_centre": N_("knowledge centre"),
    },
    # What erasing a person does to the rows of each table that points at them.
    "personal_data": {
        "api_key": N_("API keys"),
        "feed_token": N_("calendar links"),
        "sign_in_link": N_("sign-in links"),
        "web_session": N_("browser sessions"),
        "notification": N_("messages in the outbox (address and content)"),
        "submission": N_("questions sent for agendas"),
        "attendance": N_("attendance records"),
        "agenda_version": N_("agenda versions published"),
        "meeting_change": N_("changes to meetings"),
        "minutes_version": N_("minutes written or approved"),
        "minutes_comment": N_("comments on minutes"),
        "deliverable": N_("deliverables they are accountable for"),
        "deliverable_change": N_("changes to deliverables"),
        "deliverable_contributor": N_("deliverables they contribute to"),
        "membership": N_("memberships of working groups"),
    },
    "group_kind": {
        "werkgroep": N_("working group"),
        "lerend_netwerk": N_("learning network"),
        "stuurgroep": N_("steering group"),
        "traject": N_("track"),
        "taskforce": N_("task force"),
    },
    "group_status": {
        "proposed": N_("proposed"),
        "active": N_("active"),
        "on_hold": N_("on hold"),
        "on_call": N_("meets when asked"),
        "closed": N_("archived"),
    },
    "work": {
        "draft_agenda": N_("Draft agenda to review"),
        "call_closing": N_("Call for input closes"),
        "late_input": N_("Late input to decide"),
        "minutes_overdue": N_("Minutes overdue"),
        "review_ended": N_("Review ended: approve the minutes"),
        "deliverable_overdue": N_("Deliverable overdue"),
        "postponed_without_day": N_("Postponed without a day: set one"),
        "mail_failed": N_("Mail not delivered"),
    },
    "reply": {
        "accepted": N_("comes"),
        "tentative": N_("maybe"),
        "declined": N_("cannot come"),
        "stand_in": N_("sends a stand-in"),
        "none": N_("not answered"),
    },
    "answer_choice": {
        "in_person": N_("I come (in person)"),
        "online": N_("I come (online)"),
        "declined": N_("I cannot come"),
        "stand_in": N_("I send a stand-in"),
    },
    "attend_mode": {"in_person": N_("in person"), "online": N_("online")},
    "told": {
        "invitation": N_("the updated invitation by email"),
        "direct": N_("an email, their calendar feed not having fetched it"),
        "feed": N_("their calendar feed"),
        "waiting": N_("not yet"),
    },
    "reply_reason": {
        "too_large": N_("too large to read"),
        "no_reply": N_("no calendar answer in it"),
        "malformed": N_("the calendar part cannot be read"),
        "no_attendee": N_("the answer names no one"),
        "unknown_meeting": N_("names no meeting of Overleg"),
        "unknown_person": N_("sent from an address Overleg does not know"),
        "not_invited": N_("the person is not in the group"),
        "meeting_cancelled": N_("the meeting is cancelled or postponed"),
        "meeting_started": N_("arrived after the meeting started"),
        "day_changed": N_("answers an earlier day of the meeting"),
        "future_sequence": N_("answers a version Overleg never sent"),
        "no_answer": N_("says neither yes, maybe nor no"),
    },
    "import_outcome": {
        "new_person": N_("new person"),
        "new_membership": N_("joins the group"),
        "role_change": N_("new role"),
        "already_there": N_("already there"),
        "refused": N_("refused"),
    },
    "audit_action": {
        "create": N_("created"),
        "update": N_("changed"),
        "delete": N_("deleted"),
        "erase": N_("erased"),
    },
    "audit_thing": {
        "meeting": N_("meeting"),
        "agenda_call": N_("call for input"),
        "agenda_version": N_("agenda"),
        "agenda_item": N_("agenda item"),
        "submission": N_("question"),
        "question_fate": N_("outcome of a question"),
        "minutes_version": N_("minutes"),
        "minutes_comment": N_("comment on minutes"),
        "attendance": N_("attendance"),
        "deliverable": N_("deliverable"),
        "decision": N_("decision"),
        "person": N_("person"),
        "organisation": N_("organisation"),
        "working_group": N_("working group"),
        "membership": N_("membership"),
        "material": N_("material"),
        "material_version": N_("version of a material"),
        "homework_assignment": N_("homework"),
        "homework_question": N_("homework question"),
        "homework_answer": N_("homework answer"),
        "homework_revision": N_("edit of a homework answer"),
        "feed_token": N_("calendar link"),
        "api_key": N_("API key"),
        "meeting_reply": N_("answer to an invitation"),
        "meeting_series": N_("series of meetings"),
        "meeting_change": N_("change of a meeting"),
        "group_theme": N_("theme of a group"),
        "deliverable_contributor": N_("contributor to a deliverable"),
        "deliverable_change": N_("change of a deliverable"),
        "reply_message": N_("answer by email"),
    },
    # Fields of the audit log as people name them; others are shown by their name with spaces.
    "audit_field": {
        "title": N_("title"),
        "body": N_("text"),
        "status": N_("status"),
        "status_reason": N_("reason"),
        "reason": N_("reason"),
        "name": N_("name"),
        "email": N_("email address"),
        "language": N_("language"),
        "starts_at": N_("start"),
        "ends_at": N_("end"),
        "location": N_("place"),
        "join_url": N_("online link"),
        "deadline": N_("deadline"),
        "opens_at": N_("opens"),
        "position": N_("place in the order"),
        "duration_minutes": N_("duration in minutes"),
        "number": N_("version"),
        "answer": N_("answer"),
        "comment": N_("comment"),
        "received_at": N_("received"),
        "recorded_at": N_("recorded"),
        "created_at": N_("created"),
        "updated_at": N_("changed"),
        "due_on": N_("due"),
        "progress": N_("progress"),
        "question": N_("question"),
        "rank": N_("choice"),
        "revision": N_("revision"),
        "counts": N_("counts"),
        "description": N_("description"),
        "active": N_("active"),
    },
}


def translated(kind: str, gettext: Callable[[str], str]) -> dict[str, str]:
    """The labels of a kind in the reader's language."""
    return {key: gettext(value) for key, value in KINDS[kind].items()}


def named(kind: str, key: str, gettext: Callable[[str], str]) -> str | None:
    """A stored value of a kind as people read it, in their language; None when it has no name."""
    text = KINDS[kind].get(key)
    return gettext(text) if text is not None else None


def filter_for(language: str) -> Callable[[object, str], str]:
    """The `label` filter for pages in a language: a stored value as people read it."""
    gettext = translations(language).gettext

    def label(value: object, kind: str) -> str:
        key = value.value if isinstance(value, Enum) else str(value)
        return named(kind, key, gettext) or key

    return label


def history_value(
    field: DeliverableField, value: str | None, *, gettext: Callable[[str], str], language: str
) -> str | None:
    """A value of a deliverable's history as people read it, not as it is stored.

    A status by its translated name, a due date as its (fuzzy) period, progress out of 100.
    """
    if value is None:
        return None
    if field is DeliverableField.status:
        return named("deliverable", value, gettext) or value
    if field is DeliverableField.due:
        day, precision = deliverables.parse_due_label(value)
        return formatting.period(day, precision, language)
    if field is DeliverableField.progress:
        return f"{value}/100"
    return value
