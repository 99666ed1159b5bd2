"""Forms for depot work. They check the shape of the input; the rules live in donors.milk.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Depot, Donor, DropOff, Shipment
from . import services as milk_services


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _whole_number(label: str, **kwargs) -> forms.IntegerField:
    # No min/max here: the service answers zero, negative and absurd numbers with a message that says why.
    return forms.IntegerField(
        label=label,
        error_messages={
            "invalid": "Enter a whole number.",
            "required": f"Enter the {label[:1].lower() + label[1:]}.",
        },
        **kwargs,
    )


def _expression_date(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"required": f"Enter the {label.lower()}.", "invalid": "Enter a real date."},
        **kwargs,
    )


class DonorSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a donor by number or name",
        max_length=60,
        required=False,
        help_text="A donor number like D000123 or 123, or the start of a first or last name.",
    )


class DepotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.city}"


class DropOffForm(forms.Form):
    donor = forms.CharField(
        label="Donor number",
        max_length=20,
        help_text="From the donor's card: D000123 or just 123.",
        error_messages={"required": "Enter the donor number from the donor's card."},
    )
    channel = forms.ChoiceField(
        label="How the milk came in", choices=DropOff.Channel.choices, initial=DropOff.Channel.DEPOT
    )
    depot = DepotChoiceField(
        label="Depot", queryset=Depot.objects.none(), required=False, empty_label="Choose a depot"
    )
    containers = _whole_number("Containers")
    volume_ml = _whole_number(
        "Volume (mL)", required=False, help_text="Or fill in ounces below and we work out the mL."
    )
    volume_oz = forms.DecimalField(
        label="Volume in US fluid ounces (optional)",
        required=False,
        max_digits=8,
        decimal_places=2,
        help_text="1 US fl oz = 29.5735 mL. Used only when mL is empty.",
        error_messages={
            "invalid": "Enter a number of ounces, like 12 or 12.5.",
            "max_digits": "That is far too many ounces: please check the number.",
            "max_decimal_places": "Use at most two decimal places for ounces.",
        },
    )
    expressed_from = _expression_date(
        "Earliest expression date", help_text="The day the oldest milk in this drop-off was expressed."
    )
    expressed_to = _expression_date("Latest expression date")
    health_declaration = forms.BooleanField(
        label="The donor says they have had no new illness or medication since screening",
        required=False,
    )
    use = forms.ChoiceField(
        label="What the milk is for",
        choices=DropOff.Use.choices,
        initial=DropOff.Use.CLINICAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        depots = Depot.objects.for_user(user).filter(active=True).order_by("name")
        self.fields["depot"].queryset = depots
        if not milk_services.can_see_all_depots(user):
            # Volunteers log milk at their depots only; the bank's own channels are for coordinators.
            del self.fields["channel"]
            self.fields["depot"].required = True
            self.fields["depot"].error_messages["required"] = "Choose the depot where the milk was left."
        self.fields["volume_ml"].widget.attrs.update({"inputmode": "numeric", "class": "js-ml"})
        self.fields["volume_oz"].widget.attrs.update({"inputmode": "decimal", "class": "js-oz"})
        self.fields["donor"].widget.attrs.update({"autocomplete": "off", "autofocus": True})

    def clean_donor(self) -> Donor:
        text = self.cleaned_data["donor"]
        number = milk_services.parse_donor_number(text)
        if number is None:
            raise forms.ValidationError(
                "Enter the donor number from the donor's card, like D000123 or 123.", code="bad_number"
            )
        donor = Donor.objects.filter(donor_number=number).first()
        if donor is None:
            raise forms.ValidationError(
                "No donor has the number D%(number)06d. Check the card, or search by name above.",
                code="no_donor",
                params={"number": number},
            )
        return donor

    def clean_containers(self):
        containers = self.cleaned_data["containers"]
        if message := milk_services.containers_problem(containers):
            raise forms.ValidationError(message, code="containers")
        return containers

    def clean_volume_ml(self):
        volume = self.cleaned_data["volume_ml"]
        if volume is not None and (message := milk_services.volume_problem(volume)):
            raise forms.ValidationError(message, code="volume")
        return volume

    def clean(self):
        data = super().clean()
        typed_ml = data.get("volume_ml") is not None
        if not typed_ml and "volume_ml" not in self.errors:
            ounces = data.get("volume_oz")
            if ounces is None:
                if "volume_oz" not in self.errors:
                    self.add_error("volume_ml", "Enter the volume in mL (or in ounces).")
            elif ounces <= 0:
                self.add_error("volume_oz", "Enter the volume: more than 0 ounces.")
            else:
                data["volume_ml"] = milk_services.ounces_to_ml(ounces)
                if message := milk_services.volume_problem(data["volume_ml"]):
                    self.add_error("volume_oz", message)
        volume, containers = data.get("volume_ml"), data.get("containers")
        if volume and containers and not ({"volume_ml", "volume_oz", "containers"} & set(self.errors)):
            if message := milk_services.volume_problem(volume, containers):
                self.add_error("volume_ml" if typed_ml else "volume_oz", message)
        data.setdefault("channel", DropOff.Channel.DEPOT)
        return data


class FreezerCheckForm(forms.Form):
    depot = DepotChoiceField(
        label="Depot",
        queryset=Depot.objects.none(),
        empty_label="Choose a depot",
        error_messages={"required": "Choose the depot whose freezer you checked."},
    )
    temperature_c = forms.DecimalField(
        label="Freezer temperature (°C)",
        max_digits=4,
        decimal_places=1,
        help_text="Read the thermometer inside the freezer, for example -22.5.",
        error_messages={
            "required": "Enter the temperature in °C.",
            "invalid": "Enter the temperature as a number, like -22.5.",
            "max_digits": "Enter a reading between -90 and 40 °C.",
            "max_whole_digits": "Enter a reading between -90 and 40 °C.",
            "max_decimal_places": "Use at most one decimal place.",
        },
    )
    notes = forms.CharField(label="Notes (optional)", max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        depots = Depot.objects.for_user(user).filter(active=True).order_by("name")
        self.fields["depot"].queryset = depots
        self.fields["temperature_c"].widget.attrs.update({"inputmode": "decimal", "step": "0.1"})


class DropOffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return (
            f"#{obj.pk}: {obj.donor.number_label}, {obj.containers} container(s), {obj.volume_ml:,} mL, "
            f"expressed {obj.expressed_from:%Y-%m-%d} to {obj.expressed_to:%Y-%m-%d}"
            + (" (held for a coordinator's decision)" if obj.hold else "")
        )


class ShipmentForm(forms.Form):
    dropoffs = DropOffChoiceField(
        label="Drop-offs in this shipment",
        queryset=DropOff.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one drop-off to ship.",
            "invalid_choice": "Drop-off #%(value)s is no longer waiting here. Reload the page and try again.",
        },
    )
    carrier = forms.CharField(label="Carrier", max_length=100, help_text="A courier, or who is driving it.")
    tracking = forms.CharField(label="Tracking number (optional)", max_length=100, required=False)
    coolant = forms.ChoiceField(label="Coolant", choices=Shipment.Coolant.choices, widget=forms.RadioSelect)
    containers = _whole_number("Coolers or boxes", initial=1)
    notes = forms.CharField(label="Notes (optional)", max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, depot: Depot, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = depot.dropoffs.waiting_to_ship().select_related("donor").order_by("expressed_from", "pk")
        self.fields["dropoffs"].queryset = waiting
        self.fields["notes"].widget.attrs["rows"] = 2


class ShipmentReceiveForm(forms.Form):
    received_at = forms.DateTimeField(
        label="Arrived at",
        widget=DateTimeInput(),
        error_messages={"required": "Enter when it arrived.", "invalid": "Enter a real date and time."},
    )
    condition = forms.ChoiceField(
        label="Condition on arrival",
        choices=Shipment.Condition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the condition the milk arrived in."},
    )
    notes = forms.CharField(label="Notes (optional)", max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.fields["notes"].widget.attrs["rows"] = 2


def _reason(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=milk_services.REASON_MAX,
        help_text=help_text,
        error_messages={
            "required": "Say why, in a few words.",
            "max_length": f"Keep the reason under {milk_services.REASON_MAX} characters.",
        },
    )


class VoidForm(forms.Form):
    reason = _reason("Why void it?", "For example: wrong donor number, or logged twice.")


class NotUsedForm(forms.Form):
    reason = _reason("Why is the milk not used?", "For example: thawed, or the container leaked.")


class CorrectionForm(forms.Form):
    containers = _whole_number("Containers")
    volume_ml = _whole_number("Volume (mL)")
    expressed_from = _expression_date("Earliest expression date")
    expressed_to = _expression_date("Latest expression date")
    reason = _reason("Why the correction?", "Kept in the drop-off's history with the old values.")


class RegionForm(forms.Form):
    """The public depot directory's area filter (donors and families see it, in their language)."""

    region = forms.ChoiceField(label=gettext_lazy("State or province"), required=False)

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", gettext_lazy("All areas")), *((r, r) for r in regions)]
        self.fields["region"].error_messages["invalid_choice"] = gettext_lazy("Choose an area from the list.")


class ReportForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Show the last",
        coerce=int,
        choices=[(3, "3 months"), (6, "6 months"), (12, "12 months"), (24, "24 months")],
        initial=12,
        required=False,
        empty_value=12,
    )
