"""Forms for the memorial registry: the family's request on the website, and the staff steps in the admin."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Butterfly, Quilt, donors_for_butterflies
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
        label=_("Your baby's first name"),
        max_length=200,
        error_messages={"required": _("Please write your baby's first name.")},
        validators=[validate_embroidery_name],
    )
    birth_date = forms.DateField(
        label=_("Your baby's birth date"),
        widget=DateInput(),
        validators=[validate_not_future],
        error_messages={
            "required": _("Please give your baby's birth date."),
            "invalid": _("Please enter the date as year, month and day, for example 2023-05-14."),
        },
    )
    family_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Please tell us your name.")},
        validators=[validate_no_markup],
        help_text=_("So we know who to write to. It is never shown on the memorial wall."),
    )
    contact_email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    contact_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        validators=[validate_no_markup],
        help_text=_("An email or a phone number is enough; we will only use it about your butterfly."),
    )
    keepsake_wish = forms.ChoiceField(
        label=_("Your keepsake butterfly"),
        choices=[
            (Butterfly.KeepsakeWish.MAIL, _("Please mail it to me")),
            (Butterfly.KeepsakeWish.COLLECT, _("I will collect it from the milk bank")),
        ],
        initial=Butterfly.KeepsakeWish.MAIL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how you would like to receive your keepsake.")},
    )
    mailing_address = forms.CharField(
        label=_("Mailing address for your keepsake butterfly"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_markup],
        help_text=_("As you would write it on an envelope. Not needed if you will collect it."),
    )
    show_name_consent = forms.BooleanField(
        label=_("You may show my baby's first name and birth date on the memorial wall on this website."),
        required=False,
        help_text=_(
            "Leave this unticked to keep the name on the quilt only. You can change your mind at any time."
        ),
    )
    # A honeypot: hidden from people (see memorials.css), filled in by form-filling robots.
    website = forms.CharField(label=_("Leave this box empty"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].help_text = _(
            "Written exactly as you would like it stitched, in any script, up to %(limit)d letters."
        ) % {"limit": embroidery_name_max()}
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
                _("Please give an email or a phone number so we can reach you about your butterfly."),
                code="no_contact",
            )
        if (
            cleaned.get("keepsake_wish") == Butterfly.KeepsakeWish.MAIL
            and not cleaned.get("mailing_address", "").strip()
            and not self.has_error("mailing_address")
        ):
            self.add_error(
                "mailing_address",
                ValidationError(
                    _("Please give the address where we can send your keepsake, or choose to collect it."),
                    code="no_address",
                ),
            )
        return cleaned


# --- Staff: choosing a bereaved donor without any donors permission ---------------------------------------


class DonorSearchSelect(AutocompleteSelect):
    """The admin's own search-as-you-type box, asking memorials' donor search (admin.DonorSearchView)
    rather than the donor admin, which memorial staff may not open. Only the chosen donor is in the page."""

    def __init__(self):
        super().__init__(Butterfly._meta.get_field("donor"), admin.site)

    def get_url(self):
        return reverse("admin:memorials_butterfly_donor_search")


class BereavedDonorField(forms.ModelChoiceField):
    """Bereaved donors who finished donating or asked for a butterfly, by name only: memorial staff hold no
    donors permission at all, and people at the inquiry stage are not theirs to see."""

    def __init__(self, **kwargs):
        super().__init__(queryset=donors_for_butterflies(), widget=DonorSearchSelect, **kwargs)

    def label_from_instance(self, obj):
        return obj.display_name


class ButterflyAdminForm(forms.ModelForm):
    """Add or correct a butterfly. Status, quilt and keepsake change only through the step pages."""

    donor = BereavedDonorField(
        required=False,
        label="Bereaved donor",
        empty_label="No donor record (write the family's name below)",
        help_text="Type part of the donor's name. Only donors who finished donating or asked for a butterfly "
        "are found. The baby's first name and birth date are filled from the donor's record when the family "
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


class QuiltChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.completed_on:
            return f"{obj.name} (completed {date_format(obj.completed_on, 'N j, Y')})"
        return obj.name


class PlaceOnQuiltForm(forms.Form):
    quilt = QuiltChoice(queryset=Quilt.objects.order_by("started_on", "id"), label="Quilt")
    position = forms.IntegerField(
        label="Place on the quilt", min_value=1, max_value=32767, help_text="Places are numbered from 1."
    )
    on = forms.DateField(label="Sewn onto the quilt on", widget=DateInput(), validators=[_not_future])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The confirmation shows only once a completed quilt has been chosen, next to the warning.
        quilt_id = self.data.get("quilt", "") if self.is_bound else ""
        if quilt_id.isdigit() and Quilt.objects.filter(pk=quilt_id, completed_on__isnull=False).exists():
            self.fields["onto_completed"] = forms.BooleanField(
                label="Yes, place it on this completed quilt", required=False
            )


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


# --- Staff: reviewing a request from the website ---------------------------------------------------------


class DeclineRequestForm(forms.Form):
    note = forms.CharField(
        label="Your note to the family",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_no_markup],
        error_messages={"required": "Please write a few kind words to the family."},
        help_text="Sent as you write it, after a greeting and a thank-you for writing to us. Plain words; "
        "say what we can offer instead, if anything.",
    )


class DonorMatchChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        baby = obj.baby_first_name or "no baby's name on record"
        born = (
            date_format(obj.baby_birth_date, "N j, Y") if obj.baby_birth_date else "no birth date on record"
        )
        return f"{obj.display_name} ({baby}, {born})"


class LinkDonorForm(forms.Form):
    """Choose among the donor records that match the request (same email, phone, or baby's name and date)."""

    donor = DonorMatchChoice(
        queryset=None,
        label="Donor record",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the donor record that matches this request."},
    )

    def __init__(self, *args, butterfly, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = butterfly.donor_matches()
