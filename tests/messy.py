"""Small datasets in the real files' formats, with the real files' mess, written by tests."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

# Kenya IEBC format: CRLF line endings, quoted line breaks (bare CR) inside cells, header
# spellings that differ between files, party names run together or in capitals, a '.....'
# placeholder party, county names in mixed case, a duplicated row.
WARD = (
    "Surname,Other Names,County Code,County Name,Constituency Code,Constituency Name,"
    "Ward Code,Ward Name,Party Code,Political Party Name,Abbrv\r\n"
    "JUBA,AHMED KIBWANA,1,Mombasa,1,CHANGAMWE,1,PORT REITZ,Ind,Independent,IND\r\n"
    'ABUSHIRI,"ESHA\rABDALLAH",1,MOMBASA,1,CHANGAMWE,1,PORT REITZ,41,"United Democratic\rMovement",UDM\r\n'
    "ALOO,NICHOLAS OTIENO,1,Mombasa,1,CHANGAMWE,1,PORT REITZ,41,United DemocraticMovement,UDM\r\n"
    "MWAMBI,JANE NDAGANO,1,MOMBASA,1,CHANGAMWE,1,PORT REITZ,32,.....,CPK\r\n"
    "ZULU,PETER,1,Mombasa,1,CHANGAMWE,2,KIPEVU,21,ORANGEDEMOCRATICMOVEMENT,ODM\r\n"
    "ZULU,PETER,1,Mombasa,1,CHANGAMWE,2,KIPEVU,21,ORANGEDEMOCRATICMOVEMENT,ODM\r\n"
    "BAYA,BAKARI SALIM,1,Mombasa,1,CHANGAMWE,2,KIPEVU,21,Orange Democratic Movement,ODM\r\n"
    "OTIENO,MARY,2,Kwale,5,MSAMBWENI,20,GOMBATO BONGWE,32,Communist Party Of Kenya,CPK\r\n"
)
NATIONAL_ASSEMBLY = (
    'County Code,County Name,Constituency Code,Constituency Name,Surname,Other Names,"Party\rCode",'
    "Political Party Name,Abbrv.\r\n"
    "1,Mombasa,1,Changamwe,Daib,Abdi Mohammed,27,Jubilee Party,JP\r\n"
    '2,Kwale,5,Msambweni,Feisal,"Bader\rAbdallah",21,"Orange\rDemocratic\rMovement",ODM\r\n'
)
COUNTY_HEADER = (
    "County Code,County Name,Surname,Other Names,Party Code,Political Party Name,Abbrv\r\n"
)
WOMEN = COUNTY_HEADER + "1,Mombasa,Abdalla,Amina,27,Jubilee Party,JP\r\n"
SENATE = COUNTY_HEADER + "1,Mombasa,Bwire,Charles Okumu,62,Amani National Congress,ANC\r\n"
GOVERNOR = (
    COUNTY_HEADER
    + '1,Mombasa,Nassir,"Abdullswama\rd Sheriff",21,Orange Democratic Movement,ODM\r\n'
)

KENYA_FILES = {
    "Ward_Final.csv": WARD,
    "NationalAssembly_Final.csv": NATIONAL_ASSEMBLY,
    "Women_Final.csv": WOMEN,
    "Senate_Final.csv": SENATE,
    "CountyGovernor_Final.csv": GOVERNOR,
}

# South Africa local-election format: Ward and PR candidates in one file.
LGE = (
    '"Province","Municipality","Party","CandidateType","WardID","ListOrder","Fullname","Surname"\r\n'
    '"Northern Cape","NC084 - !KHEIS","AFRICAN NATIONAL CONGRESS","PR","","1","DAVY","JACOBS"\r\n'
    '"Northern Cape","NC084 - !KHEIS","AFRICAN NATIONAL CONGRESS","PR","","2","ANISIA JACOBA","LUDICK"\r\n'
    '"Northern Cape","NC084 - !KHEIS","AFRICAN NATIONAL CONGRESS","Ward","30804001","","SIDNEY JOSEPH","SCHEFFERS"\r\n'
    '"Northern Cape","NC084 - !KHEIS","DEMOCRATIC ALLIANCE","Ward","30804001","","ANNA","BOOYSEN"\r\n'
)

# South Africa 2024 list format; KwaZulu-Natal spelt with a Unicode hyphen, a duplicate row.
PROVINCIAL = (
    "party,list_type,orderno,full_names,surname\r\n"
    "#HOPE4SA,Gauteng,1,MOTSAMAI JOHN,MATHUHLE\r\n"
    "#HOPE4SA,Gauteng,2,PETUNIA ZANDILE,MWENDA\r\n"
    "#HOPE4SA,Gauteng,2,PETUNIA ZANDILE,MWENDA\r\n"
    "AFRICAN NATIONAL CONGRESS,KwaZulu\u2010Natal,1,SIHLE,ZIKALALA\r\n"
)


def write_files(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


# The original app's settings workbook (sheet site_settings), as its seed document has it.
HEADERS = [
    "title", "title_short", "favicon_link", "data_schemas", "partner_name", "partner_website",
    "google_analytics_key", "gTag_script", "organization_name", "organization_link",
    "logo_colour", "footer_colour", "provincial_explainer", "regional_explainer",
]  # fmt: skip
SCHEMAS = (
    '{\n"provincial": {"file": "Provincial.csv", "locator": ["list_type"]},\n'
    '"national_regional": {"file": "Regional.csv", "locator": ["list_type"]},\n}'
)


def workbook(path: Path, values: list[object], headers: list[str] = HEADERS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "site_settings"
    sheet.append(headers)
    sheet.append(values)
    book.save(path)
    return path


GOOD = [
    "South Africa", "SA", "/static/favicon.png", SCHEMAS, "open cities lab", "opencitieslab.org",
    None, "<script>gtag()</script>", "Org", "#", "#FFC4AB", "#1D3437", "Provincial text", "Regional text",
]  # fmt: skip
