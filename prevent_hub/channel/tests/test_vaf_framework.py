"""The VAF wording as versioned reference data: administrators publish new
versions; assessments keep the wording they were written with."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prevent_hub.access.roles import Role
from prevent_hub.audit.models import AuditAction, AuditEvent
from prevent_hub.channel import assessments as vaf
from prevent_hub.channel.models import VafDimension, VafFactor, VafFramework

from .factories import ChannelCaseFactory
from .factories_assessments import draft_assessment, fill_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(staff_client):
    return staff_client(Role.SYSTEM_ADMINISTRATOR, full_name="Ada Administrator")


def _current_factor(key):
    return VafFactor.objects.get(dimension__framework=vaf.vaf_framework_current(), key=key)


def test_version_one_has_three_dimensions_and_twenty_two_factors():
    current = vaf.vaf_framework_current()
    assert current.version == 1
    assert [d.key for d in current.dimensions.all()] == ["engagement", "intent", "capability"]
    assert [d.factors.count() for d in current.dimensions.all()] == [13, 6, 3]


def test_publishing_copies_everything_with_the_changes(admin_client):
    v1 = vaf.vaf_framework_current()
    factor = _current_factor("grievance-injustice")
    dimension = v1.dimensions.get(key="intent")
    v2 = vaf.vaf_framework_publish(
        changes={"factors": {factor.pk: {"wording": "Grievance and a sense of injustice",
                                         "guidance": "Fictional guidance."}},
                 "dimensions": {dimension.pk: {"name": "Intent to cause harm (revised)"}}},
        notes="Fictional rewording for a test.", acting_user=admin_client.user)
    assert vaf.vaf_framework_current() == v2 and v2.version == 2
    assert v2.published_by == admin_client.user
    assert VafFactor.objects.filter(dimension__framework=v2).count() == 22
    assert _current_factor("grievance-injustice").wording == "Grievance and a sense of injustice"
    assert v2.dimensions.get(key="intent").name == "Intent to cause harm (revised)"
    # Version 1 is untouched and still there.
    factor.refresh_from_db()
    assert factor.wording == "Feelings of grievance and injustice"
    assert VafFramework.objects.count() == 2
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="channel.vafframework")
    assert set(event.changed_fields) == {"factor:grievance-injustice:wording",
                                         "factor:grievance-injustice:guidance", "dimension:intent:name"}
    assert event.details == {"version": 2, "previous_version": 1}


def test_publishing_needs_a_change_and_notes(admin_client):
    with pytest.raises(ValidationError, match="Change at least one"):
        vaf.vaf_framework_publish(changes={}, notes="Nothing really", acting_user=admin_client.user)
    with pytest.raises(ValidationError, match="what has changed"):
        vaf.vaf_framework_publish(changes={}, notes=" ", acting_user=admin_client.user)
    assert VafFramework.objects.count() == 1


def test_old_assessments_keep_their_wording_and_new_ones_use_the_new_version(staff_client, admin_client):
    coordinator = staff_client(Role.PREVENT_COORDINATOR)
    case = ChannelCaseFactory()
    old = fill_assessment(draft_assessment(case, coordinator.user), coordinator.user)
    vaf.assessment_complete(assessment=old, acting_user=coordinator.user)
    factor = _current_factor("grievance-injustice")
    vaf.vaf_framework_publish(changes={"factors": {factor.pk: {"wording": "Reworded grievance factor"}}},
                              notes="Fictional rewording.", acting_user=admin_client.user)
    new = fill_assessment(draft_assessment(case, coordinator.user), coordinator.user,
                          evidence="Newer fictional evidence")
    vaf.assessment_complete(assessment=new, acting_user=coordinator.user)
    assert old.framework.version == 1 and new.framework.version == 2

    def detail(assessment):
        url = reverse("channel:assessment-detail", kwargs={"pk": case.pk, "assessment_id": assessment.pk})
        return coordinator.get(url).content.decode()

    old_page, new_page = detail(old), detail(new)
    assert "Feelings of grievance and injustice" in old_page and "Reworded grievance factor" not in old_page
    assert "Reworded grievance factor" in new_page and "Feelings of grievance and injustice" not in new_page
    # Side by side, the wording differs, so both are shown, and the entries still line up.
    compare = coordinator.get(reverse("channel:assessment-compare", kwargs={"pk": case.pk}),
                              {"a": old.pk, "b": new.pk}).content.decode()
    assert "Earlier wording: Feelings of grievance and injustice" in compare
    assert "Later wording: Reworded grievance factor" in compare
    assert "Newer fictional evidence (grievance-injustice)" in compare


# Administration screens --------------------------------------------------------------


def test_the_administration_screen_shows_the_current_wording(admin_client):
    html = admin_client.get(reverse("administration:vaf")).content.decode()
    assert "Version 1" in html and "Dehumanisation of the enemy" in html
    assert "Change the wording" in html
    index = admin_client.get(reverse("administration:index")).content.decode()
    assert reverse("administration:vaf") in index


def _posted_wording(framework, **overrides):
    data = {"version": framework.version, "notes": "Fictional change for a test."}
    for dimension in framework.dimensions.all():
        data[f"dimension-{dimension.pk}-name"] = dimension.name
        for factor in dimension.factors.all():
            data[f"factor-{factor.pk}-wording"] = factor.wording
            data[f"factor-{factor.pk}-guidance"] = factor.guidance
    data.update(overrides)
    return data


def test_changing_the_wording_publishes_a_new_version(admin_client):
    v1 = vaf.vaf_framework_current()
    factor = _current_factor("criminal-capability")
    response = admin_client.post(reverse("administration:vaf-edit"), _posted_wording(
        v1, **{f"factor-{factor.pk}-wording": "Capability to commit crimes"}))
    assert response.status_code == 302 and response["Location"] == reverse("administration:vaf")
    assert vaf.vaf_framework_current().version == 2
    html = admin_client.get(reverse("administration:vaf")).content.decode()
    assert "Capability to commit crimes" in html and "Version 2 published" in html
    old = admin_client.get(reverse("administration:vaf-version", kwargs={"version": 1})).content.decode()
    assert "Criminal capability" in old and "cannot be changed" in old
    assert reverse("administration:vaf-version", kwargs={"version": 1}) in html


def test_a_wording_error_keeps_what_was_typed(admin_client):
    v1 = vaf.vaf_framework_current()
    factor = _current_factor("criminal-capability")
    other = _current_factor("harmful-means")
    response = admin_client.post(reverse("administration:vaf-edit"), _posted_wording(
        v1, notes="", **{f"factor-{factor.pk}-wording": "", f"factor-{other.pk}-wording": "Kept typing"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the wording of the factor ‘Criminal capability’" in html
    assert "Enter what has changed and why" in html
    assert "Kept typing" in html
    assert VafFramework.objects.count() == 1


def test_an_edit_started_from_an_older_version_is_refused(admin_client):
    v1 = vaf.vaf_framework_current()
    factor = _current_factor("criminal-capability")
    stale = _posted_wording(v1, **{f"factor-{factor.pk}-wording": "Mine"})
    vaf.vaf_framework_publish(changes={"factors": {factor.pk: {"wording": "Theirs"}}}, notes="First",
                              acting_user=admin_client.user)
    html = admin_client.post(reverse("administration:vaf-edit"), stale).content.decode()
    assert "Version 2 was published while you were editing" in html
    assert VafFramework.objects.count() == 2


def test_only_system_administrators_change_the_wording(staff_client):
    for role in (Role.PREVENT_COORDINATOR, Role.CHANNEL_CHAIR):
        client = staff_client(role)
        assert client.get(reverse("administration:vaf")).status_code == 403
        assert client.post(reverse("administration:vaf-edit"), {}).status_code == 403
    assert VafDimension.objects.count() == 3
