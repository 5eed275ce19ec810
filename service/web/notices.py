"""The confirmations a page shows once after a change, keyed by the `done` query parameter.

Only these keys are shown, so a link cannot make a page say something it did not do.
"""

from collections.abc import Callable

from models.errors import N_

NOTICES = {
    "members_imported": N_("The members have been imported."),
    "import_unchanged": N_("Nothing has changed: everyone in the file was in the group already."),
    "scheduled": N_("The meeting has been scheduled."),
    "rescheduled": N_(
        "The meeting has been moved; everyone invited gets an update, and when its call's "
        "deadline moved along, the members asked get the new deadline."
    ),
    "postponed": N_("The meeting has been postponed; the group is told at once."),
    "cancelled": N_("The meeting has been cancelled; the group is told at once."),
    "place": N_("The place has been changed; everyone invited gets an update."),
    "planned": N_("The year's meetings have been planned."),
    "call_opened": N_("The call for input is open; every member gets their link."),
    "call_extended": N_(
        "The call's deadline has been moved; once the call is open, the members asked get "
        "the new deadline by email."
    ),
    "call_closed": N_("The call for input is closed and the agenda has been drafted."),
    "call_configured": N_("The call's settings have been saved."),
    "drafted": N_("The agenda has been drafted from the questions."),
    "list_saved": N_("The agenda has been saved."),
    "item_added": N_("The agenda item has been added."),
    "merged": N_("The items have been merged."),
    "split": N_("The questions have been taken out into a new item."),
    "published": N_("The agenda has been published."),
    "homework_set": N_(
        "The homework has been set; every member gets their link with the next run of the"
        " homework steps (within a quarter of an hour)."
    ),
    "late_accepted": N_("The late answer has been accepted: it counts in the summary."),
    "late_declined": N_("The late answer has been declined; it stays on record."),
    "parked": N_("The question is parked for the group's next meeting."),
    "declined": N_("The question has been declined; it stays on record."),
    "minutes_started": N_("The minutes have been started."),
    "minutes_saved": N_("The minutes have been saved."),
    "minutes_in_review": N_("The minutes have been sent round for comments."),
    "commented": N_("Your comment has been added."),
    "minutes_approved": N_("The minutes have been approved."),
    "minutes_correcting": N_("A correction of the minutes has been started."),
    "outcomes_saved": N_("The outcomes have been saved."),
    "resubmitted": N_("Your question has been sent again for this meeting."),
    "attendance_saved": N_("The attendance has been saved."),
    "deliverable_added": N_("The deliverable has been recorded."),
    "deliverable_changed": N_("The deliverable has been updated."),
    "decision_added": N_("The decision has been recorded."),
    "material_added": N_("The material has been added to the meeting."),
    "material_replaced": N_("A new version of the file has been added; earlier ones stay."),
    "material_removed": N_("The material has been taken off the meeting; it stays on record."),
    "material_public": N_("The material can now be read by anyone."),
    "material_private": N_("The material can now be read only by the group."),
    "presenter_named": N_("The presenter has been saved."),
    "library_added": N_("The material has been added to the library."),
    "library_removed": N_("The material has been taken out of the library; it stays on record."),
    "erased": N_("The person has been erased."),
    "person_added": N_("The person has been added."),
    "person_saved": N_("The person's details have been saved."),
    "person_deactivated": N_(
        "The person has been deactivated: memberships ended, no more mail or calendar feeds."
    ),
    "person_reactivated": N_("The person has been reactivated."),
    "membership_added": N_("The person has been added to the group."),
    "role_changed": N_("The role has been changed; the old role stays on record."),
    "membership_ended": N_("The membership has been ended; its history stays."),
    "organisation_added": N_("The organisation has been added."),
    "organisation_saved": N_("The organisation has been saved."),
    "organisation_deactivated": N_("The organisation has been deactivated."),
    "organisation_reactivated": N_("The organisation has been reactivated."),
    "key_revoked": N_("The API key has been revoked."),
    "feed_made": N_("Your new calendar link is below; it is shown only this once."),
    "feed_stopped": N_("The calendar link has been stopped."),
    "group_created": N_("The working group has been started; plan its year from its page."),
    "group_saved": N_("The group's settings have been saved."),
    "reminded": N_("Those who had not answered have been reminded."),
    "reminded_already": N_("Those who have not answered were reminded today already."),
    "group_archived": N_("The group has been archived; its pages and feeds stay readable."),
}


def shown(key: str | None, gettext: Callable[[str], str]) -> str | None:
    """The confirmation for a key, in the reader's language; None for anything else."""
    return gettext(NOTICES[key]) if key in NOTICES else None
