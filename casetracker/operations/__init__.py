"""Operations: each user action is one function `op(db, actor, ...) -> Changes`.

An operation owns its transaction (one unit of work), runs the registered before-hooks
(permission checks) and after-hooks (audit), and returns what it changed, so the window can
refresh every view that shows those records and the undo menu can name the action. The
window and the command line call the same operations.
"""

from casetracker.operations.actor import Actor
from casetracker.operations.changes import Changes, UndoEntry
from casetracker.operations.registry import operation, operation_names

__all__ = ["Actor", "Changes", "UndoEntry", "operation", "operation_names"]
