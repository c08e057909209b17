"""Every committed history must replay on the current workflow code (no non-determinism)."""

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows.nlp_dispatch import LocalNlpDispatch
from workflows.ticket import TicketWorkflow

HISTORIES = sorted((Path(__file__).resolve().parent / "histories").glob("*.json"))


def _workflows() -> list[type]:
    found: list[type] = [TicketWorkflow]
    try:
        from workflows.collaboration import CollaborationWorkflow

        found.append(CollaborationWorkflow)
    except ImportError:
        pass
    return found


def test_histories_are_committed() -> None:
    assert len(HISTORIES) >= 2


@pytest.mark.parametrize("local_nlp", [False, True], ids=["nlp-queue", "local-nlp"])
@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_replay(path: Path, local_nlp: bool) -> None:
    # Every history was recorded with NLP on the `nlp` queue; replaying it with the single-process
    # dispatch (workflows/nlp_dispatch.py) must work too, so a deployment can switch either way.
    history = WorkflowHistory.from_json(f"ticket-{path.stem}", path.read_text(encoding="utf-8"))
    replayer = Replayer(workflows=_workflows(), data_converter=pydantic_data_converter,
                        interceptors=[LocalNlpDispatch()] if local_nlp else [])
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None
