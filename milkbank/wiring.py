"""Cross-app wiring. `donors` knows nothing of `memorials`; here the donor page learns to show butterflies."""


def connect_apps():
    from donors.admin.donor import DonorAdmin
    from memorials.admin import DonorButterflyInline

    if DonorButterflyInline not in DonorAdmin.inlines:
        DonorAdmin.inlines = [*DonorAdmin.inlines, DonorButterflyInline]
