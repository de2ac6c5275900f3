"""The JSON Schemas (draft 2020-12) of the open-data JSON files (forum/open_data_files.py),
served beside them at /open-data/schema/<name>.schema.json. Each JSON file names its schema
in "$schema"; a line of a JSON Lines file is one item, `$defs` of the same schema."""

from actionplans.rendering import MILESTONE_COLUMNS
from forum import open_data as bulk
from forum.open_data_files import COMMITMENTS_COLUMNS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
STRING = {"type": "string"}
INTEGER = {"type": "integer"}
INTEGER_OR_EMPTY = {"type": ["integer", "string"]}  # "" when unknown, as in the CSV
YES_NO = {"enum": ["yes", "no"]}
YES_NO_OR_EMPTY = {"enum": ["yes", "no", ""]}
DATE_TIME = {"type": "string", "description": "ISO 8601 with the offset from UTC, or empty."}


def _object(columns: list[str], types: dict, extra: dict | None = None) -> dict:
    properties = {column: types.get(column, STRING) for column in columns}
    properties.update(extra or {})
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _document(name: str, title: str, key: str, item: str, defs: dict) -> dict:
    return {
        "$schema": DRAFT,
        "$id": f"/open-data/schema/{name}.schema.json",
        "title": title,
        "type": "object",
        "properties": {
            "$schema": {"type": "string", "description": "The address of this schema."},
            key: {"type": "array", "items": {"$ref": f"#/$defs/{item}"}},
            "exported_at": {"type": "string", "description": "When the file was written."},
        },
        "required": [key, "exported_at"],
        "additionalProperties": False,
        "$defs": defs,
    }


CONTRIBUTION = _object(
    bulk.CONTRIBUTION_COLUMNS,
    {
        "contribution_id": INTEGER,
        "workshop_id": INTEGER,
        "posted_at": DATE_TIME,
        "responded_at": DATE_TIME,
        "kind": {"enum": ["challenge", "idea"]},
    },
)
WORKSHOP = _object(
    bulk.WORKSHOP_COLUMNS,
    {
        "workshop_id": INTEGER,
        "starts_at": DATE_TIME,
        "ends_at": DATE_TIME,
        "status": {"enum": ["published", "held", "cancelled"]},
        **dict.fromkeys(
            (
                "capacity",
                "government_quota",
                "non_government_quota",
                "government_seats_taken",
                "non_government_seats_taken",
                "published_contributions",
            ),
            INTEGER,
        ),
    },
)
EVENT = _object(
    bulk.EVENT_COLUMNS,
    {
        "event_id": INTEGER,
        "starts_at": DATE_TIME,
        "ends_at": DATE_TIME,
        "capacity": INTEGER_OR_EMPTY,
        "latitude": {"type": "string", "description": "WGS 84, as a decimal; empty if unknown."},
        "longitude": {"type": "string", "description": "WGS 84, as a decimal; empty if unknown."},
        **dict.fromkeys(
            (
                "accessible_venue",
                "vulnerable_groups",
                "gender_balanced",
                "civil_society_partners",
                "registration_required",
            ),
            YES_NO,
        ),
    },
)
MILESTONE_LINK = {
    "type": "object",
    "properties": {
        "milestone": INTEGER,
        "milestone_number": INTEGER,
        "milestone_completion": STRING,
        "milestone_completion_date": STRING,
    },
    "required": ["milestone", "milestone_number", "milestone_completion"],
}
LINK = {
    "type": "object",
    "properties": {
        "contribution_id": INTEGER,
        "forum": STRING,
        "workshop_id": INTEGER,
        "commitments": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "commitment": INTEGER,
                    "action_plan": STRING,
                    "commitment_number": INTEGER,
                    "commitment_id": STRING,
                    "commitment_status": STRING,
                    "milestones": {"type": "array", "items": MILESTONE_LINK},
                },
                "required": ["commitment", "action_plan", "commitment_status", "milestones"],
            },
        },
    },
    "required": ["contribution_id", "forum", "workshop_id", "commitments"],
}
MILESTONE = _object(MILESTONE_COLUMNS, {"commitment_number": INTEGER, "milestone_number": INTEGER})
COMMITMENT = _object(
    COMMITMENTS_COLUMNS,
    {
        "commitment_number": INTEGER,
        "action_plan_number": INTEGER_OR_EMPTY,
        "milestones": {"type": "array", "items": {"$ref": "#/$defs/milestone"}},
        **dict.fromkeys(
            (
                "access_to_information",
                "civic_participation",
                "public_accountability",
                "technology_and_innovation",
                "inclusion",
                "irm_verifiable",
                "irm_open_government_lens",
            ),
            YES_NO_OR_EMPTY,
        ),
        "milestones_assessed_by_both": INTEGER,
        "milestones_assessments_differ": INTEGER,
    },
)
GENDER = {
    "type": "object",
    "properties": {
        "forum": STRING,
        "group": STRING,
        "people": {"type": ["integer", "null"]},
        "shown_as": {"enum": ["number", "fewer_than_5", "not_shown"]},
    },
    "required": ["forum", "group", "people", "shown_as"],
    "additionalProperties": False,
}
FIGURES = {
    "type": "object",
    "properties": dict.fromkeys(
        (
            "seats",
            "attended",
            "participants",
            "first_time",
            "usual_faces",
            "contributions",
            "supports",
            "comments",
        ),
        INTEGER,
    ),
}
PARTICIPATION = {
    "type": "object",
    "description": "A forum's participation, as on its forum-health participation page.",
    "properties": {
        "forum": STRING,
        "people": INTEGER,
        "top_tenth": INTEGER,
        "total": FIGURES,
        "by_group": {"type": "object", "additionalProperties": FIGURES},
        "workshops": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": INTEGER,
                    "title": STRING,
                    "starts_at": DATE_TIME,
                    "checked_in": {"type": "boolean"},
                    "by_group": {"type": "object", "additionalProperties": FIGURES},
                },
                "required": ["id", "title", "starts_at", "checked_in", "by_group"],
            },
        },
    },
    "required": ["forum", "people", "total", "by_group", "workshops"],
}

SCHEMAS = {
    "workshops": _document(
        "workshops",
        "Workshops, each with the number of its published contributions",
        "workshops",
        "workshop",
        {"workshop": WORKSHOP},
    ),
    "contributions": _document(
        "contributions",
        "Published contributions with their reasoned responses (workshop_id: the workshop)",
        "contributions",
        "contribution",
        {"contribution": CONTRIBUTION},
    ),
    "events": _document("events", "Approved events", "events", "event", {"event": EVENT}),
    "idea-links": _document(
        "idea-links",
        "Each published contribution with the public commitments it fed",
        "contributions",
        "contribution",
        {"contribution": LINK},
    ),
    "commitments": _document(
        "commitments",
        "Public commitments of the action plans with their milestones",
        "commitments",
        "commitment",
        {"commitment": COMMITMENT, "milestone": MILESTONE},
    ),
    "participation": _document(
        "participation",
        "Participation in each forum's workshops by stakeholder group",
        "forums",
        "forum",
        {"forum": PARTICIPATION},
    ),
    "gender": _document(
        "gender",
        "Members taking part in each forum by self-described gender (aggregate only)",
        "gender",
        "group",
        {"group": GENDER},
    ),
}
