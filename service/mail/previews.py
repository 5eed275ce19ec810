"""Every kind of message rendered with demo data, in each language, for the preview page."""

from dataclasses import dataclass
from typing import Any

from service.i18n import LANGUAGES
from service.mail import messages

# What every email about a call for input or a homework assignment says (service.agenda.calls).
_NIS2_CALL: dict[str, Any] = {
    "group_name": "Werkgroep NIS2",
    "meeting_title": "NIS2 – overleg 1/2027",
    "meeting_at": "2027-02-11T09:00:00+00:00",
    "deadline_at": "2027-02-04T16:00:00+00:00",
}
_HOMEWORK: dict[str, Any] = {
    **_NIS2_CALL,
    "title": "Stand van de NIS2-registratie",
    "per_member": False,
    "url": "https://overleg.kcvs.example/homework/voorbeeld",
}
# What the reminders before a meeting say of it (service.lifecycle.attendance_steps).
_NIS2_MEETING: dict[str, Any] = {
    "meeting_title": "Werkgroep NIS2 – vergadering 4/2026",
    "group_name": "Werkgroep NIS2",
    "starts_at": "2026-12-10T09:00:00+00:00",
    "ends_at": "2026-12-10T11:00:00+00:00",
    "location": None,
    "join_url": "https://meet.example/nis2-20261210",
    "url": "https://overleg.kcvs.example/groups/nis2/meetings/12",
    "answer_url": "https://overleg.kcvs.example/answer/TOKEN",
}
_FORM_URL = "https://overleg.kcvs.example/input/voorbeeld"

