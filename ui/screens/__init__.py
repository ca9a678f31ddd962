"""The screens of the main window, in navigation order.

Each entry: key, title and what the screen is for (shown on its placeholder until built);
an entry may read otherwise in an appraiser's office (``ScreenInfo.for_role``).
Strings are marked here and translated when the window is built.
"""

from __future__ import annotations

from typing import NamedTuple

from parapp.i18n import N_


class ScreenInfo(NamedTuple):
    """(A named tuple, not a dataclass: this module is on the way to the first paint, and
    the dataclasses module is not.)"""

    key: str
    title: str  # msgid
    purpose: str  # msgid: what the screen is for
    built: bool = False
    module: str = ""  # where the screen's class lives, imported on first use
    class_name: str = ""
    icon: str = ""  # the navigation icon's name (resources/icons), when not the key
    # What an appraiser's office sees in this entry instead, when that differs (msgids):
    # the window paints before it knows the role, with the commune's words, the common case.
    appraiser_title: str = ""
    appraiser_purpose: str = ""
    appraiser_icon: str = ""

    def for_role(self, appraiser: bool) -> tuple[str, str, str]:
        """(title, purpose, icon name) of the entry as an office of that role sees it."""
        if appraiser and self.appraiser_title:
            return (
                self.appraiser_title,
                self.appraiser_purpose or self.purpose,
                self.appraiser_icon or self.icon or self.key,
            )
        return self.title, self.purpose, self.icon or self.key


# The Sync screen's tabs, in order (here so the window can open one without importing it).
TAB_SEND, TAB_RECEIVE, TAB_HISTORY, TAB_KEYS = range(4)

OVERVIEW = "overview"
SELF_ASSESSMENT = "self_assessment"
EVIDENCE = "evidence"
PLAN = "plan"
DOCUMENTS = "documents"
SYNC = "sync"
APPRAISAL = "appraisal"
SETTINGS = "settings"

SCREENS: tuple[ScreenInfo, ...] = (
    ScreenInfo(
        OVERVIEW,
        N_("Overview"),
        N_(
            "The index and rank, the change from last year, where points were lost and what is "
            "left to do."
        ),
        built=True,
        module="ui.screens.overview",
        class_name="OverviewScreen",
    ),
    ScreenInfo(
        SELF_ASSESSMENT,
        N_("Self-assessment"),
        N_(
            "Declare the data and scores of every criterion, with explanations; totals update "
            "as you type."
        ),
        built=True,
        module="ui.screens.self_assessment",
        class_name="SelfAssessmentScreen",
    ),
    ScreenInfo(
        EVIDENCE,
        N_("Evidence"),
        N_(
            "Add evidence files (by choosing them or dragging them here), record their number, "
            "date and title, link them to criteria, open them, and see which criteria still "
            "lack evidence."
        ),
        built=True,
        module="ui.screens.evidence",
        class_name="EvidenceScreen",
    ),
    ScreenInfo(
        PLAN,
        N_("Remediation plan"),
        N_(
            "Draft the plan from the criteria that lost points, edit its items (tasks, lead, "
            "deadline), record progress, see overdue items and copy last year's unfinished "
            "ones."
        ),
        built=True,
        module="ui.screens.plan",
        class_name="PlanScreen",
    ),
    ScreenInfo(
        DOCUMENTS,
        N_("Documents"),
        N_(
            "Fill in the document's number, date, legal bases, recipients and signer, preview "
            "it, print it, save it as PDF or Word, issue it and sign it."
        ),
        built=True,
        module="ui.screens.documents",
        class_name="DocumentsScreen",
    ),
    ScreenInfo(
        SYNC,
        N_("Sync"),
        N_(
            "Send the self-assessment to the appraiser on a USB stick or through a folder, "
            "receive packages after seeing what they will change, and keep the history of "
            "transfers, keys and fingerprints."
        ),
        built=True,
        module="ui.screens.sync",
        class_name="SyncScreen",
    ),
    # One entry, two faces: a commune records the result published for it; the appraiser
    # appraises, ranks and publishes the units' results.
    ScreenInfo(
        APPRAISAL,
        N_("Published result"),
        N_(
            "Type the figures of the decision that published your result (index, points, "
            "rank, rating, each area's points) or import the result file the appraiser sent."
        ),
        built=True,
        module="ui.screens.appraisal",
        class_name="AppraisalScreen",
        icon="result",
        appraiser_title=N_("Appraisal / Summary"),
        appraiser_purpose=N_(
            "For the appraiser: the units and whether they have submitted, appraisal criterion "
            "by criterion with comments, the ranking, publishing and exporting the results."
        ),
        appraiser_icon="appraisal",
    ),
    ScreenInfo(
        SETTINGS,
        N_("Settings"),
        N_(
            "Your unit and its appraiser, the default signer, the language, backups (make, "
            "list, restore) and the data folder."
        ),
        built=True,
        module="ui.screens.settings",
        class_name="SettingsScreen",
    ),
)


def info(key: str) -> ScreenInfo:
    for screen in SCREENS:
        if screen.key == key:
            return screen
    raise KeyError(key)
