"""The schema: datasets of ballots, areas, parties and candidates, and site settings."""

from mycandidate.models.base import Base
from mycandidate.models.election import Area, Ballot, Candidate, Dataset, Party
from mycandidate.models.site import SiteSettings

__all__ = ["Area", "Ballot", "Base", "Candidate", "Dataset", "Party", "SiteSettings"]
