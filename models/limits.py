"""How long a text a person may enter, in one place: models, use cases, forms and pages agree.

Templates read these as `limits.NAME` (their `maxlength`), routes as `Form(max_length=...)`.
"""

from models.agenda import (
    CONTEXT_MAX_LENGTH,
    GUIDANCE_MAX_LENGTH,
    MAX_QUESTIONS_LIMIT,
    QUESTION_MAX_LENGTH,
)

TITLE = 300  # a meeting, agenda item or deliverable title
REASON = 1000  # why a meeting moved, was postponed, cancelled or changed place
CHANGE_REASON = 2000  # why a deliverable's status or due date changed; a minutes correction
LOCATION = 300
URL = 500
NOTE = 4000  # a note on an agenda version
DECISION = 4000
DESCRIPTION = 8000
COMMENT = 8000
MINUTES_BODY = 200_000
EMAIL = 254
ORGANISATION_SLUG = 60
CONTRIBUTORS = 2000
DUE_TEXT = 20  # "2026-03", "Q1 2027", "begin 2026"
KEY_LABEL = 100
FATE_NOTE = 1000  # the short answer or reason for a question's outcome (models.questions)

QUESTION = QUESTION_MAX_LENGTH
CONTEXT = CONTEXT_MAX_LENGTH
GUIDANCE = GUIDANCE_MAX_LENGTH
QUESTIONS = MAX_QUESTIONS_LIMIT
MATERIAL_TITLE = 300
FILE_NAME = 200
PERSON_NAME = 200
JOB_TITLE = 200
ORGANISATION_NAME = 200
NAME_MIN = 2  # a person's or organisation's name
