"""The donor and their screening; the milk models live in donors.milk.models."""

import datetime
import hashlib
import re
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from milkbank.text import clean_text

# Letters with no decomposition that people type without their mark ("Søren" as "Soren").
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"})
_NOT_IN_KEY = str.maketrans("", "", "'’ʼ`´")  # "O'Brien" and "OBrien" alike
SEARCH_KEY_LENGTH = 300
_LATIN = re.compile("[\u0000-\u024f\u1e00-\u1eff]")
_PHONE_TERM = re.compile(r"[\d\s().+\-/]+")


def name_key(text: str) -> str:
    """A name as the donor search compares it: case and accents folded ("Zoë" -> "zoe", "Nguyễn" ->
    "nguyen", "O'Brien" -> "obrien"); every other script kept as it is."""
    kept = []
    base = ""
    for char in unicodedata.normalize("NFKD", (text or "").casefold()):
        if unicodedata.combining(char):
            # Marks on Latin letters only: elsewhere a mark makes another letter (Arabic ئ, Japanese が).
            if not _LATIN.match(base):
                kept.append(char)
            continue
        base = char
        kept.append(char)
    folded = "".join(kept).translate(_FOLD).translate(_NOT_IN_KEY)
    return unicodedata.normalize("NFC", folded).strip()[:SEARCH_KEY_LENGTH]


def phone_key(text: str) -> str:
    """A phone number's digits only ("(612) 555-0142" -> "6125550142"), without the North American "1"."""
    digits = "".join(c for c in (text or "") if c.isdigit() and c.isascii())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits[:40]


def phone_term(text: str) -> str:
    """The digits of a search that is a phone number as people write one, else ""."""
    return phone_key(text) if _PHONE_TERM.fullmatch(text or "") else ""


