from .donor import AccessLink, Counter, Donor, ReminderSent, Task, TimelineEvent
from .milk import Depot, DropOff, FreezerCheck, MilkMonth, Shipment
from .screening import (
    BloodTest,
    Bloodwork,
    Deferral,
    LabReport,
    PhoneScreen,
    Questionnaire,
    Release,
    SignOff,
)

__all__ = [
    "AccessLink",
    "BloodTest",
    "Bloodwork",
    "Counter",
    "Deferral",
    "Depot",
    "Donor",
    "DropOff",
    "FreezerCheck",
    "LabReport",
    "MilkMonth",
    "PhoneScreen",
    "ReminderSent",
    "Questionnaire",
    "Release",
    "Shipment",
    "SignOff",
    "Task",
    "TimelineEvent",
]
