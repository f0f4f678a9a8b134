"""Operations: each user action is one function `op(db, actor, ...) -> Changes`.

An operation owns its transaction (one unit of work), runs the registered before-hooks
(permission checks) and after-hooks (audit), and returns what it changed, so the window can
refresh every view that shows those records and the undo menu can name the action. The
window and the command line call the same operations.
"""

# Every operation checks its permission and writes its audit row, whoever calls it.
from casetracker.accounts.guard import install as _install_accounts_hooks  # noqa: E402
from casetracker.operations.actor import Actor
from casetracker.operations.changes import Changes, UndoEntry
from casetracker.operations.registry import operation, operation_names

_install_accounts_hooks()

__all__ = ["Actor", "Changes", "UndoEntry", "operation", "operation_names"]
