"""The named datasets: public origin, checksums and how their columns map."""

from __future__ import annotations

from mycandidate.importer.specs import AreaLevel, BallotSpec, DatasetSpec, SourceFile

_KENYA_COMMIT = "f99e67e1c6f5ea2b24a2022be5c558920bd13766"
_KENYA_RAW = (
    f"https://raw.githubusercontent.com/opendatadurban/mycandidate/{_KENYA_COMMIT}/main/data/"
)

_COUNTY = AreaLevel("county", "countycode", "countyname")
_CONSTITUENCY = AreaLevel("constituency", "constituencycode", "constituencyname")
_WARD = AreaLevel("ward", "wardcode", "wardname")


def _kenya_file(name: str, sha256: str) -> SourceFile:
    return SourceFile(name, sha256, _KENYA_RAW + name)


KENYA_2022 = DatasetSpec(
    name="kenya-2022",
    title="Kenya general election 2022",
    country="Kenya",
    origin=f"IEBC 2022 candidate lists, as published in opendatadurban/mycandidate@{_KENYA_COMMIT}"
    " main/data/",
    files=(
        _kenya_file(
            "Ward_Final.csv", "95dbb975ffb6bc60b70b5f230fdd7e19bd84f796044d3bea0d1aa41a56ad5cfc"
        ),
        _kenya_file(
            "NationalAssembly_Final.csv",
            "fe9116b38f7a397dc44676fdd060c59158541a267b1a7aa6cdd1508b4bc19e62",
        ),
        _kenya_file(
            "Women_Final.csv", "99884651fc77a761ddb4792ced860f0db510b3c85f064e4e111017d6d73c6a59"
        ),
        _kenya_file(
            "Senate_Final.csv", "ea18b2436b1044c51a74c9aada80752b2f1e2c9805b57f4d3ffb8d572433248e"
        ),
        _kenya_file(
            "CountyGovernor_Final.csv",
            "30fdb27b578a3ef6425df186b968999a7a0dfcfedf6b08f9b3ebb397ce8ff0b9",
        ),
    ),
    ballots=(
        BallotSpec(
            "ward", "Member of County Assembly", "Ward_Final.csv", (_COUNTY, _CONSTITUENCY, _WARD)
        ),
        BallotSpec(
            "national_assembly",
            "Member of Parliament",
            "NationalAssembly_Final.csv",
            (_COUNTY, _CONSTITUENCY),
        ),
        BallotSpec("women", "County Women Representative", "Women_Final.csv", (_COUNTY,)),
        BallotSpec("senate", "Senator", "Senate_Final.csv", (_COUNTY,)),
        BallotSpec("county_governor", "County Governor", "CountyGovernor_Final.csv", (_COUNTY,)),
    ),
    site={
        "title": "Kenya 2022: who is standing in your ward?",
        "short_title": "MyCandidate Kenya",
        "explainers": {
            "ward": "Candidates for Member of County Assembly in your ward.",
            "national_assembly": "Candidates for Member of Parliament in your constituency.",
            "women": "Candidates for County Women Representative.",
            "senate": "Candidates for Senator of your county.",
            "county_governor": "Candidates for Governor of your county.",
        },
    },
)

_LIST = "list_type"
SOUTH_AFRICA_2024 = DatasetSpec(
    name="south-africa-2024",
    title="South Africa national and provincial elections 2024",
    country="South Africa",
    origin="IEC 2024 candidate lists, cut from opendatadurban/mycandidate@4b527178 "
    "main/data/{National,Provincial,Regional}.csv with the idnumber and age columns removed",
    files=(
        SourceFile(
            "National.noid.csv", "79137c0f2dbc9ce269c3a9c6c5f388f8c9161f2390f2c14febc70ec1a1cf7092"
        ),
        SourceFile(
            "Provincial.noid.csv",
            "fff6ce544ac0c4f942c8117886e111726c8d8752916dcaa37010cf42ec0ca227",
        ),
        SourceFile(
            "Regional.noid.csv", "5c28363dcb7d2b52d061aebb8143cc8d200f6caa82ac1a478cc00c0575b84b9f"
        ),
    ),
    ballots=(
        BallotSpec(
            "national",
            "National Assembly: national list",
            "National.noid.csv",
            (AreaLevel("national", "listtype", code_from_name=True),),
        ),
        BallotSpec(
            "provincial",
            "Provincial Legislature",
            "Provincial.noid.csv",
            (AreaLevel("province", "listtype", code_from_name=True),),
        ),
        BallotSpec(
            "national_regional",
            "National Assembly: regional list",
            "Regional.noid.csv",
            (AreaLevel("province", "listtype", code_from_name=True),),
        ),
    ),
    site={
        "title": "South Africa 2024: who is on your ballot?",
        "short_title": "MyCandidate SA",
        "explainers": {
            "national": "Parties contesting National Assembly seats, with their national lists.",
            "provincial": "Parties and candidates contesting Provincial Legislature seats.",
            "national_regional": "Candidates for National Assembly seats representing regions.",
        },
    },
)

_LGE_FILE = "certified-candidates.NC084_NC085.noid.csv"
_LGE_LEVELS = (
    AreaLevel("province", "province", "province", code_from_name=True),
    AreaLevel(
        "municipality", "municipality", pattern=r"^(?P<code>[A-Z]{2,3}\d{3})\s*-\s*(?P<name>.+)$"
    ),
)
SOUTH_AFRICA_LGE_SAMPLE = DatasetSpec(
    name="south-africa-lge-sample",
    title="South Africa local government elections (sample: NC084, NC085)",
    country="South Africa",
    origin="IEC certified local-election candidate list, OpenUpSA/iec-api-to-csv "
    "output/pre-election/1887/certified-candidates.csv, two municipalities, ID numbers removed",
    files=(
        SourceFile(_LGE_FILE, "f6d8c2c13c98de6b60079d621e5398dbe4e79fe466e4990c644751e9720e2b16"),
    ),
    ballots=(
        BallotSpec(
            "ward",
            "Ward councillor",
            _LGE_FILE,
            (
                *_LGE_LEVELS,
                AreaLevel("ward", "wardid", name_from_code=lambda c: f"Ward {int(c[-3:])}"),
            ),
            row_filter=("candidatetype", "Ward"),
        ),
        BallotSpec(
            "pr",
            "Proportional representation list",
            _LGE_FILE,
            _LGE_LEVELS,
            row_filter=("candidatetype", "PR"),
        ),
    ),
    site={
        "title": "Local elections: who is standing in your ward?",
        "short_title": "MyCandidate LGE",
    },
)

DATASETS = {spec.name: spec for spec in (KENYA_2022, SOUTH_AFRICA_2024, SOUTH_AFRICA_LGE_SAMPLE)}
