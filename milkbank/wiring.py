"""Cross-app wiring. `donors` knows nothing of `memorials`: here the donor page learns to show butterflies,
and anonymizing a donor reaches the family's contact details on their butterflies."""


def connect_apps():
    from donors.admin.donor import DonorAdmin
    from donors.signals import donor_anonymized
    from memorials.admin import DonorButterflyInline
    from memorials.services import forget_donor_family

    if DonorButterflyInline not in DonorAdmin.inlines:
        DonorAdmin.inlines = [*DonorAdmin.inlines, DonorButterflyInline]
    donor_anonymized.connect(forget_donor_family, dispatch_uid="memorials.forget_donor_family")
