import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from ..models import Donor

# Above this a single drop-off is surely a typo (about 40 litres); the form says so instead of saving.
MAX_DROPOFF_ML = 40_000


def sees_all_depots(user) -> bool:
    """Coordinators (and superusers) see every depot's records; volunteers only their own depots'."""
    return user.is_superuser or user.has_perm("donors.view_all_depots")


class DepotScopedQuerySet(models.QuerySet):
    """`for_user(user)`: rows of the depots this user may see (`volunteers_path` leads to volunteers)."""

    volunteers_path = "depot__volunteers"

    def for_user(self, user):
        if sees_all_depots(user):
            return self
        return self.filter(**{self.volunteers_path: user})


class DepotQuerySet(DepotScopedQuerySet):
    volunteers_path = "volunteers"

    def public(self):
        return self.filter(active=True, listed_publicly=True).order_by("region", "city", "name")


class Depot(models.Model):
    name = models.CharField(max_length=200)
    address_line1 = models.CharField("street address", max_length=200, blank=True, default="")
    address_line2 = models.CharField("address (line 2)", max_length=200, blank=True, default="")
    city = models.CharField(max_length=100)
    region = models.CharField("state or province", max_length=100)
    postal_code = models.CharField(max_length=20, blank=True, default="")
    hours = models.CharField(max_length=300, blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    contact_name = models.CharField(max_length=200, blank=True, default="")
    active = models.BooleanField(default=True)
    listed_publicly = models.BooleanField(default=True)
    lockable_freezer = models.BooleanField(default=True)
    volunteers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="depots")

    objects = DepotQuerySet.as_manager()

    class Meta:
        ordering = ["region", "name"]
        permissions = [("view_all_depots", "Can see every depot's records")]
        constraints = [models.UniqueConstraint(fields=["name", "city"], name="donors_depot_unique_name_city")]

    def __str__(self):
        return f"{self.name} ({self.city})"

    def get_absolute_url(self):
        return reverse("admin:donors_depot_change", args=[self.pk])


class FreezerCheck(models.Model):
    depot = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="freezer_checks")
    checked_at = models.DateTimeField(default=timezone.now)
    temperature_c = models.DecimalField(
        "temperature (°C)",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(-90), MaxValueValidator(40)],
    )
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    over_limit = models.BooleanField(
        default=False, editable=False, help_text="Above the limit in force then."
    )
    notes = models.CharField(max_length=500, blank=True, default="")

    objects = DepotScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["depot", "-checked_at"], name="donors_freezer_depot_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature_c__gte=-90) & Q(temperature_c__lte=40),
                name="donors_freezercheck_plausible",
                violation_error_message="A freezer reading must be between -90 and 40 °C.",
            ),
        ]

    def __str__(self):
        return f"{self.temperature_c} °C at {timezone.localtime(self.checked_at):%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.over_limit = float(self.temperature_c) > settings.MILKBANK["FREEZER_LIMIT_C"]
        super().save(*args, **kwargs)


