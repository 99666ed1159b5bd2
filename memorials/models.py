"""Forever Butterflies: the memorial quilts and the butterflies on them (DESIGN.md, "Forever Butterflies")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .validators import validate_embroidery_name, validate_no_markup, validate_not_future

# The column holds any name the embroidery limit allows (a setting of at most 60 letters), with room for the
# accents and joiners a letter can carry. The letter count itself is checked by validate_embroidery_name.
NAME_COLUMN_MAX = 150


class QuiltQuerySet(models.QuerySet):
    def for_staff_list(self):
        filled = Count("butterflies")
        return self.annotate(filled=filled, open_places=models.F("capacity") - filled)

    def next_open_place(self) -> tuple["Quilt", int] | None:
        """Where the next butterfly goes: the lowest open place on the oldest quilt still being filled.

        Two queries: the quilt, then its taken places (at most its capacity, a few dozen numbers).
        """
        quilt = (
            self.filter(completed_on__isnull=True)
            .annotate(filled=Count("butterflies"))
            .filter(filled__lt=models.F("capacity"))
            .order_by(models.F("started_on").asc(nulls_last=True), "id")
            .first()
        )
        if quilt is None:
            return None
        return quilt, quilt.first_open_place()


class Quilt(models.Model):
    name = models.CharField(
        "name or number", max_length=100, unique=True, validators=[validate_no_markup], help_text="Quilt 3"
    )
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    on_display_since = models.DateField(null=True, blank=True)
    location = models.CharField(
        "where",
        max_length=200,
        blank=True,
        default="",
        validators=[validate_no_markup],
        help_text="Where the quilt hangs or is kept, e.g. the milk bank lobby.",
    )
    capacity = models.PositiveSmallIntegerField(help_text="How many butterflies the quilt holds.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuiltQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="memorials_quilt_capacity_positive",
                violation_error_message="A quilt holds at least one butterfly.",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="memorials_quilt_completed_after_start",
                violation_error_message="A quilt is completed on or after the day it was started.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("memorials:quilt", args=[self.pk])

    def first_open_place(self) -> int | None:
        taken = set(self.butterflies.exclude(position=None).values_list("position", flat=True))
        return next((n for n in range(1, self.capacity + 1) if n not in taken), None)

    def clean(self):
        # The database refuses this too (migration 0002); here it becomes a message on the form.
        if self.pk and self.capacity:
            highest = self.butterflies.aggregate(highest=models.Max("position"))["highest"]
            if highest and self.capacity < highest:
                raise ValidationError(
                    {
                        "capacity": ValidationError(
                            "Place %(highest)d on this quilt is filled, so it holds at least %(highest)d.",
                            code="below_filled",
                            params={"highest": highest},
                        )
                    }
                )


def _staff_member():
    """Who took a step: kept as a reference that empties if their account is removed; set by services only."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


class ButterflyQuerySet(models.QuerySet):
    def for_memorial_wall(self):
        """Names the family agreed to show AND staff approved, on butterflies we are making (never a request
        still to review, or declined); only the two fields the wall prints."""
        return (
            self.filter(show_name_consent=True, approved=True, status__in=Butterfly.Status.accepted())
            .only("id", "first_name", "birth_date")
            .order_by("first_name", "birth_date", "id")
        )

    def for_sewing_queue(self):
        return (
            self.filter(status__in=[Butterfly.Status.REQUESTED, Butterfly.Status.SEWING])
            .select_related("donor")
            .order_by("requested_on", "id")
        )

    def for_quilt_places(self, quilt):
        """What the quilt page prints in each place: the name and date, nothing about the family."""
        return (
            self.filter(quilt=quilt).only("id", "first_name", "birth_date", "position").order_by("position")
        )

    def for_work_order(self):
        """The quilters' sheet: exactly what to stitch, nothing about the family."""
        return (
            self.filter(status__in=[Butterfly.Status.REQUESTED, Butterfly.Status.SEWING])
            .only("id", "first_name", "birth_date", "status", "requested_on")
            .order_by("requested_on", "id")
        )

    def keepsakes_to_send(self):
        return (
            self.filter(keepsake_sent_on__isnull=True, status__in=Butterfly.Status.accepted())
            .select_related("donor")
            .order_by("requested_on", "id")
        )

    def to_review(self):
        """Requests from the website that no one has looked at yet, oldest first."""
        return self.filter(status=Butterfly.Status.TO_REVIEW).order_by("requested_on", "id")

    def for_review_list(self):
        """The review list: each request with whether a donor record seems to match it (one subquery)."""
        matches = donor_matches(
            email=OuterRef("contact_email"),
            phone=OuterRef("contact_phone"),
            first_name=OuterRef("first_name"),
            birth_date=OuterRef("birth_date"),
        )
        return self.to_review().annotate(has_donor_match=Exists(matches))


