from notifications.services import digests_send

from ._sending import SendingCommand


class Command(SendingCommand):
    help = (
        "Email the weekly digest to the CCO and the executives who want it (what beat runs weekly). Nobody gets "
        "a second digest within 6 days."
    )
    send = staticmethod(digests_send)
    what = "digest emails"
