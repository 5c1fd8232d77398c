"""The playbook each category of incident starts with.

These are the defaults a new district gets (drawn from the CISA K-12 guidance
and PTAC's data breach response checklist); each district edits its own copy in
the admin. ``due_hours`` counts from the moment the incident is opened.
"""

from __future__ import annotations

from districtguard.incidents.models import Incident, Playbook, PlaybookTask

C = Incident.Category
DEFAULTS: dict[str, tuple[str, list[tuple[str, int | None]]]] = {
    C.RANSOMWARE: (
        "Ransomware",
        [
            ("Isolate affected machines from the network (do not power off)", 1),
            ("Disable compromised accounts and reset privileged credentials", 4),
            ("Preserve evidence: ransom note, encrypted samples, logs", 8),
            ("Check that off-site backups are intact and out of reach", 8),
            ("Contact law enforcement (FBI field office, IC3) and the insurer", 24),
            ("Determine what data was accessed or exfiltrated", 72),
            ("Restore from clean backups and verify", None),
            ("Lessons learned review", None),
        ],
    ),
    C.PHISHING: (
        "Phishing or credential compromise",
        [
            ("Reset the password and revoke sessions of affected accounts", 2),
            ("Confirm MFA is on for affected accounts", 4),
            ("Search mail for the same message and remove it from mailboxes", 8),
            ("Block the sender and any linked domains", 8),
            ("Review mailbox rules and sign-ins for the affected accounts", 24),
            ("Determine whether personal information was reachable", 72),
            ("Remind staff with a short bulletin", None),
        ],
    ),
    C.LOST_DEVICE: (
        "Lost or stolen device",
        [
            ("Lock or wipe the device remotely", 2),
            ("Confirm whether its disk was encrypted", 4),
            ("Revoke the device's sessions and tokens", 4),
            ("File a police report for a theft", 24),
            ("List what personal information the device held", 48),
        ],
    ),
    C.DISCLOSURE: (
        "Unauthorized disclosure of student records",
        [
            ("Stop further disclosure (recall the message, remove the share)", 2),
            ("Ask recipients to delete the records and confirm in writing", 24),
            ("List the students and data involved", 48),
            ("Record the disclosure in each affected student's record (FERPA)", 168),
            ("Consider informing the Student Privacy Policy Office", None),
        ],
    ),
    C.VENDOR: (
        "Vendor breach",
        [
            ("Get the vendor's written account of what happened", 24),
            ("Establish which district data the vendor held", 48),
            ("Check the contract's breach-notice terms", 48),
            ("Rotate credentials shared with the vendor", 24),
            ("Decide with counsel who notifies affected people", 72),
        ],
    ),
}


def ensure_playbooks() -> None:
    """Create the default playbooks the district does not have yet."""
    for category, (name, tasks) in DEFAULTS.items():
        playbook, created = Playbook.objects.get_or_create(
            category=category, defaults={"name": name}
        )
        if created:
            PlaybookTask.objects.bulk_create(
                PlaybookTask(playbook=playbook, order=n, title=title, due_hours=hours)
                for n, (title, hours) in enumerate(tasks)
            )
