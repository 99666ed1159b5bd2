"""Signals other apps may listen to, so `donors` never has to import them."""

from django.dispatch import Signal

# Sent inside the anonymizing transaction, with `donor` (already anonymized) and `by` (the staff user).
# A receiver removes what its own app keeps about the donor; if it raises, nothing is anonymized.
donor_anonymized = Signal()

# Sent while building a donor's data export, with `donor`. A receiver returns a dict of extra sections
# ({"butterflies": [...]}) holding what its own app keeps about the donor, or None.
donor_exporting = Signal()
