"""Cross-app wiring. `donors` knows nothing of `memorials`: here the donor page learns to show butterflies,
a donor's data export includes them, and anonymizing a donor reaches the family's contact details on them."""


def connect_apps():
    from donors.admin.donor import DonorAdmin
    from donors.signals import donor_anonymized, donor_exporting
    from memorials.admin import DonorButterflyInline
    from memorials.services import donor_butterflies_export, forget_donor_family

    if DonorButterflyInline not in DonorAdmin.inlines:
        DonorAdmin.inlines = [*DonorAdmin.inlines, DonorButterflyInline]
    donor_anonymized.connect(forget_donor_family, dispatch_uid="memorials.forget_donor_family")
    donor_exporting.connect(donor_butterflies_export, dispatch_uid="memorials.donor_butterflies_export")