class Shipment(models.Model):
    class Coolant(models.TextChoices):
        DRY_ICE = "dry_ice", "Dry ice"
        GEL_PACKS = "gel_packs", "Frozen gel packs"
        NONE = "none", "None (hand carried frozen)"

    class Condition(models.TextChoices):
        FROZEN_SOLID = "frozen_solid", "Frozen solid"
        PARTLY_THAWED = "partly_thawed", "Partly thawed"
        THAWED = "thawed", "Thawed"

    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="shipments")
    shipped_at = models.DateTimeField(default=timezone.now)
    shipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    carrier = models.CharField(max_length=100)
    tracking = models.CharField(max_length=100, blank=True, default="")
    coolant = models.CharField(max_length=20, choices=Coolant, default=Coolant.DRY_ICE)
    containers = models.PositiveSmallIntegerField(
        "coolers or boxes", default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    condition = models.CharField(max_length=20, choices=Condition, blank=True, default="")
    notes = models.TextField(blank=True, default="", max_length=2000)

    objects = DepotScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-shipped_at"]
        indexes = [
            models.Index(fields=["depot", "-shipped_at"], name="donors_shipment_depot_idx"),
            # Shipments still on the way are few among all ever sent: the dashboard tile and the depot page
            # read them through this partial index.
            models.Index(
                fields=["shipped_at"],
                condition=Q(received_at__isnull=True),
                name="donors_shipment_on_way_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(received_at__gte=F("shipped_at")),
                name="donors_shipment_received_after_shipped",
                violation_error_message="A shipment cannot arrive before it left.",
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | ~Q(condition=""),
                name="donors_shipment_received_has_condition",
                violation_error_message="Record the condition the milk arrived in.",
            ),
        ]

    def __str__(self):
        return f"Shipment from {self.depot.name} on {timezone.localtime(self.shipped_at):%Y-%m-%d}"

    @property
    def journey_time(self) -> datetime.timedelta | None:
        if self.received_at is None:
            return None
        return self.received_at - self.shipped_at


class DropOffQuerySet(DepotScopedQuerySet):
    def waiting_to_ship(self):
        return self.filter(status=DropOff.Status.AT_DEPOT, channel=DropOff.Channel.DEPOT)

    def counted(self):
        """Milk that counts in totals: not marked "not used", not voided as a mistake."""
        return self.exclude(status__in=DropOff.Status.not_counted())

    def held(self):
        """Milk held after a warm freezer or a thawed shipment, waiting for a coordinator's decision."""
        return self.exclude(hold="")


class DropOff(models.Model):
    class Channel(models.TextChoices):
        DEPOT = "depot", "Left at a depot"
        SHIPPED = "shipped", "Shipped to the bank"
        BROUGHT = "brought", "Brought to the bank"

    class Use(models.TextChoices):
        CLINICAL = "clinical", "For babies (clinical)"
        RESEARCH = "research", "Research only"

    class Status(models.TextChoices):
        AT_DEPOT = "at_depot", "At the depot"
        IN_TRANSIT = "in_transit", "On the way to the bank"
        RECEIVED = "received", "Received at the bank"
        REJECTED = "rejected", "Not used"
        VOIDED = "voided", "Voided (logged by mistake)"

        @classmethod
        def not_counted(cls) -> list[str]:
            return [cls.REJECTED, cls.VOIDED]

    class Hold(models.TextChoices):
        FREEZER_WARM = "freezer_warm", "Held: the depot freezer read too warm"
        THAWED = "thawed", "Held: the shipment arrived thawed or partly thawed"

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="dropoffs")
    channel = models.CharField(max_length=10, choices=Channel, default=Channel.DEPOT)
    depot = models.ForeignKey(Depot, null=True, blank=True, on_delete=models.PROTECT, related_name="dropoffs")
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    containers = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(500)])
    volume_ml = models.PositiveIntegerField(
        "volume (mL)", validators=[MinValueValidator(1), MaxValueValidator(MAX_DROPOFF_ML)]
    )
    expressed_from = models.DateField("earliest expression date")
    expressed_to = models.DateField("latest expression date")
    health_declaration = models.BooleanField(
        default=False, help_text="The donor confirmed no new illness or medication since screening."
    )
    use = models.CharField(max_length=10, choices=Use, default=Use.CLINICAL)
    status = models.CharField(max_length=12, choices=Status, default=Status.AT_DEPOT)
    rejection_reason = models.CharField(max_length=300, blank=True, default="")
    void_reason = models.CharField("why it was voided", max_length=300, blank=True, default="")
    hold = models.CharField(
        max_length=20,
        choices=Hold,
        blank=True,
        default="",
        help_text="Held milk waits for a coordinator to decide: use it, or not used with a reason.",
    )
    shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="dropoffs"
    )  # one FK: a drop-off can be in one shipment at most, by construction
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DropOffQuerySet.as_manager()

    class Meta:
        verbose_name = "drop-off"
        verbose_name_plural = "drop-offs"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="donors_dropoff_recent_idx"),
            models.Index(fields=["donor", "-received_at"], name="donors_dropoff_donor_idx"),
            models.Index(fields=["depot", "status", "expressed_from"], name="donors_dropoff_depot_idx"),
            models.Index(fields=["status", "-received_at"], name="donors_dropoff_status_idx"),
            # Held milk is a handful of rows among a million: the depot page, the dashboard tile and the
            # held list read it through this small partial index.
            models.Index(
                fields=["depot", "-received_at"], condition=~Q(hold=""), name="donors_dropoff_held_idx"
            ),
            # The admin list's sortable columns, each with the id that breaks ties (IndexedSortChangeList).
            models.Index(fields=["volume_ml", "id"], name="donors_dropoff_volume_idx"),
            models.Index(fields=["shipment", "id"], name="donors_dropoff_shipment_idx"),
            # Research milk is a small share: its list filter and its "Show counts" read this, not every row.
            models.Index(
                fields=["-received_at", "-id"],
                condition=Q(use="research"),
                name="donors_dropoff_research_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="depot", depot__isnull=False)
                | (~Q(channel="depot") & Q(depot__isnull=True)),
                name="donors_dropoff_depot_matches_channel",
                violation_error_message="Choose the depot for milk left at a depot (and only then).",
            ),
            models.CheckConstraint(
                condition=Q(volume_ml__gte=1) & Q(volume_ml__lte=MAX_DROPOFF_ML),
                name="donors_dropoff_volume_range",
                violation_error_message="The volume must be between 1 mL and 40 litres.",
            ),
            models.CheckConstraint(
                condition=Q(containers__gte=1),
                name="donors_dropoff_has_containers",
            ),
            models.CheckConstraint(
                condition=Q(expressed_from__lte=F("expressed_to")),
                name="donors_dropoff_expression_order",
                violation_error_message="The earliest expression date must be on or before the latest.",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="donors_dropoff_rejected_has_reason",
                violation_error_message="Say why the milk is not used.",
            ),
            models.CheckConstraint(
                condition=~Q(status="voided") | ~Q(void_reason=""),
                name="donors_dropoff_voided_has_reason",
                violation_error_message="Say why the drop-off is voided.",
            ),
            models.CheckConstraint(
                condition=Q(hold="") | Q(status__in=["at_depot", "in_transit", "received"]),
                name="donors_dropoff_hold_is_open",
                violation_error_message="Milk not used or voided is no longer held.",
            ),
            models.CheckConstraint(
                condition=~Q(use="clinical") | Q(health_declaration=True),
                name="donors_dropoff_clinical_needs_declaration",
                violation_error_message="Milk for babies needs the donor's health declaration.",
            ),
        ]

    def __str__(self):
        return f"Drop-off #{self.pk}"

    def get_absolute_url(self):
        return reverse("admin:donors_dropoff_change", args=[self.pk])

    @property
    def label_code(self):
        """The barcode text: bank-local now, shaped so it could map to an ISBT 128 donation number later."""
        return f"D{self.donor.donor_number or 0:06d}-{self.pk:08d}"


