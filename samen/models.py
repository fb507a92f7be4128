"""Every model, imported in one place so that Alembic and the metadata see them all."""
from samen.accounts.models import AccountToken, ApiToken, User, UserSession  # noqa: F401
from samen.actions.models import ActionItem, Indicator, Measurement, Milestone, ProgressUpdate, ReminderSent  # noqa: F401
from samen.api.models import IdempotencyKey  # noqa: F401
from samen.audit.models import AuditEntry  # noqa: F401
from samen.core.database import Base  # noqa: F401
from samen.helpdesk.models import HelpMessage, HelpRequest, HelpRequestStat, HelpTeamMember  # noqa: F401
from samen.ideas.models import Comment, Idea, IdeaVersion, Report, StatusChange, Support, Tag  # noqa: F401
from samen.notifications.models import Notification  # noqa: F401
from samen.privacy.models import DeletedAccount  # noqa: F401
from samen.thinktanks.models import Membership, Plan, ThinkTank  # noqa: F401
from samen.meetings.models import (AgendaItem, Attendance, Ballot, Decision, IdeaRound, LiveConnection,  # noqa: F401
                                   LiveSignIn, Meeting, MeetingCommand, MeetingIdea, RaisedHand, Registration,
                                   Vote, VoteDot)
from samen.help.models import HelpEntry, HelpQuestion  # noqa: F401
from samen.programme.models import Line, PlanRole  # noqa: F401
from samen.partners.models import ActionOrganisation, Organisation, OrganisationContact  # noqa: F401
from samen.evaluation.models import Evaluation, EvaluationNote, PulseInvitation  # noqa: F401
from samen.accounts.groups import ParticipantGroup, UserGroup  # noqa: F401
from samen.people.models import Invitation  # noqa: F401
from samen.stories.models import Direction, KnowledgeSource, Story, StoryTheme  # noqa: F401
