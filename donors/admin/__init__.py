"""Staff admin for donors: screening (donor.py) and milk logistics (milk.py)."""

from . import donor, milk  # noqa: F401 - registers the ModelAdmins