class MilkMonth(models.Model):
    """Millilitres and drop-offs per UTC month, depot, channel and use, of the milk not marked "not used".

    Kept by database triggers on donors_dropoff (migration 0012), in the same transaction as every write
    to a drop-off, by any path: so it is never stale. The milk report reads these few thousand rows instead
    of every drop-off in its window; it adds the hours between a UTC and a local month boundary from the
    drop-offs themselves (donors.milk.services.depot_month_totals). Never written by the application.
    """

    month = models.DateField(help_text="The first day of the month, in UTC.")
    depot_key = models.IntegerField(default=0, help_text="The depot's id; 0 for milk not left at a depot.")
    channel = models.CharField(max_length=10)
    use = models.CharField(max_length=10)
    volume_ml = models.BigIntegerField(default=0)
    dropoffs = models.IntegerField(default=0)

    class Meta:
        verbose_name = "milk month"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "depot_key", "channel", "use"], name="donors_milkmonth_unique"
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} depot {self.depot_key} {self.channel} {self.use}: {self.volume_ml} mL"


class DonorMonth(models.Model):
    """Drop-offs per UTC month and donor, of the milk not marked "not used": one row per donor who gave milk
    that month. The reports count "donors who gave milk" per month from these rows instead of every
    drop-off (donors.reports.milk); kept by database triggers (donors.donor_months), like MilkMonth.
    Never written by the application."""

    month = models.DateField(help_text="The first day of the month, in UTC.")
    donor_key = models.IntegerField(help_text="The donor's id.")
    dropoffs = models.IntegerField(default=0)

    class Meta:
        verbose_name = "donor month"
        constraints = [
            models.UniqueConstraint(fields=["month", "donor_key"], name="donors_donormonth_unique"),
        ]
        indexes = [models.Index(fields=["donor_key", "month"], name="donors_donormonth_donor_idx")]

    def __str__(self):
        return f"{self.month:%Y-%m} donor {self.donor_key}: {self.dropoffs} drop-offs"
