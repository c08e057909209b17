"""Search attributes registered on the server (see runtime/devserver.py) and kept current."""

from temporalio.common import SearchAttributeKey, SearchAttributePair, SearchAttributeUpdate

TICKET_STATUS = SearchAttributeKey.for_keyword("TicketStatus")
TICKET_LANGUAGE = SearchAttributeKey.for_keyword("TicketLanguage")
TICKET_INTENT = SearchAttributeKey.for_keyword("TicketIntent")
TICKET_ASSIGNEE = SearchAttributeKey.for_keyword("TicketAssignee")
TICKET_PRIORITY = SearchAttributeKey.for_keyword("TicketPriority")
SLA_BREACHED = SearchAttributeKey.for_bool("SlaBreached")

# name -> temporal CLI type, for `temporal server start-dev --search-attribute Name=Type`
REGISTRATION: dict[str, str] = {
    "TicketStatus": "Keyword",
    "TicketLanguage": "Keyword",
    "TicketIntent": "Keyword",
    "TicketAssignee": "Keyword",
    "TicketPriority": "Keyword",
    "SlaBreached": "Bool",
}

__all__ = [
    "REGISTRATION",
    "SLA_BREACHED",
    "TICKET_ASSIGNEE",
    "TICKET_INTENT",
    "TICKET_LANGUAGE",
    "TICKET_PRIORITY",
    "TICKET_STATUS",
    "SearchAttributePair",
    "SearchAttributeUpdate",
]