class Counter(models.Model):
    """A named counter that only goes up; donor numbers come from here so none is ever reused."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.value}"


class DonorQuerySet(models.QuerySet):
    def for_admin_list(self):
        return self.select_related("coordinator")

    def search(self, term: str):
        """Donors a coordinator means by `term`: a donor number ("D000123", "d123", "123"), the start of a
        phone number however it is written, a whole email address, or the start of any of their names (each
        word), ignoring case and accents. Every branch is a prefix or equality on an indexed column."""
        # The same cleaning as every form field (PostgreSQL refuses a NUL; bidi overrides hide a name).
        term = clean_text(term or "", multiline=False).strip()
        if not term:
            return self
        if term[:1] in ("D", "d") and term[1:].isdigit() and len(term) <= 10:
            return self.filter(donor_number=int(term[1:]))
        digits = phone_term(term)
        if digits:
            found = Q(search_phone__startswith=digits) if len(digits) >= 4 else Q(pk__in=[])
            if term.isdigit() and len(term) <= 9:
                found |= Q(donor_number=int(term))
            return self.filter(found)
        donors = self
        for word in term.split()[:5]:
            key = name_key(word)
            found = (
                Q(search_first_name__startswith=key)
                | Q(search_last_name__startswith=key)
                | Q(search_preferred_name__startswith=key)
            )
            if "@" in word:
                found |= Q(email__iexact=word)
            donors = donors.filter(found)
        return donors

    def needing_action(self):
        """Donors a coordinator has to move along: open screening steps and deferrals that have ended."""
        today = timezone.localdate()
        return self.filter(
            Q(stage__in=Donor.Stage.waiting_on_staff())
            | Q(stage=Donor.Stage.DEFERRED, deferred_until__lte=today)
        )

    def overdue(self, *, days=None):
        days = days or settings.MILKBANK["REMINDER_AFTER_DAYS"]
        cutoff = timezone.now() - datetime.timedelta(days=days)
        return self.filter(stage__in=Donor.Stage.in_screening(), stage_changed_at__lt=cutoff)

    def approved(self):
        return self.filter(stage=Donor.Stage.APPROVED)


class Donor(models.Model):
    class DeclineReason(models.TextChoices):
        """Why a donor could not give milk, in groups the bank can count (the words stay in exit_reason).
        Blank for declines recorded before the groups existed."""

        HEALTH = "health", "Health history or a medical condition"
        MEDICINES = "medicines", "Medicines, herbs or supplements"
        LIFESTYLE = "lifestyle", "Tobacco, alcohol or drugs"
        TRAVEL = "travel", "Travel or time lived abroad"
        BLOODWORK = "bloodwork", "A confirmed bloodwork result"
        OTHER = "other", "Another reason"

    class Stage(models.TextChoices):
        INQUIRY = "inquiry", "Inquiry"
        PHONE_SCREEN_PASSED = "phone_screen_passed", "Phone screen passed"
        QUESTIONNAIRE_SENT = "questionnaire_sent", "Questionnaire sent"
        QUESTIONNAIRE_SUBMITTED = "questionnaire_submitted", "Questionnaire submitted"
        QUESTIONNAIRE_ACCEPTED = "questionnaire_accepted", "Questionnaire accepted"
        BLOODWORK_ORDERED = "bloodwork_ordered", "Bloodwork ordered"
        BLOODWORK_RESULTED = "bloodwork_resulted", "Bloodwork resulted"
        READY_FOR_SIGNOFF = "ready_for_signoff", "Ready for sign-off"
        APPROVED = "approved", "Approved"
        DEFERRED = "deferred", "Deferred"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RESEARCH_ONLY = "research_only", "Research only"
        INACTIVE = "inactive", "Inactive"

        @classmethod
        def in_screening(cls):
            return [
                cls.INQUIRY,
                cls.PHONE_SCREEN_PASSED,
                cls.QUESTIONNAIRE_SENT,
                cls.QUESTIONNAIRE_SUBMITTED,
                cls.QUESTIONNAIRE_ACCEPTED,
                cls.BLOODWORK_ORDERED,
                cls.BLOODWORK_RESULTED,
                cls.READY_FOR_SIGNOFF,
            ]

        @classmethod
        def waiting_on_staff(cls):
            """Stages where the next move is the bank's, not the donor's."""
            return [
                cls.INQUIRY,
                cls.PHONE_SCREEN_PASSED,
                cls.QUESTIONNAIRE_SUBMITTED,
                cls.QUESTIONNAIRE_ACCEPTED,
                cls.BLOODWORK_RESULTED,
                cls.READY_FOR_SIGNOFF,
            ]

        @classmethod
        def closed(cls):
            return [cls.DECLINED, cls.WITHDRAWN, cls.INACTIVE]

    class Pathway(models.TextChoices):
        CLINICAL = "clinical", "Milk for babies in hospital"
        RESEARCH = "research", "Research only"

    class ContactMethod(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True, default="")
    preferred_name = models.CharField(max_length=100, blank=True, default="")
    email = models.EmailField(max_length=254, blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    best_time_to_call = models.CharField(max_length=200, blank=True, default="")
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod, default=ContactMethod.PHONE)
    # The questionnaire, the status page and every message to the donor use it; the staff site stays English.
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language the donor reads: the questionnaire, their page and emails use it.",
    )
    date_of_birth = models.DateField(null=True, blank=True)
    address_line1 = models.CharField("address", max_length=200, blank=True, default="")
    address_line2 = models.CharField("address (line 2)", max_length=200, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    region = models.CharField("state or province", max_length=100, blank=True, default="")
    postal_code = models.CharField(max_length=20, blank=True, default="")

    pathway = models.CharField(max_length=10, choices=Pathway, default=Pathway.CLINICAL)
    research_consent = models.BooleanField(
        default=False, help_text="The donor agreed that milk not used for babies may go to research."
    )
    contact_consent = models.BooleanField(default=False)
    reminders_opt_out = models.BooleanField(
        default=False, help_text="The donor asked for no reminder messages."
    )

    bereaved = models.BooleanField(default=False, help_text="The donor's baby has died.")
    baby_first_name = models.CharField(max_length=60, blank=True, default="")
    baby_birth_date = models.DateField(null=True, blank=True)

    stage = models.CharField(max_length=30, choices=Stage, default=Stage.INQUIRY, editable=False)
    stage_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    screening_round = models.PositiveSmallIntegerField(default=1, editable=False)
    return_stage = models.CharField(max_length=30, choices=Stage, blank=True, default="", editable=False)
    deferred_until = models.DateField(null=True, blank=True, editable=False)
    exit_reason = models.TextField(blank=True, default="", editable=False)
    decline_reason = models.CharField(
        max_length=20, choices=DeclineReason, blank=True, default="", editable=False
    )
    donor_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    approved_on = models.DateField(null=True, blank=True, editable=False)
    finished_on = models.DateField(null=True, blank=True, editable=False)
    thanked_at = models.DateTimeField(null=True, blank=True, editable=False)

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="donors"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymized_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up on each staff edit, so two editors cannot overwrite each other.",
    )
    # What the donor search compares (see DonorQuerySet.search), kept by save() from the fields they fold:
    # prefix searches on these use a plain index on any database, where folding accents in SQL would need
    # PostgreSQL's unaccent extension (not immutable, so no index) and nothing on SQLite.
    search_first_name = models.CharField(max_length=SEARCH_KEY_LENGTH, blank=True, default="", editable=False)
    search_last_name = models.CharField(max_length=SEARCH_KEY_LENGTH, blank=True, default="", editable=False)
    search_preferred_name = models.CharField(
        max_length=SEARCH_KEY_LENGTH, blank=True, default="", editable=False
    )
    search_phone = models.CharField(max_length=40, blank=True, default="", editable=False)

    SEARCH_KEYS = {
        "first_name": ("search_first_name", name_key),
        "last_name": ("search_last_name", name_key),
        "preferred_name": ("search_preferred_name", name_key),
        "phone": ("search_phone", phone_key),
    }

    objects = DonorQuerySet.as_manager()

    class Meta:
        ordering = ["-stage_changed_at", "-id"]
        permissions = [
            ("export_donor", "Can export a donor's data"),
            ("anonymize_donor", "Can anonymize a donor"),
        ]
        indexes = [
            models.Index(fields=["stage", "stage_changed_at"], name="donors_donor_stage_idx"),
            # The default list order ("All donors"), and the deferral half of "Needing action".
            models.Index(fields=["-stage_changed_at", "-id"], name="donors_donor_recent_idx"),
            models.Index(fields=["stage", "deferred_until"], name="donors_donor_deferred_idx"),
            models.Index(fields=["coordinator", "stage"], name="donors_donor_coord_idx"),
            models.Index(fields=["last_name", "first_name"], name="donors_donor_name_idx"),
            models.Index(fields=["email"], name="donors_donor_email_idx"),
            models.Index(fields=["phone"], name="donors_donor_phone_idx"),
            models.Index(fields=["bereaved", "stage"], name="donors_donor_bereaved_idx"),
            models.Index(fields=["pathway", "stage"], name="donors_donor_pathway_idx"),
            # Prefix search (LIKE 'x%'): PostgreSQL needs the pattern operator class for that in any
            # collation; other databases ignore `opclasses` and get a plain index.
            *(
                models.Index(
                    fields=[field], opclasses=["varchar_pattern_ops"], name=f"donors_donor_{short}_idx"
                )
                for field, short in (
                    ("search_first_name", "sfirst"),
                    ("search_last_name", "slast"),
                    ("search_preferred_name", "spref"),
                    ("search_phone", "sphone"),
                )
            ),
            # The admin list sorted by donor number, ties by id (IndexedSortChangeList): the unique
            # constraint's index is partial (numbered donors only), so it cannot serve a sort of every donor.
            models.Index(fields=["donor_number", "id"], name="donors_donor_number_sort_idx"),
            # The reports count new inquiries and approvals per month (donors.reports.milk).
            models.Index(fields=["created_at"], name="donors_donor_created_idx"),
            models.Index(
                fields=["approved_on"],
                condition=Q(approved_on__isnull=False),
                name="donors_donor_approved_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["donor_number"],
                condition=Q(donor_number__isnull=False),
                name="donors_donor_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(stage="approved") | Q(donor_number__isnull=False, approved_on__isnull=False),
                name="donors_donor_approved_has_number",
                violation_error_message="An approved donor needs a donor number and an approval date.",
            ),
            models.CheckConstraint(
                condition=~Q(stage="deferred") | Q(deferred_until__isnull=False),
                name="donors_donor_deferred_has_end",
                violation_error_message="A deferral needs an end date.",
            ),
            models.CheckConstraint(
                condition=~Q(pathway="research") | ~Q(stage__in=["approved"]),
                name="donors_donor_research_never_approved",
                violation_error_message="A research-only donor is never approved for clinical milk.",
            ),
        ]

    def __str__(self):
        if self.donor_number:
            return f"{self.display_name} ({self.number_label})"
        return self.display_name

    def save(self, *args, **kwargs):
        """Keep the search columns in step with the names and phone, also on a save of some fields only."""
        for source, (key, fold) in self.SEARCH_KEYS.items():
            setattr(self, key, fold(getattr(self, source)))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            keys = [key for source, (key, _) in self.SEARCH_KEYS.items() if source in update_fields]
            kwargs["update_fields"] = [*update_fields, *keys]
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding and (update_fields is None or {"coordinator", "bereaved"} & set(update_fields)):
            from .reports.models import follow_donor

            follow_donor(self)  # the screening reports filter by these (donors/reports/models.py)

    def get_absolute_url(self):
        return reverse("admin:donors_donor_change", args=[self.pk])

    @property
    def display_name(self):
        name = self.preferred_name or self.first_name
        return f"{name} {self.last_name}".strip()

    @property
    def number_label(self):
        return f"D{self.donor_number:06d}" if self.donor_number else ""

    @property
    def is_closed(self):
        return self.stage in Donor.Stage.closed()

    def infant_release_needed(self):
        """Rule 5: the infant's provider release, unless bereaved and the bank waives it."""
        return not (self.bereaved and settings.MILKBANK["WAIVE_INFANT_RELEASE_WHEN_BEREAVED"])

    def bloodwork_valid_until(self):
        """The last day this donor's newest clear bloodwork covers, or None."""
        drawn = self.bloodwork_set.clear().order_by("-drawn_on").values_list("drawn_on", flat=True).first()
        if drawn is None:
            return None
        return drawn + datetime.timedelta(days=settings.MILKBANK["BLOODWORK_VALID_DAYS"])

    def is_approved_on(self, day):
        return self.stage == Donor.Stage.APPROVED and self.approved_on is not None and self.approved_on <= day


