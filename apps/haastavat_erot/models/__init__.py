from .audit import AccessAction, AccessLogEntry, DocumentRequest
from .calendar import CalendarFeed
from .cases import (
    CONTENT_STATES,
    LIVE_STATES,
    SLOT_HOLDING_STATES,
    TRANSITIONS,
    Case,
    CaseNumberSequence,
    CaseState,
    DiscussedBefore,
)
from .content import (
    Attachment,
    AttachmentKind,
    BackgroundInformation,
    Child,
    Consent,
    ConsentAnswer,
    ConsentMethod,
    ConsentOrganisation,
    CourtProceedings,
    Custody,
    RecordsScope,
    Residence,
)
from .declarations import CaseDeclaration, SessionDeclaration
from .destruction import DestructionReceipt, DestructionRun
from .organisation import AllowedEmailDomain, ConsultationGroup, County, CountyAdmin, ExpertOrganisation, Membership, Role
from .recommendations import Feedback, Recommendation, RecommendationCategory
from .sessions import Session
from .users import AccountEmailKind, PendingAccountEmail, Sector, User

__all__ = [
    "AccessAction", "AccessLogEntry", "AccountEmailKind", "AllowedEmailDomain", "Attachment", "AttachmentKind",
    "BackgroundInformation",
    "CONTENT_STATES", "CalendarFeed", "Case", "CaseDeclaration", "CaseNumberSequence", "CaseState", "Child",
    "Consent", "ConsentAnswer", "ConsentMethod", "ConsentOrganisation", "ConsultationGroup", "County", "CountyAdmin",
    "CourtProceedings", "Custody", "DestructionReceipt", "DestructionRun", "DiscussedBefore", "DocumentRequest",
    "ExpertOrganisation", "Feedback", "LIVE_STATES", "Membership", "PendingAccountEmail", "Recommendation",
    "RecommendationCategory",
    "RecordsScope", "Residence", "Role", "SLOT_HOLDING_STATES", "Sector", "Session", "SessionDeclaration",
    "TRANSITIONS", "User",
]