# What the code that queues each kind writes into the outbox, with demo values.
DEMO_CONTEXTS: dict[str, dict[str, Any]] = {
    "homework_invitation": {**_HOMEWORK},
    "homework_reminder": {**_HOMEWORK},
    "agenda_draft_ready": {
        **_NIS2_CALL,
        "url": "https://overleg.kcvs.example/groups/nis2/meetings/12/agenda/review",
    },
    "agenda_call_open": {
        **_NIS2_CALL,
        "max_questions": 3,
        "guidance": "Denk aan wat je stad dit jaar moet regelen voor de registratie bij het CCB.",
        "url": _FORM_URL,
    },
    "agenda_call_reminder": {**_NIS2_CALL, "max_questions": 3, "guidance": None, "url": _FORM_URL},
    "agenda_call_deadline_moved": {
        **_NIS2_CALL,
        "deadline_at": "2027-02-08T16:00:00+00:00",
        "previous_deadline_at": "2027-02-04T16:00:00+00:00",
    },
    "agenda_changed": {
        "meeting_title": "Werkgroep NIS2 – vergadering 1/2027",
        "meeting_at": "2027-01-19T13:00:00+00:00",
        "version": 2,
        "note": "Op vraag van de voorzitter.",
        "changes": [
            {
                "kind": "added",
                "title": "Registratie op Safeonweb@work",
                "old_title": None,
                "minutes": 20,
                "old_minutes": None,
            },
            {
                "kind": "renamed",
                "title": "Essentiële of belangrijke entiteit?",
                "old_title": "Wat valt onder essentiële entiteit?",
                "minutes": None,
                "old_minutes": None,
            },
            {
                "kind": "reordered",
                "title": "Meldplicht bij incidenten",
                "old_title": None,
                "minutes": None,
                "old_minutes": None,
            },
            {
                "kind": "duration",
                "title": "Meldplicht bij incidenten",
                "old_title": None,
                "minutes": 30,
                "old_minutes": 20,
            },
            {
                "kind": "moved_on",
                "title": "Budget in het meerjarenplan",
                "old_title": None,
                "minutes": None,
                "old_minutes": None,
            },
            {
                "kind": "dropped",
                "title": "Copilot & vertrouwelijke <dossiers>",
                "old_title": None,
                "minutes": None,
                "old_minutes": None,
            },
            {
                "kind": "removed",
                "title": "Back-ups",
                "old_title": None,
                "minutes": None,
                "old_minutes": None,
            },
        ],
        "agenda": [
            {"position": 1, "title": "Welkom", "minutes": 5},
            {"position": 2, "title": "Meldplicht bij incidenten", "minutes": 30},
            {"position": 3, "title": "Essentiële of belangrijke entiteit?", "minutes": 30},
            {"position": 4, "title": "Registratie op Safeonweb@work", "minutes": 20},
            {"position": 5, "title": "Praktische vragen", "minutes": 10},
        ],
    },
    "minutes_reminder": {
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "meeting_at": "2026-02-10T13:00:00+00:00",
        "stage": "secretariat",
        "url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/minutes",
    },
    "meeting_invitation": {
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "group_name": "Werkgroep GDPR",
        "starts_at": "2026-02-10T13:00:00+00:00",
        "ends_at": "2026-02-10T15:00:00+00:00",
        "location": None,
        "join_url": "https://meet.example/gdpr-20260210",
        "url": "https://overleg.kcvs.example/groups/gdpr",
        "materials_url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/materials",
        "answer_url": "https://overleg.kcvs.example/answer/TOKEN",
        "update": False,
    },
    "meeting_reminder": {
        **_NIS2_MEETING,
        "agenda": ["Registratie bij het CCB", "Bewustmaking van het personeel"],
        "materials_url": "https://overleg.kcvs.example/groups/nis2/meetings/12/materials",
    },
    "absent_organisation": {**_NIS2_MEETING, "organisation": "Stad Leuven"},
    "meeting_change_notice": {
        "meeting_title": "Werkgroep NIS2 – vergadering 4/2026",
        "group_name": "Werkgroep NIS2",
        "starts_at": "2026-12-10T13:00:00+00:00",
        "ends_at": "2026-12-10T15:00:00+00:00",
        "previous_starts_at": "2026-12-10T09:00:00+00:00",
        "location": "Stadhuis, Grote Markt 1, 2000 Antwerpen",
        "join_url": None,
        "reason": "De zaal is 's ochtends bezet",
        "url": "https://overleg.kcvs.example/groups/nis2/meetings/12",
    },
    "meeting_cancellation": {
        "meeting_title": "Netwerkdag Interne audit en continue verbetering",
        "group_name": "KBO – Kwaliteit, Beleid & Organisatiebeheersing",
        "starts_at": "2025-12-18T08:30:00+00:00",
        "ends_at": "2025-12-18T15:30:00+00:00",
        "location": "Bischoffsheimlaan 1-8, 1000 Brussel",
        "join_url": None,
        "url": "https://overleg.kcvs.example/groups/kbo",
        "postponed": True,
        "postponed_to": "februari 2026",
        "reason": "Verplaatst naar februari 2026 door onverwachte omstandigheden",
    },
    "minutes_review": {
        "group_name": "GDPR",
        "group_slug": "gdpr",
        "meeting_id": 7,
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "meeting_at": "2026-02-10T13:00:00+00:00",
        "version": 1,
        "is_correction": False,
        "review_deadline_at": "2026-02-20T16:00:00+00:00",
        "url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/minutes#version-1",
    },
    "materials_reminder": {
        "meeting_title": "Werkgroep NIS2 – vergadering 1/2027",
        "meeting_at": "2027-02-11T09:00:00+00:00",
        "item_title": "Incidenten melden aan het CCB",
        "deadline_at": "2027-02-08T16:00:00+00:00",
        "url": "https://overleg.kcvs.example/groups/nis2/meetings/12/materials",
    },
    "question_fate": {
        "group_name": "NIS2",
        "meeting_title": "Werkgroep NIS2 – vergadering 1/2027",
        "meeting_at": "2027-02-11T09:00:00+00:00",
        "questions": [
            {
                "id": 41,
                "question": "Zijn wij een essentiële of belangrijke entiteit?",
                "status": "answered",
                "note": "Centrumsteden zijn essentiële entiteiten; zie de nota van het CCB.",
                "item": "Essentiële of belangrijke entiteit?",
                "deliverable": None,
                "reason": None,
            },
            {
                "id": 42,
                "question": "Hoe registreren we op Safeonweb@work?",
                "status": "deliverable",
                "note": None,
                "item": "Registratie op Safeonweb@work",
                "deliverable": "Stappenplan registratie Safeonweb@work",
                "reason": None,
            },
            {
                "id": 43,
                "question": "Welke back-upstrategie tegen ransomware?",
                "status": "not_handled",
                "note": None,
                "item": None,
                "deliverable": None,
                "reason": "not_on_agenda",
            },
        ],
        "minutes_url": "https://overleg.kcvs.example/groups/nis2/meetings/12/minutes",
        "url": "https://overleg.kcvs.example/groups/nis2/questions",
    },
    "minutes_approved": {
        "group_name": "GDPR",
        "group_slug": "gdpr",
        "meeting_id": 7,
        "meeting_title": "Werkgroep GDPR – vergadering 1/2026",
        "meeting_at": "2026-02-10T13:00:00+00:00",
        "version": 2,
        "is_correction": True,
        "review_deadline_at": "2026-03-02T16:00:00+00:00",
        "url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/minutes#version-2",
        "materials": [
            {
                "title": "Presentatie: Copilot privacy-conform inrichten",
                "item": "2",
                "url": "https://overleg.kcvs.example/groups/gdpr/meetings/7/materials/3/file",
            }
        ],
    },
    "deliverable_reminder": {
        "deliverable_id": 12,
        "title": "Gezamenlijk advies over de protocollen",
        "group_name": "GDPR",
        "group_slug": "gdpr",
        "status": "in_progress",
        "progress": 60,
        "due_on": "2026-03-01",
        "due_precision": "month",
        "days_overdue": 0,
        "stage": "before-7",
        "url": "https://overleg.kcvs.example/groups/gdpr/deliverables#deliverable-12",
    },
    "deliverable_overdue": {
        "deliverable_id": 12,
        "title": "Gezamenlijk advies over de protocollen",
        "group_name": "GDPR",
        "group_slug": "gdpr",
        "status": "at_risk",
        "progress": 80,
        "due_on": "2026-01-01",
        "due_precision": "quarter",
        "days_overdue": 7,
        "stage": "overdue-7",
        "url": "https://overleg.kcvs.example/groups/gdpr/deliverables#deliverable-12",
    },
    "director_digest": {
        "week": "2026-W10",
        "url": "https://overleg.kcvs.example/directors",
        "counts": {"red": 2, "amber": 1, "green": 9},
        "escalated": [
            {
                "title": "Beleidsrapport InnoFiNS",
                "group_name": "InnoFiNS",
                "due_on": "2026-01-01",
                "due_precision": "quarter",
                "days_overdue": 16,
            }
        ],
        "blocked": [
            {"title": "Verwerkersregister", "group_name": "GDPR", "reason": "Wacht op ABB"}
        ],
        "slipped": [
            {
                "title": "Netwerkdag Interne audit",
                "group_name": "KBO",
                "old_on": "2025-12-18",
                "old_precision": "day",
                "due_on": "2026-02-01",
                "due_precision": "month",
                "reason": "Onverwachte omstandigheden",
            }
        ],
        "delivered": [{"title": "Eerste prioriteitenlijst NIS2-noden", "group_name": "NIS2"}],
    },
    "sign_in": {
        "url": "https://overleg.kcvs.example/sign-in/voorbeeld",
        "expires_at": "2026-02-10T16:00:00+00:00",
    },
}


@dataclass(frozen=True)
class Preview:
    """One kind in one language."""

    kind: str
    language: str
    subject: str
    text: str
    html: str


def all_previews() -> list[Preview]:
    """Every kind, in nl, en and fr."""
    previews = []
    for kind in messages.KINDS:
        for language in LANGUAGES:
            raw = {"recipient_name": "An Peeters", **DEMO_CONTEXTS[kind]}
            context = messages.parse_context(raw)
            subject, text, html = messages.render(kind, language, context)
            previews.append(Preview(kind, language, subject, text, html))
    return previews
