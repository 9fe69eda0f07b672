"""Exception hierarchy. The CLI turns every ``ConsistencyError`` into a one-line message."""


class ConsistencyError(Exception):
    """Base of every error the tool reports to a user."""


class InputError(ConsistencyError):
    """A path or article that cannot be read."""


class RuleError(ConsistencyError):
    """A rule file that does not load; the message names file:line:column."""
