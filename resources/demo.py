"""A little demo feedback, so content editors see what the feedback list looks like."""

from .models import Feedback

DEMO_FEEDBACK = [
    {"kind": Feedback.Kind.HELPFUL, "helpful": True, "path": "/suppressing-your-supply/", "comment": ""},
    {
        "kind": Feedback.Kind.HELPFUL,
        "helpful": False,
        "path": "/pumping-plan/",
        "comment": "I wanted to know what to do at night.",
    },
    {
        "kind": Feedback.Kind.ERROR,
        "helpful": None,
        "path": "/other-milk-banks/",
        "comment": "The phone number for one bank looks out of date.",
    },
]


def seed(*, users, stdout):
    made = 0
    for row in DEMO_FEEDBACK:
        _, created = Feedback.objects.get_or_create(**row)
        made += created
    stdout.write(f"Public pages: {made} demo feedback notes added.")
