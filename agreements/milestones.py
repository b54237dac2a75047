"""Milestones: recording that one is done, and that its payment came in."""

from agreements.models import Milestone


def milestone_record(*, milestone: Milestone, done: bool, paid: bool, now) -> Milestone:
    """Save the milestone with its done/paid state; keep the first time each was recorded."""
    milestone.completed_at = (milestone.completed_at or now) if done else None
    milestone.paid_at = (milestone.paid_at or now) if paid else None
    milestone.full_clean()
    milestone.save()
    return milestone
