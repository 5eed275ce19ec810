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

MEETING_STATUS = {
    "planned": N_("planned"),
    "confirmed": N_("confirmed"),
    "postponed": N_("postponed"),
    "cancelled": N_("cancelled"),
    "held": N_("held"),
}
AGENDA_ITEM_STATUS = {
    "accepted": N_("on the agenda"),
    "proposed": N_("set aside (does not fit yet)"),
    "moved": N_("moved to the next meeting"),
    "dropped": N_("dropped"),
}
DELIVERABLE_STATUS = {
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "at_risk": N_("at risk"),
    "blocked": N_("blocked"),
    "delivered": N_("delivered"),
    "dropped": N_("dropped"),
}
QUESTION_STATUS = {
    "waiting": N_("waiting"),
    "on_agenda": N_("on the agenda"),
    "answered": N_("answered"),
    "decision": N_("led to a decision"),
    "deliverable": N_("led to a deliverable"),
    "carried_over": N_("carried over to the next meeting"),
    "not_handled": N_("not handled"),
    "withdrawn": N_("withdrawn"),
}
# Why a step nobody wrote was taken (service.questions.fate.Step.reason).
QUESTION_REASON = {
    "not_on_agenda": N_("it did not make it onto the agenda"),
    "no_outcome": N_("the minutes record no outcome for it"),
    "moved": N_("its item was moved to the next meeting"),
    "declined": N_("declined as late input"),
}
MINUTES_STATUS = {
    "draft": N_("draft"),
    "in_review": N_("in review"),
    "approved": N_("approved"),
    "corrected": N_("replaced by a correction"),
}
COLOURS = {"red": N_("red"), "amber": N_("amber"), "green": N_("green")}
ATTENDANCE_STATUS = {"present": N_("present"), "excused": N_("excused"), "absent": N_("absent")}
DELIVERABLE_FIELD = {
    "status": N_("Status"),
    "due": N_("Due date"),
    "progress": N_("Progress"),
    "accountable": N_("Accountable"),
}
MEMBERSHIP_ROLE = {
    "chair": N_("chair"),
    "member": N_("member"),
    "observer": N_("observer"),
    "external_expert": N_("external expert"),
    "secretariat": N_("secretariat"),
}
STAFF_ROLE = {"none": N_("none"), "secretariat": N_("secretariat"), "director": N_("director")}
LANGUAGE = {"nl": "Nederlands", "en": "English", "fr": "Français"}
ORGANISATION_KIND = {
    "centre_city": N_("centre city"),
    "community_commission": N_("community commission"),
    "local_government": N_("local government"),
    "care_company": N_("care company"),
    "government_agency": N_("government agency"),
    "knowledge_institution": N_("knowledge institution"),
    "company": N_("company"),
    "association": N_("association"),
    "knowledge_centre": N_("knowledge centre"),
}
# What erasing a person does to the rows of each table that points at them.
PERSONAL_DATA = {
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
}
GROUP_KIND = {
    "werkgroep": N_("working group"),
    "lerend_netwerk": N_("learning network"),
    "stuurgroep": N_("steering group"),
    "traject": N_("track"),
    "taskforce": N_("task force"),
}
GROUP_STATUS = {
    "proposed": N_("proposed"),
    "active": N_("active"),
    "on_hold": N_("on hold"),
    "on_call": N_("meets when asked"),
    "closed": N_("archived"),
}
WORK_KIND = {
    "draft_agenda": N_("Draft agenda to review"),
    "call_closing": N_("Call for input closes"),
    "late_input": N_("Late input to decide"),
    "minutes_overdue": N_("Minutes overdue"),
    "review_ended": N_("Review ended: approve the minutes"),
    "deliverable_overdue": N_("Deliverable overdue"),
    "postponed_without_day": N_("Postponed without a day: set one"),
    "mail_failed": N_("Mail not delivered"),
}
REPLY_ANSWER = {
    "accepted": N_("comes"),
    "tentative": N_("maybe"),
    "declined": N_("cannot come"),
    "stand_in": N_("sends a stand-in"),
    "none": N_("not answered"),
}
ANSWER_CHOICE = {
    "in_person": N_("I come (in person)"),
    "online": N_("I come (online)"),
    "declined": N_("I cannot come"),
    "stand_in": N_("I send a stand-in"),
}
ATTEND_MODE = {"in_person": N_("in person"), "online": N_("online")}
TOLD = {
    "invitation": N_("the updated invitation by email"),
    "direct": N_("an email, their calendar feed not having fetched it"),
    "feed": N_("their calendar feed"),
    "waiting": N_("not yet"),
}
REPLY_REASON = {
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
}
IMPORT_OUTCOME = {
    "new_person": N_("new person"),
    "new_membership": N_("joins the group"),
    "role_change": N_("new role"),
    "already_there": N_("already there"),
    "refused": N_("refused"),
}
KINDS: dict[str, dict[str, str]] = {
    "role": MEMBERSHIP_ROLE,
    "staff_role": STAFF_ROLE,
    "language": LANGUAGE,
    "organisation_kind": ORGANISATION_KIND,
    "personal_data": PERSONAL_DATA,
    "meeting": MEETING_STATUS,
    "agenda_item": AGENDA_ITEM_STATUS,
    "deliverable": DELIVERABLE_STATUS,
    "colour": COLOURS,
    "attendance": ATTENDANCE_STATUS,
    "deliverable_field": DELIVERABLE_FIELD,
    "minutes": MINUTES_STATUS,
    "question": QUESTION_STATUS,
    "question_reason": QUESTION_REASON,
    "group_kind": GROUP_KIND,
    "group_status": GROUP_STATUS,
    "work": WORK_KIND,
    "reply": REPLY_ANSWER,
    "answer_choice": ANSWER_CHOICE,
    "told": TOLD,
    "attend_mode": ATTEND_MODE,
    "reply_reason": REPLY_REASON,
    "import_outcome": IMPORT_OUTCOME,
}


def translated(labels: dict[str, str], gettext: Callable[[str], str]) -> dict[str, str]:
    """The labels in the reader's language."""
    return {key: gettext(value) for key, value in labels.items()}


def filter_for(language: str) -> Callable[[object, str], str]:
    """The `label` filter for pages in a language: a stored value as people read it."""
    gettext = translations(language).gettext

    def label(value: object, kind: str) -> str:
        key = value.value if isinstance(value, Enum) else str(value)
        text = KINDS[kind].get(key)
        return gettext(text) if text is not None else key

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
        return gettext(DELIVERABLE_STATUS.get(value, value))
    if field is DeliverableField.due:
        day, precision = deliverables.parse_due_label(value)
        return formatting.period(day, precision, language)
    if field is DeliverableField.progress:
        return f"{value}/100"
    return value
