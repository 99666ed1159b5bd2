"""What each role may do with donor records (see milkbank/roles.py).

Depot volunteers get no permission on Donor or any screening model: the drop-off form shows them only
"approved" and "bloodwork valid until" through its own lookup, never the donor admin or health answers.
Memorial staff get nothing here.
"""

from milkbank import roles

CRUD = roles.CRUD

ROLE_PERMISSIONS = {
    roles.COORDINATOR: {
        "donors.donor": ["view", "add", "change", "export_donor", "anonymize_donor"],
        "donors.timelineevent": ["view"],
        "donors.task": ["view", "change"],
        "donors.phonescreen": ["view", "add"],
        "donors.questionnaire": ["view", "change"],
        "donors.bloodwork": ["view", "add", "change"],
        "donors.bloodtest": ["view"],
        "donors.labreport": ["view", "add"],
        "donors.release": ["view", "add", "change"],
        "donors.signoff": ["view", "add"],
        "donors.deferral": ["view"],
        "donors.depot": CRUD + ["view_all_depots"],
        "donors.freezercheck": ["view", "add"],
        "donors.dropoff": ["view", "add", "change"],
        "donors.shipment": ["view", "add", "change"],
    },
    roles.DEPOT_VOLUNTEER: {
        "donors.depot": ["view"],
        "donors.freezercheck": ["view", "add"],
        "donors.dropoff": ["view", "add"],
        "donors.shipment": ["view", "add"],
    },
}
