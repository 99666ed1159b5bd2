"""Staff pages: who may open each memorials URL, what the work lists show, and what they cost in queries."""

import pytest
from django.urls import reverse

from memorials import services
from memorials.models import Butterfly
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
Status = Butterfly.Status

VIEW = "view"  # memorial staff, coordinators (read-only) and the superuser
CHANGE = "change"  # memorial staff and the superuser
PUBLIC = "public"


def _urls(butterfly, quilt, request):
    return [
        (reverse("memorials:requests"), VIEW),
        (reverse("memorials:request_decline", args=[request.pk]), CHANGE),
        (reverse("memorials:request_link", args=[request.pk]), CHANGE),
        (reverse("memorials:home"), PUBLIC),
        (reverse("memorials:thanks"), PUBLIC),
        (reverse("memorials:sewing_queue"), VIEW),
        (reverse("memorials:work_order"), VIEW),
        (reverse("memorials:quilts"), VIEW),
        (reverse("memorials:quilt", args=[quilt.pk]), VIEW),
        (reverse("memorials:keepsakes"), VIEW),
        (reverse("admin:memorials_butterfly_changelist"), VIEW),
        (reverse("admin:memorials_quilt_changelist"), VIEW),
        (reverse("admin:memorials_butterfly_change", args=[butterfly.pk]), VIEW),
        (reverse("admin:memorials_quilt_change", args=[quilt.pk]), VIEW),
        (reverse("admin:memorials_butterfly_add"), CHANGE),
        (reverse("admin:memorials_quilt_add"), CHANGE),
        (reverse("admin:memorials_butterfly_sewing", args=[butterfly.pk]), CHANGE),
        (reverse("admin:memorials_butterfly_place", args=[butterfly.pk]), CHANGE),
        (reverse("admin:memorials_butterfly_keepsake", args=[butterfly.pk]), CHANGE),
        (reverse("admin:memorials_butterfly_approval", args=[butterfly.pk]), CHANGE),
    ]


