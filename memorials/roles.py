"""Who may do what with the memorial registry.

Memorial staff keep the quilts and butterflies and see the family's name and address for keepsakes; they
get no donors permission at all, so no screening data (the donor choice on a butterfly is built in
memorials.forms and shows only bereaved donors' names). Coordinators see a donor's butterflies read-only.
"""

from milkbank import roles

ROLE_PERMISSIONS = {
    roles.MEMORIAL_STAFF: {
        "memorials.quilt": roles.CRUD,
        "memorials.butterfly": roles.CRUD,
    },
    roles.COORDINATOR: {
        "memorials.quilt": ["view"],
        "memorials.butterfly": ["view"],
    },
}
