from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .donor import AccessLink, Donor


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
