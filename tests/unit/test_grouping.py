from types import SimpleNamespace

from mycandidate.site.grouping import group_by_party


def candidate(surname, party, position=None):
    return SimpleNamespace(
        surname=surname,
        other_names="A",
        list_position=position,
        party=SimpleNamespace(name=party, abbreviation=None) if party else None,
    )


def test_groups_with_a_leader_come_first_and_leaders_head_their_group():
    groups = group_by_party(
        [
            candidate("Zulu", "Alpha"),
            candidate("Mbeki", "Beta", 2),
            candidate("Ndlovu", "Beta", 1),
            candidate("Khumalo", None),
        ]
    )
    assert [g.name for g in groups] == ["Beta", "Alpha", "Independent"]
    assert [c.surname for c in groups[0].candidates] == ["Ndlovu", "Mbeki"]
    assert groups[0].leader.surname == "Ndlovu"
    assert groups[1].leader is None
