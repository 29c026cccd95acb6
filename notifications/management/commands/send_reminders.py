from notifications.services import reminders_send

from ._sending import SendingCommand


class Command(SendingCommand):
    help = (
        "Email department heads their goals without a check-in for CHECK_IN_REMINDER_DAYS days, and the CCO those "
        "without one for twice as long (what beat runs daily). Safe to run more than once a day."
    )
    send = staticmethod(reminders_send)
    what = "reminder and escalation emails"
