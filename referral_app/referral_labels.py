"""Translated names for the values a referral records."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from referral_app.models import (
    AgeBand,
    ConsentMethod,
    ContactMethod,
    DeclineReason,
    PriorityGroup,
    ReferralStatus,
    Urgency,
)

REFERRAL_STATUS_NAMES = {
    ReferralStatus.SENT: _l("Waiting for an answer"),
    ReferralStatus.ACCEPTED: _l("Accepted"),
    ReferralStatus.DECLINED: _l("Declined"),
    ReferralStatus.WITHDRAWN: _l("Withdrawn"),
    ReferralStatus.CONTACTED: _l("In contact"),
    ReferralStatus.ATTENDED: _l("Attended"),
    ReferralStatus.DID_NOT_ATTEND: _l("Did not attend"),
    ReferralStatus.COMPLETED: _l("Completed"),
}

# What a resident reads on their private status page: whole sentences, no jargon.
RESIDENT_STATUS_TEXT = {
    ReferralStatus.SENT: _l("Your request has been sent. The service has not answered yet."),
    ReferralStatus.ACCEPTED: _l("The service has accepted your request. They will contact you."),
    ReferralStatus.DECLINED: _l("The service cannot help with this request. You can search for other services."),
    ReferralStatus.WITHDRAWN: _l("This request has been withdrawn."),
    ReferralStatus.CONTACTED: _l("The service has been in contact with you."),
    ReferralStatus.ATTENDED: _l("You went to the service."),
    ReferralStatus.DID_NOT_ATTEND: _l("The service has recorded that you could not come."),
    ReferralStatus.COMPLETED: _l("The service has finished working with you."),
}

# The button that makes each change, for the person allowed to make it.
ACTION_NAMES = {
    ReferralStatus.ACCEPTED: _l("Accept"),
    ReferralStatus.DECLINED: _l("Decline"),
    ReferralStatus.CONTACTED: _l("Record first contact"),
    ReferralStatus.ATTENDED: _l("Attended"),
    ReferralStatus.DID_NOT_ATTEND: _l("Did not attend"),
    ReferralStatus.COMPLETED: _l("Complete"),
    ReferralStatus.WITHDRAWN: _l("Withdraw referral"),
}

URGENCY_NAMES = {
    Urgency.ROUTINE: _l("Routine"),
    Urgency.SOON: _l("Soon (within a week)"),
    Urgency.URGENT: _l("Urgent (within 2 working days)"),
}

DECLINE_REASON_NAMES = {
    DeclineReason.NO_CAPACITY: _l("No capacity at the moment"),
    DeclineReason.NOT_ELIGIBLE: _l("Not eligible"),
    DeclineReason.NOT_SUITABLE: _l("Not suitable for this service"),
    DeclineReason.COULD_NOT_CONTACT: _l("Could not contact the person"),
    DeclineReason.OTHER: _l("Another reason"),
}

CONSENT_METHOD_NAMES = {
    ConsentMethod.IN_PERSON: _l("In person"),
    ConsentMethod.PHONE: _l("By phone"),
    ConsentMethod.VIDEO: _l("By video call"),
    ConsentMethod.BSL_INTERPRETER: _l("Through a BSL interpreter"),
    ConsentMethod.SPOKEN_INTERPRETER: _l("Through a spoken-language interpreter"),
    ConsentMethod.ONLINE: _l("Online, by the person themselves"),
}

CONTACT_METHOD_NAMES = {
    ContactMethod.SMS: _l("Text message (SMS)"),
    ContactMethod.EMAIL: _l("Email"),
    ContactMethod.PHONE: _l("Phone call"),
    ContactMethod.VIDEO_RELAY: _l("BSL video relay"),
    ContactMethod.RELAY_UK: _l("Relay UK (text relay: dial 18001 before the number)"),
    ContactMethod.LINK_WORKER: _l("Through the link worker"),
}

AGE_BAND_NAMES = {
    AgeBand.UNDER_16: _l("Under 16"),
    AgeBand.AGE_16_17: _l("16 to 17"),
    AgeBand.AGE_18_24: _l("18 to 24"),
    AgeBand.AGE_25_34: _l("25 to 34"),
    AgeBand.AGE_35_49: _l("35 to 49"),
    AgeBand.AGE_50_64: _l("50 to 64"),
    AgeBand.AGE_65_PLUS: _l("65 or over"),
}

PRIORITY_GROUP_NAMES = {
    PriorityGroup.ROMA: _l("Roma, Gypsy or Traveller"),
    PriorityGroup.REFUGEE_MIGRANT: _l("Refugee, asylum seeker or migrant"),
    PriorityGroup.HOMELESS: _l("Homeless or at risk of homelessness"),
    PriorityGroup.DEAF_BSL: _l("Deaf and uses BSL"),
    PriorityGroup.YOUNG_MENTAL_HEALTH: _l("Young person with mental-health needs"),
    PriorityGroup.RURAL_COASTAL: _l("Lives in a rural or coastal area"),
    PriorityGroup.DISABLED: _l("Disabled"),
    PriorityGroup.CARER: _l("Unpaid carer"),
}

# The built-in ONS4 questions (ONS, Crown copyright, Open Government Licence). Other measures show their own text.
MEASURE_ITEM_TEXT = {
    ("ons4", "life_satisfaction"): _l("Overall, how satisfied are you with your life nowadays?"),
    ("ons4", "worthwhile"): _l(
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?"
    ),
    ("ons4", "happiness"): _l("Overall, how happy did you feel yesterday?"),
    ("ons4", "anxiety"): _l("Overall, how anxious did you feel yesterday?"),
}
MEASURE_NAMES = {"ons4": _l("Personal well-being (ONS4)")}


AUDIT_ACTION_NAMES = {
    "viewed_referral": _l("Looked at a referral"),
    "listed_referral": _l("Saw a referral in a list"),
    "created_referral": _l("Made a referral"),
    "changed_referral": _l("Changed a referral's status"),
    "withdrew_consent": _l("Recorded that consent was withdrawn"),
    "recorded_outcome": _l("Recorded well-being answers"),
    "chose_resident": _l("Chose the resident for a new referral"),
    "viewed_status": _l("Looked at the request's status"),
    "found_resident": _l("Found the resident in a search"),
    "subject_access": _l("Looked at everything held about the resident"),
    "subject_access_export": _l("Downloaded everything held about the resident"),
    "erased": _l("Erased the resident's personal data"),
    "retention_referral": _l("Anonymised a referral: the retention period ended"),
    "retention_resident": _l("Anonymised the resident: the retention period ended"),
}


def item_text(item) -> str:
    label = MEASURE_ITEM_TEXT.get((item.measure_code, item.code))
    return str(label) if label else item.text


def measure_name(measure) -> str:
    label = MEASURE_NAMES.get(measure.code)
    return str(label) if label else measure.name


def names_in(values, names: dict) -> list[str]:
    """The translated names of stored values, skipping any the table does not know."""
    return [str(names[value]) for value in values or () if value in names]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["names_in"] = names_in
    app.jinja_env.globals.update(
        REFERRAL_STATUS_NAMES=REFERRAL_STATUS_NAMES,
        RESIDENT_STATUS_TEXT=RESIDENT_STATUS_TEXT,
        ACTION_NAMES=ACTION_NAMES,
        AUDIT_ACTION_NAMES=AUDIT_ACTION_NAMES,
        URGENCY_NAMES=URGENCY_NAMES,
        DECLINE_REASON_NAMES=DECLINE_REASON_NAMES,
        CONSENT_METHOD_NAMES=CONSENT_METHOD_NAMES,
        CONTACT_METHOD_NAMES=CONTACT_METHOD_NAMES,
        AGE_BAND_NAMES=AGE_BAND_NAMES,
        PRIORITY_GROUP_NAMES=PRIORITY_GROUP_NAMES,
        item_text=item_text,
        measure_name=measure_name,
    )
