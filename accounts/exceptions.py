"""The one refusal every app raises for a change the current state does not allow."""


class Refused(Exception):
    """A change refused by the state of things (a duplicate, a sent batch, a stage that does not exist).

    `message` is shown to the user as it is; `accounts.feedback.attempt` turns it
    into an error message, so a refusal is a 4xx or a redirect, never a 500.
    """

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
