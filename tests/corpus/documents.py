"""Record templates: what a district's file shares hold, one record each.

``NAMED`` records put a person's name near one or more elements; ``ANONYMOUS``
records hold elements with nobody named; ``DECOYS`` hold no element at all, only
hard negatives (and sometimes names, which then must not be reported). Field
syntax is described in :mod:`tests.corpus.fields`.
"""

from __future__ import annotations

NAMED: tuple[str, ...] = (
    # HR notes
    "HR note {date}: {name} dropped off updated W-4 and I-9 paperwork. "
    "{ssn_kw} {ssn}. Best number to reach them is {phone}.",
    "Personnel file update for {name} ({position}): {ssn_kw} {ssn}; "
    "{state} {dl_kw} {dl}.",
    "New hire checklist - {name}, start date {date}\n- {ssn_kw} {ssn}\n"
    "- {dl_kw} {dl} ({state})\n- Emergency contact {phone}",
    "Background check sent to OSBI for {name}: {ssn_kw} {ssn}, {dl_kw} {dl} "
    "issued in {state}. Fingerprint card mailed {date}.",
    "Employee: {name}\nPosition: {position}\n{ssn_kw} {ssn}\nAddress: {address}",
    "{name} - {ssn_kw} {ssn} - {state} {dl_kw} {dl} - {phone}",
    "Substitute application - {name}. {ssn_kw} {ssn}. {dl_kw} {dl}, {state}. "
    "Certificate {cert}.",
    # payroll
    "Payroll change request - {name}. Please move direct deposit to the new "
    "{acct_kw} {acct}, {rtn_kw} {rtn}, effective {date}.",
    "Direct deposit form received from {name} on {date}: {rtn_kw} {rtn} / "
    "{acct_kw} {acct}. Old account closed.",
    "{name} called payroll from {phone} to correct the {acct_kw} on file "
    "({acct}); {rtn_kw} stays {rtn}. Verified with {ssn_kw} {ssn}.",
    "Stipend for {name}: deposit to {acct_kw} {acct} at {bank}, {rtn_kw} {rtn}. "
    "{itin_kw} {itin} on the W-9.",
    "Direct deposit update - {name}: new checking account at {bank}. "
    "{rtn_kw} {rtn}, acct # {acct}. Effective with the {month} payroll.",
    "Reimbursement request: {name}, mileage for {month}. Pay to {acct_kw} {acct}, "
    "{rtn_kw} {rtn}. Employee ID {employee_id}.",
    # enrollment forms pasted into email
    "Student: {student}   Grade: {grade}   Student ID {student_id}\n"
    "Parent/guardian: {name}   Phone: {phone}\nGuardian {ssn_kw} {ssn}\n"
    "Address: {address}",
    "Enrollment packet for {student} (Student ID {student_id}): guardian {name} "
    "listed {ssn_kw} {ssn} and {state} {dl_kw} {dl} as proof of identity.",
    "Registration - {student}, grade {grade}. Guardian {name} showed {state} "
    "{dl_kw} {dl}. Student ID {student_id} assigned {date}.",
    "Guardian {name} set up lunch account autopay with {card_kw} {card}, "
    "{exp_kw} {exp}. Student ID {student_id}.",
    # help-desk tickets
    "Ticket #{ticket}: {name} reports the benefits portal rejected their "
    "{ssn_kw} {ssn} when updating dependents. Browser Chrome {version}. "
    "Asset tag {asset_tag}.",
    "Help desk ticket {ticket} - {name} pasted their {dl_kw} {dl} ({state}) into "
    "the chat by mistake; please purge the transcript.",
    "Ticket {ticket} closed. {name} needed the card on file updated for the "
    "ed-tech subscription: {card_kw} {card}, {exp_kw} {exp}, {cvv_kw} {cvv}. "
    "Tech: {name2}.",
    "Ticket {ticket}: {name} forwarded a spreadsheet with their {ssn_kw} {ssn} in "
    "cell B4. Device serial {serial}, agent {version}.",
    # board minutes
    "Board minutes {date}: claim for reimbursement to {name}, paid by ACH to "
    "{acct_kw} {acct}, {rtn_kw} {rtn}. Motion by {name2}; vote 5-0.",
    # invoices and purchases
    "Invoice {invoice} dated {date}. Paid with the district purchasing card, "
    "{card_kw} {card}, {exp_kw} {exp}. Cardholder: {name}. PO {po}.",
    "Conference registration for {name}: {card_kw} {card} {exp_kw} {exp} "
    "{cvv_kw} {cvv}. Confirmation {order_no}.",
    "FYI from {name2}: {name} emailed a full {card_kw} {card} with {exp_kw} {exp} "
    "and {cvv_kw} {cvv} to register for the conference. Please do not reply-all.",
    # transportation rosters
    "Transportation roster - Route {route}\n"
    "Driver: {name}   {state} {dl_kw} {dl}   Cell {phone}\n"
    "Monitor: {name2}   Cell {phone2}",
    "BUS DRIVER CDL RENEWALS\n{name} - CDL {dl} - {state} - renews {date}\n"
    "{name2} - CDL {dl2} - {state2} - renews {date2}",
    "Field trip driver approval: {name}, {dl_kw} {dl} ({state}), cleared {date}. "
    "Bus {bus}.",
    # tax identifiers
    "Tax form follow-up: {name} does not have an SSN yet; {itin_kw} {itin} was "
    "provided for the 1099.",
    "W-9 on file for contractor {name}: {itin_kw} {itin}. Remit to {acct_kw} {acct}.",
)