class Butterfly(models.Model):
    class Status(models.TextChoices):
        TO_REVIEW = "to_review", "To review"
        REQUESTED = "requested", "Requested"
        SEWING = "sewing", "Being sewn"
        ON_QUILT = "on_quilt", "On a quilt"
        DECLINED = "declined", "Declined"

        @classmethod
        def accepted(cls):
            """Butterflies being made: recorded by staff or accepted from the website, and on from there."""
            return [cls.REQUESTED, cls.SEWING, cls.ON_QUILT]

    class KeepsakeWish(models.TextChoices):
        """How the family asked to receive the keepsake (the website form asks; staff records may not say)."""

        UNKNOWN = "", "Not said"
        MAIL = "mail", "Mail it"
        COLLECT = "collect", "They will collect it"

    class KeepsakeMethod(models.TextChoices):
        NONE = "", "Not yet"
        GIVEN = "given", "Given in person"
        MAILED = "mailed", "Mailed"

    class Source(models.TextChoices):
        STAFF = "staff", "Recorded by staff"
        FORM = "form", "Asked on the website"
        PAPER = "paper", "Older paper record"

    first_name = models.CharField(
        "baby's first name",
        max_length=NAME_COLUMN_MAX,
        validators=[validate_embroidery_name],
        help_text="Exactly as it is to be stitched: spelling, accents and script as the family wrote it.",
    )
    birth_date = models.DateField("birth date", validators=[validate_not_future])

    # The family: a bereaved donor, or (older paper records and website requests) a name and address.
    donor = models.ForeignKey(
        "donors.Donor",
        null=True,
        blank=True,
        # A butterfly is the family's memorial: removing a donor record must not remove it silently.
        on_delete=models.PROTECT,
        related_name="butterflies",
    )
    family_name = models.CharField(
        "family's name", max_length=200, blank=True, default="", validators=[validate_no_markup]
    )
    mailing_address = models.TextField(
        "mailing address",
        max_length=500,
        blank=True,
        default="",
        validators=[validate_no_markup],
        help_text="As it goes on the envelope for the keepsake.",
    )
    contact_email = models.EmailField("email", blank=True, default="")
    contact_phone = models.CharField(
        "phone", max_length=40, blank=True, default="", validators=[validate_no_markup]
    )
    keepsake_wish = models.CharField(
        "keepsake wanted how", max_length=10, choices=KeepsakeWish, blank=True, default=""
    )
    # The language the family wrote in (the page's), so every email to them is in it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    source = models.CharField(max_length=10, choices=Source, default=Source.STAFF)
    requested_on = models.DateField(default=timezone.localdate)

    status = models.CharField(max_length=10, choices=Status, default=Status.REQUESTED, editable=False)
    sewing_started_on = models.DateField(null=True, blank=True, editable=False)
    quilt = models.ForeignKey(
        Quilt, null=True, blank=True, on_delete=models.PROTECT, related_name="butterflies", editable=False
    )
    position = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # 1 <= position and one butterfly per place are constraints below; position <= quilt.capacity spans two
    # tables, so triggers hold it (migration 0002 says why a trigger rather than a copied capacity column).
    placed_on = models.DateField(null=True, blank=True, editable=False)

    keepsake_made_on = models.DateField(null=True, blank=True, editable=False)
    keepsake_sent_on = models.DateField("keepsake given or mailed on", null=True, blank=True, editable=False)
    keepsake_method = models.CharField(
        "keepsake given how", max_length=10, choices=KeepsakeMethod, blank=True, default="", editable=False
    )

    # Consent is the family's; approval is ours. The wall needs both, and neither implies the other.
    show_name_consent = models.BooleanField(
        "family agrees to show the name online",
        default=False,
        help_text="Only the family can give this. Record it as they told you.",
    )
    approved = models.BooleanField("approved by staff for the wall", default=False, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = _staff_member()

    # A website request is reviewed before it reaches the quilters: accepted, or declined with a kind note.
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = _staff_member()
    decline_note = models.TextField(
        "note to the family", blank=True, default="", editable=False, validators=[validate_no_markup]
    )

    notes = models.TextField("staff notes", blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ButterflyQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name_plural = "butterflies"
        indexes = [
            models.Index(fields=["status", "requested_on"], name="memorials_bfly_status_idx"),
            models.Index(
                fields=["show_name_consent", "approved", "first_name"], name="memorials_bfly_wall_idx"
            ),
            models.Index(fields=["keepsake_sent_on", "requested_on"], name="memorials_bfly_keepsake_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["quilt", "position"],
                condition=Q(quilt__isnull=False),
                name="memorials_butterfly_one_per_position",
                violation_error_message="Another butterfly already has that place on this quilt.",
            ),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(position__gte=1),
                name="memorials_butterfly_position_positive",
                violation_error_message="Places on a quilt are numbered from 1.",
            ),
            models.CheckConstraint(
                condition=Q(
                    status="on_quilt", quilt__isnull=False, position__isnull=False, placed_on__isnull=False
                )
                | (~Q(status="on_quilt") & Q(quilt__isnull=True, position__isnull=True)),
                name="memorials_butterfly_on_quilt_has_place",
                violation_error_message="A butterfly on a quilt needs its quilt, place and date.",
            ),
            models.CheckConstraint(
                condition=~Q(status="sewing") | Q(sewing_started_on__isnull=False),
                name="memorials_butterfly_sewing_has_date",
                violation_error_message="Record when sewing started.",
            ),
            models.CheckConstraint(
                condition=Q(donor__isnull=False) | ~Q(family_name=""),
                name="memorials_butterfly_has_family",
                violation_error_message="Choose the donor, or write the family's name.",
            ),
            models.CheckConstraint(
                condition=~Q(first_name="") & Q(LessThanOrEqual(Length("first_name"), NAME_COLUMN_MAX)),
                name="memorials_butterfly_name_length",
                violation_error_message="Please write the name to stitch.",
            ),
            models.CheckConstraint(
                condition=Q(keepsake_sent_on__isnull=True, keepsake_method="")
                | Q(
                    keepsake_sent_on__isnull=False,
                    keepsake_made_on__isnull=False,
                    keepsake_method__in=["given", "mailed"],
                    keepsake_sent_on__gte=models.F("keepsake_made_on"),
                ),
                name="memorials_butterfly_keepsake_sent_after_made",
                violation_error_message="A keepsake is given or mailed, with how, after it is made.",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | (~Q(decline_note="") & Q(reviewed_at__isnull=False)),
                name="memorials_butterfly_declined_has_note",
                violation_error_message="A declined request keeps the note the family was sent, and when.",
            ),
            models.CheckConstraint(
                condition=Q(approved=False, approved_at__isnull=True)
                | Q(approved=True, approved_at__isnull=False),
                name="memorials_butterfly_approval_has_time",
                violation_error_message="Approval records when it was given.",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} ({self.birth_date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("admin:memorials_butterfly_change", args=[self.pk])

    @property
    def family_display(self) -> str:
        """The family's name for staff: the donor's name, or the name on the paper record."""
        if self.donor_id:
            return self.donor.display_name
        return self.family_name

    @property
    def keepsake_address(self) -> str:
        """Where the keepsake goes: the family's own address on the request, else the donor's."""
        if self.mailing_address:
            return self.mailing_address
        if self.donor_id:
            donor = self.donor
            city_line = " ".join(part for part in (donor.city, donor.region, donor.postal_code) if part)
            lines = [donor.address_line1, donor.address_line2, city_line]
            return "\n".join(line for line in lines if line)
        return ""

    def donor_matches(self):
        return donor_matches(
            email=self.contact_email,
            phone=self.contact_phone,
            first_name=self.first_name,
            birth_date=self.birth_date,
        )

    @property
    def on_wall(self) -> bool:
        return self.show_name_consent and self.approved

    @property
    def keepsake_label(self) -> str:
        if self.keepsake_sent_on:
            return f"{self.get_keepsake_method_display()} {date_format(self.keepsake_sent_on, 'N j, Y')}"
        if self.keepsake_made_on:
            return "Made, not yet sent"
        return "Not yet made"


def bereaved_donors():
    """Bereaved donors memorial staff may meet: past the first inquiry, and not anonymized.

    People who have only asked to donate are the coordinators' to call; memorial staff see none of them.
    """
    from donors.models import Donor

    return (
        Donor.objects.filter(bereaved=True, anonymized_at__isnull=True)
        .exclude(stage=Donor.Stage.INQUIRY)
        .only("id", "first_name", "last_name", "preferred_name", "baby_first_name", "baby_birth_date")
        .order_by("last_name", "first_name", "id")
    )


def donors_for_butterflies():
    """The donors the add form can choose: finished donating, or already asked us for a butterfly."""
    from donors.models import Donor

    asked = Exists(Butterfly.objects.filter(donor=OuterRef("pk")))
    return bereaved_donors().filter(Q(stage=Donor.Stage.INACTIVE) | Q(asked))


def donor_matches(*, email, phone, first_name, birth_date):
    """Donor records that look like the family of a website request: the same email or phone, or the same
    baby's first name and birth date. Give the request's values, or OuterRefs for a subquery per row."""
    same_email = Q(email__iexact=email) & ~Q(email="")
    same_phone = Q(phone=phone) & ~Q(phone="")
    same_baby = Q(baby_first_name__iexact=first_name, baby_birth_date=birth_date)
    return bereaved_donors().filter(same_email | same_phone | same_baby)