class TimelineEvent(models.Model):
    """One line on a donor's screening timeline: who did what, when and why. Never health details."""

    class Kind(models.TextChoices):
        STAGE = "stage", "Stage changed"
        PHONE_SCREEN = "phone_screen", "Phone screen"
        LINK = "link", "Private link"
        QUESTIONNAIRE = "questionnaire", "Questionnaire"
        BLOODWORK = "bloodwork", "Bloodwork"
        RELEASE = "release", "Medical release"
        SIGNOFF = "signoff", "Sign-off"
        MESSAGE = "message", "Message sent"
        NOTE = "note", "Note"
        MILK = "milk", "Milk"

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    from_stage = models.CharField(max_length=30, choices=Donor.Stage, blank=True, default="")
    to_stage = models.CharField(max_length=30, choices=Donor.Stage, blank=True, default="")
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["donor", "-at"], name="donors_timeline_donor_idx")]

    def __str__(self):
        return self.summary


class Task(models.Model):
    """Something a coordinator must do, made by the system (a reactive result, a follow-up, a callback)."""

    class Kind(models.TextChoices):
        CALL_BACK = "call_back", "Call back a new inquiry"
        TELL_PROVIDER = "tell_provider", "Tell the donor's provider about a confirmed result"
        FOLLOW_UP_RESULT = "follow_up_result", "Follow up an indeterminate result"
        REVIEW_FLAGS = "review_flags", "Review questionnaire answers that need a closer look"
        OTHER = "other", "Other"

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "due_on", "created_at"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="donors_task_open_idx")]

    def __str__(self):
        return self.title


class AccessLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class AccessLink(models.Model):
    """A donor's private link (questionnaire or status page). Only a hash of the secret is stored."""

    class Purpose(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", "Health questionnaire"
        STATUS = "status", "Status page"

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(max_length=20, choices=Purpose)
    digest = models.CharField(max_length=64, unique=True, validators=[MinLengthValidator(64)])
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    pending = models.BooleanField(
        default=False,
        help_text="Sent because someone typed the donor's email address: the donor's current link keeps "
        "working until this one is first opened.",
    )

    objects = AccessLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["donor", "purpose"],
                condition=Q(revoked_at__isnull=True, pending=False),
                name="donors_accesslink_one_active",
                violation_error_message="This donor already has an open link of this kind.",
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} link"

    @staticmethod
    def digest_for(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class ReminderSent(models.Model):
    """A reminder already sent, so `send_reminders` never sends the same one twice (a unique key)."""

    donor = models.ForeignKey(Donor, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    key = models.CharField(
        max_length=60, help_text="What this reminder is about, e.g. the date it refers to."
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["donor", "kind", "key"], condition=Q(donor__isnull=False), name="donors_reminder_once"
            ),
            models.UniqueConstraint(
                fields=["kind", "key"], condition=Q(donor__isnull=True), name="donors_reminder_once_staff"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"


class PhoneScreen(models.Model):
    """Rule 1: the spoken screen with a coordinator. Never replaced by the online form."""

    class Outcome(models.TextChoices):
        PASSED = "passed", "Passed: send the questionnaire"
        FOLLOW_UP = "follow_up", "Call again (keeps a call-back task)"
        DEFERRED = "deferred", "Not now: defer until a date"
        NOT_ELIGIBLE = "not_eligible", "Not able to donate (declines, with the reason)"

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="phone_screens")
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(240)])
    answers = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome)
    notes = models.TextField(blank=True, default="", max_length=4000)

    class Meta:
        ordering = ["-screened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=240),
                name="donors_phonescreen_minutes_range",
                violation_error_message="A phone screen lasts between 1 and 240 minutes.",
            ),
        ]

    def __str__(self):
        return (
            f"Phone screen on {timezone.localtime(self.screened_at):%Y-%m-%d}: {self.get_outcome_display()}"
        )