ANONYMOUS: tuple[str, ...] = (
    "Card on file for the cafeteria point-of-sale terminal: {card_kw} {card}, "
    "{exp_kw} {exp}, {cvv_kw} {cvv}.",
    "Found a sticky note in the copy room with {ssn_kw} {ssn}. Shredded it; "
    "logging here per policy.",
    "Unclaimed {dl_kw} {dl} ({state}) turned in to the front office lost and "
    "found on {date}.",
    "Athletic booster club deposit: {acct_kw} {acct}, {rtn_kw} {rtn}. "
    "Receipt {invoice}.",
    "{itin_kw} {itin} appears on an unsigned W-9 in the vendor folder.",
    "Invoice {invoice} from {vendor}. Remit by ACH: {rtn_kw} {rtn}, {acct_kw} "
    "{acct}. Questions: {phone}.",
    "Old spreadsheet row: {ssn_kw} {ssn}, phone {phone}, ZIP {zip_plus_four}.",
)

DECOYS: tuple[str, ...] = (
    "Parent {name} called from {phone} about Student ID {student_id}; bus route "
    "{route} pickup moved to {date}.",
    "Order {order_no} shipped via {tracking}. Deliver to {building}, {address}.",
    "Reminder: the SSN in the training slides ({ad_ssn}) is a famous sample, "
    "not a real number.",
    "Data cleanup: {count} student records still show placeholder {ssn_kw} "
    "{invalid_ssn}; replace with blanks before the state upload.",
    "{name}'s record shows {ssn_kw} {invalid_ssn}, which is a placeholder; HR will "
    "ask for the real number.",
    "W-7 pending for {name}: the {ssn_kw} field holds {ssn_ninehundred}, which "
    "is not a valid number. HR to follow up.",
    "Gift card {luhn_no_iin} issued to the PTO raffle winner on {date}.",
    "Library card number {luhn_no_iin} registered to the {building} media center.",
    "Card number {bad_luhn} was declined by the processor (typo?). Invoice "
    "{invoice} still open.",
    "Maintenance log: Room <<H1|presidio_false_positive>> thermostat replaced; "
    "part <<96c|presidio_false_positive>>; controller reading "
    "<<1607635102.00|presidio_false_positive>> after reboot.",
    "Reference number {bare_nine} confirms the registration for the fall conference.",
    "Release notes: DistrictGuard {version}, SIS connector {version2}; build "
    "{uuid}; checksum {blob}.",
    "IT asset list - {building}\n"
    "Asset tag {asset_tag}   Serial {serial}   Chromebook   assigned to {name}\n"
    "Asset tag {asset_tag2}   Serial {serial2}   Laptop   assigned to {name2}",
    "Board minutes {date}: motion by {name} to approve the consent agenda, "
    "seconded by {name2}. {caps} reading of policy 4512; {caps2} services "
    "report deferred. Vote 5-0.",
    "Server inventory: host dg-app-{nn}, agent {version}, tenant {uuid}, key {blob}.",
    "PO {po} for {vendor}: 30 Chromebooks, asset tags {asset_tag} through "
    "{asset_tag2}. Ship to {address}.",
    "Bus {bus} GPS unit serial {serial}; last ping {date}; driver contact {phone}.",
    "Enrollment count as of {date}: {count} students. Call {phone} or {phone2} "
    "with questions.",
    "Student {student} (Student ID {student_id}) moved to {building}; transcript "
    "requested {date}.",
    "Reference {bare_nine} / ticket {ticket}: password reset for {name}.",
    "Visa {bad_luhn} on the old vendor form failed validation; ask for a new form.",
)
