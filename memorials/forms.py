"""Forms for the memorial registry: the family's request on the website, and the staff steps in the admin."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from donors.models import Donor

from .models import Butterfly, Quilt
from .validators import (
    embroidery_name_max,
    validate_embroidery_name,
    validate_no_markup,
    validate_not_future,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- The public request ----------------------------------------------------------------------------------


class ButterflyRequestForm(forms.Form):
    """A family asks for a butterfly. Kept short; every field says why we ask."""

    first_name = forms.CharField(
        label="Your baby's first name",
        max_length=200,
        error_messages={"required": "Please write your baby's first name."},
        validators=[validate_embroidery_name],
    )
    birth_date = forms.DateField(
        label="Your baby's birth date",
        widget=DateInput(),
        validators=[validate_not_future],
        error_messages={
            "required": "Please give your baby's birth date.",
            "invalid": "Please enter the date as year, month and day, for example 2023-05-14.",
        },
    )
    family_name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Please tell us your name."},
        validators=[validate_no_markup],
        help_text="So we know who to write to. It is never shown on the memorial wall.",
    )
    contact_email = forms.EmailField(label="Email", required=False, max_length=254)
    contact_phone = forms.CharField(
        label="Phone",
        required=False,
        max_length=40,
        validators=[validate_no_markup],
        help_text="An email or a phone number is enough; we will only use it about your butterfly.",
    )
    mailing_address = forms.CharField(
        label="Mailing address for your keepsake butterfly",
        max_length=500,
        error_messages={"required": "Please give the address where we can send your keepsake."},
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_markup],
        help_text="As you would write it on an envelope.",
    )
    show_name_consent = forms.BooleanField(
        label="You may show my baby's first name and birth date on the memorial wall on this website.",
        required=False,
        help_text="Leave this unticked to keep the name on the quilt only. "
        "You can change your mind at any time.",
    )
    # A honeypot: hidden from people (see memorials.css), filled in by form-filling robots.
    website = forms.CharField(label="Leave this box empty", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = embroidery_name_max()
        self.fields[
            "first_name"
        ].help_text = f"Written exactly as you would like it stitched, in any script, up to {limit} letters."
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["contact_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["contact_phone"].widget.attrs.update({"autocomplete": "tel"})
        self.fields["family_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["mailing_address"].widget.attrs.update({"autocomplete": "street-address"})

    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("contact_email")
            and not cleaned.get("contact_phone")
            and not self.has_error("contact_email")
            and not self.has_error("contact_phone")
        ):
            raise ValidationError(
                "Please give an email or a phone number so we can reach you about your butterfly.",
                code="no_contact",
            )
        return cleaned


# --- Staff: choosing a bereaved donor without any donors permission ---------------------------------------


class BereavedDonorSelect(forms.Select):
    """A select whose options carry the baby's name and birth date, for static/memorials/donor-choice.js."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        donor = getattr(value, "instance", None)
        if donor is not None:
            option["attrs"]["data-baby-first-name"] = donor.baby_first_name
            option["attrs"]["data-baby-birth-date"] = (
                donor.baby_birth_date.isoformat() if donor.baby_birth_date else ""
            )
        return option


class BereavedDonorField(forms.ModelChoiceField):
    """Only bereaved donors, and only their names: memorial staff hold no donors permission at all."""

    def __init__(self, **kwargs):
        queryset = (
            Donor.objects.filter(bereaved=True, anonymized_at__isnull=True)
            .only("id", "first_name", "last_name", "preferred_name", "baby_first_name", "baby_birth_date")
            .order_by("last_name", "first_name", "id")
        )
        super().__init__(queryset=queryset, widget=BereavedDonorSelect, **kwargs)

    def label_from_instance(self, obj):
        return obj.display_name


class ButterflyAdminForm(forms.ModelForm):
    """Add or correct a butterfly. Status, quilt and keepsake change only through the step pages."""

    donor = BereavedDonorField(
        required=False,
        label="Bereaved donor",
        empty_label="No donor record (write the family's name below)",
        help_text="The baby's first name and birth date are filled from the donor's record when the family "
        "shared them; you can still change them.",
    )

    class Meta:
        model = Butterfly
        fields = [
            "donor",
            "first_name",
            "birth_date",
            "family_name",
            "mailing_address",
            "contact_email",
            "contact_phone",
            "source",
            "requested_on",
            "show_name_consent",
            "notes",
        ]
        widgets = {
            "birth_date": DateInput(),
            "requested_on": DateInput(),
            "mailing_address": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Name and date may come from the donor's record, so they are checked in clean() instead.
        for name in ("first_name", "birth_date"):
            if name in self.fields:  # a view-only user's form has no fields
                self.fields[name].required = False
        if self.instance.pk:
            # The family of a recorded butterfly stays put; a mistake here is a new record.
            self.fields.pop("donor", None)

    def clean(self):
        cleaned = super().clean()
        donor = cleaned.get("donor") if "donor" in self.fields else self.instance.donor
        if donor is not None:
            if not cleaned.get("first_name") and not self.has_error("first_name") and donor.baby_first_name:
                cleaned["first_name"] = donor.baby_first_name
                self.instance.first_name = donor.baby_first_name
            if not cleaned.get("birth_date") and not self.has_error("birth_date") and donor.baby_birth_date:
                cleaned["birth_date"] = donor.baby_birth_date
                self.instance.birth_date = donor.baby_birth_date
        elif not cleaned.get("family_name") and not self.has_error("family_name"):
            self.add_error(
                "family_name", ValidationError("Choose the donor, or write the family's name.", code="family")
            )
        if not cleaned.get("first_name") and not self.has_error("first_name"):
            self.add_error("first_name", ValidationError("Please write the name to stitch.", code="required"))
        if not cleaned.get("birth_date") and not self.has_error("birth_date"):
            self.add_error("birth_date", ValidationError("Please give the birth date.", code="required"))
        return cleaned


# --- Staff: the steps ------------------------------------------------------------------------------------


def _not_future(value):
    if value and value > timezone.localdate():
        raise ValidationError("That date is in the future.", code="future")


class SewingForm(forms.Form):
    on = forms.DateField(label="Sewing started on", widget=DateInput(), validators=[_not_future])


class PlaceOnQuiltForm(forms.Form):
    quilt = forms.ModelChoiceField(queryset=Quilt.objects.order_by("started_on", "id"), label="Quilt")
    position = forms.IntegerField(
        label="Place on the quilt", min_value=1, max_value=32767, help_text="Places are numbered from 1."
    )
    on = forms.DateField(label="Sewn onto the quilt on", widget=DateInput(), validators=[_not_future])


class KeepsakeForm(forms.Form):
    made_on = forms.DateField(
        label="Keepsake made on", widget=DateInput(), required=False, validators=[_not_future]
    )
    sent_on = forms.DateField(
        label="Given or mailed on", widget=DateInput(), required=False, validators=[_not_future]
    )
    method = forms.ChoiceField(
        label="How the family received it",
        choices=[("", "Not yet")] + [c for c in Butterfly.KeepsakeMethod.choices if c[0]],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sent_on") and not cleaned.get("method"):
            self.add_error("method", ValidationError("Choose given in person or mailed.", code="method"))
        if cleaned.get("method") and not cleaned.get("sent_on") and not self.has_error("sent_on"):
            self.add_error("sent_on", ValidationError("Give the date it was given or mailed.", code="date"))
        if not cleaned.get("made_on") and not cleaned.get("sent_on") and not self.errors:
            raise ValidationError("Give the date it was made, or given or mailed.", code="empty")
        return cleaned