class Questionnaire(models.Model):
    """Rule 3: one version of the donor's written health history. Frozen once submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted, waiting for review"
        ACCEPTED = "accepted", "Accepted"
        NEEDS_FOLLOW_UP = "needs_follow_up", "Needs follow-up"
        NOT_ACCEPTABLE = "not_acceptable", "Not acceptable"

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="questionnaires")
    number = models.PositiveSmallIntegerField(
        default=1, help_text="1 for the first screening, 2 for a re-screen..."
    )
    link = models.ForeignKey(AccessLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    question_set = models.CharField(
        max_length=20, help_text="The version of the questions these answers reply to."
    )
    answers = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(
        default=list, blank=True, help_text="Questions whose answers usually defer a donor."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    started_at = models.DateTimeField(default=timezone.now)
    last_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, default="", max_length=4000)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        editable=False,
        help_text="The language the donor answered in (recorded when the answers are sent).",
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["donor", "number"], name="donors_questionnaire_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="donors_questionnaire_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"Questionnaire {self.number} ({self.get_status_display()})"

    @property
    def is_frozen(self):
        return self.status != Questionnaire.Status.DRAFT


class BloodworkQuerySet(models.QuerySet):
    def clear(self):
        """Full panels with every result negative. A clear repeat of one test clears its full panel, which
        then counts from its own (earlier) draw date; the repeat never stands for the panel on its own."""
        return self.filter(status=Bloodwork.Status.CLEAR, drawn_on__isnull=False, repeat_of__isnull=True)


class Bloodwork(models.Model):
    """Rule 4: one blood draw and its panel, paid for by the bank."""

    class Status(models.TextChoices):
        ORDERED = "ordered", "Ordered"
        CLEAR = "clear", "All negative"
        REACTIVE = "reactive", "Confirmed reactive"
        INDETERMINATE = "indeterminate", "Indeterminate: follow up"

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE)
    ordered_at = models.DateTimeField(default=timezone.now)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lab = models.CharField(max_length=200, blank=True, default="")
    drawn_on = models.DateField(null=True, blank=True)
    cost = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100000"))],
        help_text="What the bank paid.",
    )
    resulted_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.ORDERED)
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
        help_text="The full panel whose unclear result this repeats (only its unclear tests are drawn).",
    )

    objects = BloodworkQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_at"]
        verbose_name_plural = "bloodwork"
        indexes = [models.Index(fields=["donor", "status", "-drawn_on"], name="donors_bloodwork_valid_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="ordered") | Q(drawn_on__isnull=False, resulted_at__isnull=False),
                name="donors_bloodwork_result_has_draw",
                violation_error_message="A result needs the draw date.",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="donors_bloodwork_cost_not_negative",
            ),
        ]

    def __str__(self):
        return (
            f"Bloodwork ordered {timezone.localtime(self.ordered_at):%Y-%m-%d} ({self.get_status_display()})"
        )


class BloodTest(models.Model):
    class Test(models.TextChoices):
        HIV = "hiv", "HIV-1/2"
        HTLV = "htlv", "HTLV-I/II"
        HBV = "hbv", "Hepatitis B"
        HCV = "hcv", "Hepatitis C"
        SYPHILIS = "syphilis", "Syphilis"

    class Result(models.TextChoices):
        PENDING = "pending", "Pending"
        NEGATIVE = "negative", "Negative"
        REACTIVE = "reactive", "Reactive"
        INDETERMINATE = "indeterminate", "Indeterminate"

    bloodwork = models.ForeignKey(Bloodwork, on_delete=models.CASCADE, related_name="tests")
    test = models.CharField(max_length=10, choices=Test)
    result = models.CharField(max_length=15, choices=Result, default=Result.PENDING)
    confirmed = models.BooleanField(default=False, help_text="A reactive result confirmed by a second test.")

    class Meta:
        ordering = ["bloodwork", "test"]
        constraints = [
            models.UniqueConstraint(fields=["bloodwork", "test"], name="donors_bloodtest_one_per_panel"),
            models.CheckConstraint(
                condition=Q(confirmed=False) | Q(result="reactive"),
                name="donors_bloodtest_confirmed_is_reactive",
            ),
        ]

    def __str__(self):
        return f"{self.get_test_display()}: {self.get_result_display()}"


class Release(models.Model):
    """Rule 5: a medical release from the donor's provider or the infant's provider."""

    class Kind(models.TextChoices):
        DONOR_PROVIDER = "donor_provider", "Donor's provider"
        INFANT_PROVIDER = "infant_provider", "Infant's provider"

    class Status(models.TextChoices):
        NOT_SENT = "not_sent", "Not sent"
        SENT = "sent", "Sent"
        RECEIVED = "received", "Received"
        REFUSED = "refused", "Refused"

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="releases")
    kind = models.CharField(max_length=20, choices=Kind)
    provider_name = models.CharField(max_length=200, blank=True, default="")
    provider_phone = models.CharField(max_length=40, blank=True, default="")
    provider_fax = models.CharField(max_length=40, blank=True, default="")
    clinic = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status, default=Status.NOT_SENT)
    sent_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, default="", max_length=2000)

    class Meta:
        ordering = ["donor", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["donor", "kind"], name="donors_release_one_per_kind"),
            models.CheckConstraint(
                condition=~Q(status="received") | Q(received_on__isnull=False),
                name="donors_release_received_has_date",
                violation_error_message="Record the date the release came back.",
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True)
                | Q(received_on__isnull=True)
                | Q(received_on__gte=F("sent_on")),
                name="donors_release_received_after_sent",
                violation_error_message="A release cannot come back before it was sent.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} release: {self.get_status_display()}"


class SignOff(models.Model):
    """Rule 6: one of the two staff sign-offs that approve a donor (HMBANA two-person rule)."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="signoffs")
    screening_round = models.PositiveSmallIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["donor", "screening_round", "by"],
                name="donors_signoff_one_per_person",
                violation_error_message="The same person cannot sign off twice.",
            ),
        ]

    def __str__(self):
        return f"Signed off by {self.by} on {timezone.localtime(self.at):%Y-%m-%d}"


