"""The query layer folds search text without depending on the importer."""

import subprocess
import sys

import pytest

from mycandidate.folding import fold

pytestmark = pytest.mark.unit


def test_fold_drops_accents_punctuation_and_case():
    assert fold("  Kipevu-Ñdogo  Wárd ") == "kipevu ndogo ward"


def test_queries_import_without_the_importer():
    code = "import sys, mycandidate.queries; print('mycandidate.importer' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"
