# Agent console (/agent), English. Keys prefixed agent-.

## Queue
agent-queue-title = Ticket queue
agent-queue-intro = Classify, assign and work your clients' requests.
agent-views-label = Saved views
agent-view-unclassified = Unclassified
agent-view-mine = My tickets
agent-view-waiting = Waiting on client
agent-view-open = All open
agent-filters-label = Search and filter
agent-filter-search = Search
agent-filter-search-hint = Words in the subject or a ticket number (e.g. #1042).
agent-filter-more = More filters
agent-filter-apply = Apply
agent-filter-clear = Clear filters
agent-filter-view-status = As the view says
agent-filter-any-status = Any status
agent-filter-any = Any
agent-filter-me = Me
agent-filter-unassigned = Unassigned
agent-col-number = No.
agent-col-subject = Subject
agent-col-client = Client and requester
agent-col-status = Status
agent-col-priority = Priority
agent-col-category = Category
agent-col-assignee = Assignee
agent-col-activity = Last activity
agent-sort-hint = (change order)
agent-queue-caption = { $view }, page { $page }
agent-queue-empty = No tickets in this view with these filters.
agent-queue-empty-hint = Try another view or clear the filters.
agent-pager-label = Queue pages
agent-pager-prev = Previous
agent-pager-next = Next
agent-pager-page = Page { $page }
agent-keys-label = Keyboard:
agent-keys-move = move between tickets
agent-keys-enter = Enter
agent-keys-open = open
agent-keys-search = search
agent-none = Unassigned
agent-no-category = No category

## Ticket
agent-back-to-queue = Back to the queue
agent-ticket-number = Ticket #{ $number }
agent-timeline = Ticket history
agent-description = Description
agent-reply-public = Public reply
agent-note-internal = Internal note
agent-internal = Internal
agent-system = The system
agent-unknown = unknown
agent-reason = Reason: { $reason }
agent-download = Download { $file }
agent-event-created = { $actor } opened the request through { $channel }, with { $priority } priority.
agent-event-status = { $actor } changed the status from “{ $from }” to “{ $to }”.
agent-event-priority = { $actor } changed the priority from { $from } to { $to }.
agent-event-took = { $actor } took the ticket.
agent-event-assigned = { $actor } assigned the ticket to { $to }.
agent-event-reassigned = { $actor } reassigned the ticket from { $from } to { $to }.
agent-event-unassigned = { $actor } unassigned { $from }.
agent-event-classified = { $actor } classified the ticket as “{ $category }” ({ $coverage }) under { $policy }, version { $version }.
agent-event-override = { $actor } changed the coverage from “{ $from }” to “{ $to }”, against what the policy says.
agent-event-attachment = { $actor } attached { $file } ({ $size }).
agent-event-other = { $actor } recorded a change ({ $kind }).
agent-event-decision = The client chose: { $choice }.
agent-event-decision-comment = The client chose: { $choice }. Comment: "{ $comment }"
agent-decision-quote = a quote
agent-decision-hours = use hours from their package (confirm the hour balance)
agent-decision-decline = not to go on

## At a glance
agent-glance = At a glance
agent-requester = Requester
agent-organization = Organisation
agent-contract = Contract
agent-contract-none = No active contract: the default policy applies.
agent-contract-range = { $start } to { $end }
agent-contract-since = Since { $start }
agent-rate = Hourly rate
agent-rate-value = { $rate } + { $tax } % VAT
agent-asset = Asset
agent-asset-none = None
agent-asset-kind-software = Delivered software
agent-asset-kind-server = Server
agent-channel = Channel
agent-opened = Opened
agent-updated = Last activity
agent-category = Category
agent-policy = Policy
agent-policy-value = { $name }, version { $version }
agent-assignee = Assignee

## Actions
agent-actions = Actions
agent-classify-title = Classify
agent-classify-category = Category
agent-classify-choose = Choose a category
agent-classify-coverage = Coverage
agent-classify-by-policy = As the policy says
agent-classify-coverage-hint = Change it only when the case justifies it, and say why.
agent-classify-reason = Reason for changing the coverage
agent-classify-submit = Classify
agent-assign-title = Assignee
agent-assign-to = Assign to
agent-assign-submit = Assign
agent-assign-me = Assign to me
agent-status-title = Status
agent-status-current = Current status: { $status }
agent-status-choose = Choose the new status
agent-status-to = Move to
agent-status-reason = Reason
agent-status-reason-hint = Required to close a ticket that was not resolved.
agent-status-submit = Change status
agent-status-none = No change is possible from this status.
agent-priority-title = Priority
agent-priority-to = Priority
agent-priority-submit = Change priority
agent-closed-note = This ticket is closed: it takes no more changes or replies. If the client needs more, open a new related ticket.

## Reply
agent-reply-title = Reply or add a note
agent-reply-kind = Kind of message
agent-reply-public-hint = The client sees it in the portal.
agent-note-internal-hint = Only the agency's team sees it.
agent-reply-body = Message
agent-reply-body-hint = Markdown works: **bold**, lists, links and code blocks.
agent-attachments = Attachments
agent-dropzone-text = Drop files here or choose them.
agent-attachments-hint = Up to { $count } files of { $size } each. With an internal note, the attachments are internal too.
agent-reply-submit-public = Send reply
agent-reply-submit-internal = Save internal note

## Errors
agent-error-title = The change was not saved: { $message }
agent-error-go-to-form = Go to the form
agent-error-transition = A ticket in status “{ $from }” cannot move to “{ $to }”.
agent-error-reason-required = Write the reason for closing a ticket that was not resolved.
agent-error-override-reason = Write the reason for changing the coverage the policy gives.
agent-error-status-required = Choose the new status.
agent-error-category-required = Choose a category.
agent-error-closed = The ticket is closed: it takes no changes.
agent-error-body-required = Write a message or attach a file.
agent-error-bad-form = The form could not be read. Please try again.

## Notices
agent-msg-classified = Ticket classified.
agent-msg-assigned = Assignee updated.
agent-msg-status = Status updated.
agent-msg-priority = Priority updated.
agent-msg-replied = Reply sent to the client.
agent-msg-noted = Internal note saved.
agent-msg-attached = Files attached.

## Other agents on the ticket
agent-viewers = Also viewing this ticket: { $names }

## The classifier's suggestion
agent-col-suggestion = Suggestion
agent-suggestion-confidence-of = Confidence: { $percent }
agent-suggestion-none = No suggestion
agent-suggestion-title = Suggestion
agent-suggestion-confidence = Confidence
agent-suggestion-percent = { $percent }%
agent-suggestion-clause = Policy clause
agent-suggestion-clause-value = Section { $section }: { $label }
agent-suggestion-words = Words that weighed most
agent-suggestion-accept = Accept suggestion
agent-suggestion-correct = Classify differently

## Classification quality (/agent/triage)
agent-triage-link = Classification quality
agent-triage-title = Classification quality
agent-triage-intro = What agents did with the suggested categories since the week of { $date } (weeks from Monday to Sunday, UTC).
agent-triage-back = Back to the queue
agent-triage-rate = Acceptance
agent-triage-rate-hint = Acceptance: suggestions accepted in one click or confirmed by hand, out of all those already decided.
agent-triage-no-decisions = No decisions
agent-triage-by-category = By suggested category
agent-triage-by-week = By week (last 12)
agent-triage-col-category = Suggested category
agent-triage-col-week = Week
agent-triage-week-of = Week of { $date }
agent-triage-suggested = Suggested
agent-triage-accepted = Accepted
agent-triage-agreed = Confirmed by hand
agent-triage-corrected = Corrected
agent-triage-pending = Pending
agent-triage-total = Total
agent-triage-empty = No suggestions in this period yet.
agent-triage-chart-caption = Suggestions per week: green, accepted or confirmed; red, corrected; grey, pending. The exact figures are in the table.

# Business reports (/agent/reports)
agent-reports-title = Hours and quotes reports
agent-reports-intro = For leads: how many hours clients bought and used, and what became of the quotes.
agent-reports-quotes = Quotes sent in { $year }
agent-reports-sent = Sent
agent-reports-accepted = Accepted
agent-reports-rejected = Rejected
agent-reports-expired = Expired
agent-reports-open = Awaiting an answer
agent-reports-conversion = Conversion rate
agent-reports-conversion-hint = Accepted out of those the client accepted, rejected or let expire.
agent-reports-no-decisions = No decisions yet
agent-reports-value = Value of the quotes
agent-reports-currency = Currency
agent-reports-value-sent = Value sent (VAT included)
agent-reports-value-accepted = Value accepted (VAT included)
agent-reports-hours = Prepaid hours per client and month
agent-reports-hours-since = Since { $date }.
agent-reports-hours-empty = No client has hour movements in this period.
agent-reports-organization = Client
agent-reports-month = Month
agent-reports-bought = Bought
agent-reports-used = Used
agent-reports-remaining = Balance at month end
agent-reports-link = Hours and quotes