class Deferral(models.Model):
    class Kind(models.TextChoices):
        TEMPORARY = "temporary", "Temporary"
        PERMANENT = "permanent", "Permanent"

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="deferrals")
    kind = models.CharField(max_length=10, choices=Kind)
    reason = models.TextField(max_length=2000)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    return_stage = models.CharField(max_length=30, choices=Donor.Stage, blank=True, default="")
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="temporary") | Q(ends_on__isnull=False),
                name="donors_deferral_temporary_has_end",
                violation_error_message="A temporary deferral needs an end date.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="donors_deferral_ends_after_start",
                violation_error_message="The deferral must end after it starts.",
            ),
        ]

    def __str__(self):
        if self.kind == Deferral.Kind.TEMPORARY:
            return f"Deferred until {self.ends_on:%Y-%m-%d}"
        return "Declined"


class PrivateStorage(FileSystemStorage):
    """Files under settings.MILKBANK_PRIVATE_FILES_DIR, read at use time (so a test can point it elsewhere).
    No base URL: these files are never served by the web server, only by a coordinator-only view."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.MILKBANK_PRIVATE_FILES_DIR

    @property
    def location(self):
        return str(settings.MILKBANK_PRIVATE_FILES_DIR)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


def private_storage():
    return PrivateStorage()


class LabReport(models.Model):
    """The lab's own report for a blood draw (PDF or image), kept private and opened only by coordinators."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        PNG = "image/png", "PNG image"
        JPEG = "image/jpeg", "JPEG image"

    bloodwork = models.ForeignKey(Bloodwork, on_delete=models.CASCADE, related_name="reports")
    file = models.FileField(storage=private_storage, upload_to="lab-reports/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=40, choices=Kind)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        added = timezone.localtime(self.uploaded_at)
        return f"Lab report ({self.get_content_type_display()}), added {added:%Y-%m-%d}"


# The milk domain's models live in donors.milk.models; Django finds an app's models through this module.
from .milk.models import Depot, DonorMonth, DropOff, FreezerCheck, MilkMonth, Shipment  # noqa: E402
from .reports.models import ScreeningStep  # noqa: E402

__all__ = [
    "AccessLink",
    "BloodTest",
    "Bloodwork",
    "Counter",
    "Deferral",
    "Depot",
    "Donor",
    "DonorMonth",
    "DropOff",
    "FreezerCheck",
    "LabReport",
    "MilkMonth",
    "PhoneScreen",
    "ReminderSent",
    "Questionnaire",
    "Release",
    "ScreeningStep",
    "Shipment",
    "SignOff",
    "Task",
    "TimelineEvent",
]