EXPECTED = {
    # persona: {access level of the URL: status}
    "anonymous": {PUBLIC: 200, VIEW: 302, CHANGE: 302},
    "volunteer": {PUBLIC: 200, VIEW: 403, CHANGE: 403},
    "editor": {PUBLIC: 200, VIEW: 403, CHANGE: 403},
    "no_role": {PUBLIC: 200, VIEW: 403, CHANGE: 403},
    "coordinator": {PUBLIC: 200, VIEW: 200, CHANGE: 403},
    "memorial": {PUBLIC: 200, VIEW: 200, CHANGE: 200},
    "superuser": {PUBLIC: 200, VIEW: 200, CHANGE: 200},
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_it_answers_each_memorials_url_as_the_role_allows(
    client, personas, superuser, make_butterfly, quilt, persona
):
    users = {**personas, "superuser": superuser}
    user = users[persona]
    if user is not None:
        client.force_login(user)
    butterfly = make_butterfly()
    request = services.butterfly_request_for_family(
        first_name="Noor", birth_date=butterfly.birth_date, family_name="F", contact_phone="555-0100"
    )
    wrong = []
    for url, level in _urls(butterfly, quilt, request):
        response = client.get(url)
        expected = EXPECTED[persona][level]
        if response.status_code != expected:
            wrong.append(f"{url}: {response.status_code}, expected {expected}")
        if expected == 302:
            assert "/admin/login/" in response["Location"]
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


def test_it_answers_404_for_a_butterfly_or_quilt_that_does_not_exist(client, memorial_staff):
    client.force_login(memorial_staff)
    assert client.get(reverse("memorials:quilt", args=[999])).status_code == 404
    assert client.get(reverse("admin:memorials_butterfly_place", args=[999])).status_code == 404
    assert client.get("/admin/memorials/butterfly/abc/place/").status_code == 404


def test_memorial_staff_get_no_donors_permission_at_all(memorial_staff, client):
    assert not [p for p in memorial_staff.get_all_permissions() if p.startswith("donors.")]
    client.force_login(memorial_staff)
    assert client.get("/admin/donors/donor/").status_code in (403, 404)


def test_the_admin_index_links_to_the_work_lists_only_for_those_who_may_see_them(
    client, memorial_staff, editor
):
    client.force_login(memorial_staff)
    html = client.get(reverse("admin:index")).content.decode()
    for name in ("sewing_queue", "keepsakes", "quilts"):
        assert reverse(f"memorials:{name}") in html
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("memorials:sewing_queue") not in html


def test_the_sewing_queue_and_work_order_show_names_exactly_as_to_stitch(
    client, memorial_staff, make_butterfly, quilt
):
    make_butterfly(first_name="Zoë", status=Status.REQUESTED)
    make_butterfly(first_name="عائشة", status=Status.SEWING, family_name="Amina Hassan")
    make_butterfly(first_name="Placed", status=Status.ON_QUILT, quilt=quilt, position=1)
    client.force_login(memorial_staff)
    queue = client.get(reverse("memorials:sewing_queue")).content.decode()
    assert "Zoë" in queue and "عائشة" in queue and "Amina Hassan" in queue
    assert "Placed" not in queue
    order = client.get(reverse("memorials:work_order")).content.decode()
    assert 'class="work-order-name" dir="auto">عائشة<' in order
    assert "May 14, 2023" in order
    assert "Amina Hassan" not in order  # the quilters need the name to stitch, not the family


def test_the_quilt_page_shows_which_places_are_filled(client, memorial_staff, make_butterfly, quilt):
    make_butterfly(first_name="Ngọc", status=Status.ON_QUILT, quilt=quilt, position=2)
    client.force_login(memorial_staff)
    html = client.get(reverse("memorials:quilt", args=[quilt.pk])).content.decode()
    assert "1 of 3 places filled" in html and "The next open place is place 1." in html
    assert html.count("is-open") == 2 and html.count("is-filled") == 1
    quilt.completed_on = quilt.started_on
    quilt.save()
    html = client.get(reverse("memorials:quilt", args=[quilt.pk])).content.decode()
    assert "This quilt is completed." in html and "The next open place" not in html
    assert "Ngọc" in html
    listing = client.get(reverse("memorials:quilts")).content.decode()
    assert "1 of 3" in listing


def test_the_keepsake_list_shows_where_each_keepsake_goes_until_it_is_sent(
    client, memorial_staff, make_butterfly, bereaved_donor
):
    from .conftest import butterfly_for_donor, website_request

    paper = make_butterfly(first_name="Paper", mailing_address="4 Oak Road\nEly, MN 55731")
    butterfly_for_donor(bereaved_donor, by=memorial_staff, keepsake_wish="mail")
    collector = website_request(first_name="Collector", keepsake_wish="collect", mailing_address="")
    services.butterfly_request_accept(butterfly=collector, by=memorial_staff)
    website_request(first_name="Unreviewed")  # not accepted yet: no keepsake is being made
    client.force_login(memorial_staff)
    html = client.get(reverse("memorials:keepsakes")).content.decode()
    assert "4 Oak Road<br>Ely, MN 55731" in html
    assert "9 Birch Lane" in html and "Maya Okafor" in html
    assert "The family will collect it" in html and "Unreviewed" not in html
    services.keepsake_record_made(butterfly=paper)
    services.keepsake_record_sent(butterfly=paper, method="mailed")
    html = client.get(reverse("memorials:keepsakes")).content.decode()
    assert "4 Oak Road" not in html


def _many(make_butterfly, quilt, count):
    for n in range(count):
        status = [Status.REQUESTED, Status.SEWING][n % 2]
        make_butterfly(first_name=f"Name{n}", status=status)


@pytest.mark.parametrize("count", [2, 60])
@pytest.mark.parametrize(
    "name, queries",
    [("memorials:sewing_queue", 6), ("memorials:work_order", 5), ("memorials:keepsakes", 6)],
)
def test_the_work_lists_run_a_fixed_number_of_queries(
    client, memorial_staff, make_butterfly, quilt, count, name, queries, django_assert_num_queries
):
    """Queues grow with the program; the cost must not. Session, user and the role's permissions (2) take 4,
    then the pager's COUNT and one page of rows (families joined in), or one list for the work order."""
    _many(make_butterfly, quilt, count)
    client.force_login(memorial_staff)
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("filled", [0, 3])
def test_the_quilt_pages_run_a_fixed_number_of_queries(
    client, memorial_staff, make_butterfly, quilt, filled, django_assert_num_queries
):
    """A quilt page is the quilt and its places (2 queries after login), however many are filled."""
    for position in range(1, filled + 1):
        make_butterfly(status=Status.ON_QUILT, quilt=quilt, position=position)
    client.force_login(memorial_staff)
    with django_assert_num_queries(6):
        client.get(reverse("memorials:quilt", args=[quilt.pk]))
    with django_assert_num_queries(5):
        client.get(reverse("memorials:quilts"))


def test_a_login_through_the_form_reaches_the_queue(client, memorial_staff):
    assert client.login(username="mara", password=PASSWORD)
    assert client.get(reverse("memorials:sewing_queue")).status_code == 200
