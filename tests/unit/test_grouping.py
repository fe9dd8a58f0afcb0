from types import SimpleNamespace

from mycandidate.site.grouping import group_by_party, is_one_per_party


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


def test_a_one_seat_ballot_is_one_list_and_party_lists_stay_cards():
    one_seat = group_by_party(
        [candidate("Zulu", "Alpha"), candidate("Khumalo", None), candidate("Dube", None)]
    )
    assert is_one_per_party(one_seat)  # independents may be many
    assert is_one_per_party(group_by_party([candidate("Ali", "Independent")] * 2))
    assert not is_one_per_party(group_by_party([candidate("A", "Beta"), candidate("B", "Beta")]))
    assert not is_one_per_party(group_by_party([candidate("Ndlovu", "Beta", 1)]))
