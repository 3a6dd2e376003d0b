# Administration (/admin), English.

admin-title = Administration
admin-intro = Manage the agency's clients, the people who use the help desk and the support contracts.
admin-subnav-label = Administration sections
admin-nav-overview = Overview
admin-nav-organizations = Organisations
admin-nav-users = Users
admin-nav-contracts = Contracts
admin-nav-assets = Assets
admin-nav-policy = Support policy
admin-nav-tokens = API tokens
admin-nav-outbox = Outgoing e-mail

admin-active = Active
admin-inactive = Inactive
admin-yes = Yes
admin-no = No
admin-percent = { $value } %
admin-optional-mark = (optional)

## Overview
admin-count-organizations = Organisations
admin-count-users = Users
admin-count-users-active = { $count } active
admin-count-contracts = Support contracts
admin-count-assets = Assets
admin-overview-more = More tools
admin-overview-policy = Read the support policy in force: what it covers, what it does not, and the response times.
admin-overview-tokens = Create tokens so other systems can use the API on behalf of a user.
admin-overview-outbox = Read the e-mails the help desk has ready to send, such as invitations and password links.

## Organisations
admin-orgs-title = Organisations
admin-orgs-intro = The agency's clients. Each organisation groups its contacts, contracts and assets.
admin-orgs-empty = There are no organisations yet. Create the first one with the form.
admin-orgs-caption = Registered organisations
admin-orgs-new = New organisation
admin-orgs-slug-hint = lowercase letters, numbers and hyphens; for example: camara-armenia. It identifies the organisation in the API.
admin-orgs-time-zone-hint = This organisation's dates and times are shown in this zone. Default: America/Bogota.
admin-orgs-create = Create organisation
admin-msg-org-created = The organisation was created.
admin-col-name = Name
admin-col-slug = Identifier
admin-col-time-zone = Time zone
admin-col-state = Status

## Users
admin-users-title = Users
admin-users-intro = Agency staff and each client's contacts. An invited person creates their own password with the link they receive.
admin-users-caption = Registered users
admin-users-filter = Filter by organisation
admin-users-filter-all = All organisations
admin-users-filter-submit = Filter
admin-users-empty = No users match this filter.
admin-users-staff = Agency staff
admin-users-you = You
admin-col-name-email = Name and e-mail
admin-col-role = Role
admin-col-organization = Organisation
admin-col-actions = Actions
admin-users-deactivate = Deactivate
admin-users-activate = Activate
admin-users-reset = Send password link
admin-invite-title = Invite user
admin-invite-intro = The person receives an e-mail with a link to create their password. The link is valid for 2 hours.
admin-invite-role-hint = Manager: sees all of their organisation's requests. Requester: only their own. Agent and Administrator: agency staff.
admin-invite-org-hint = Only for Manager and Requester. Leave it on "None" for agents and administrators.
admin-invite-org-none = None (agency staff)
admin-invite-language-hint = The language of the invitation and of the interface for this person.
admin-invite-submit = Send invitation
admin-invite-org-required = Choose the organisation: managers and requesters belong to a client.
admin-invite-org-not-allowed = Agents and administrators do not belong to an organisation: choose "None".
admin-lang-es = Español
admin-lang-en = English
admin-msg-invited = Invitation sent to { $email }. Until an e-mail server is configured, the message waits in Outgoing e-mail, where you can copy the link.
admin-msg-reset-sent = Password reset link sent to { $email }. You can also find it in Outgoing e-mail.
admin-msg-deactivated = { $name }'s account was deactivated. Their open sessions and API tokens were ended.
admin-msg-activated = { $name }'s account is active again.
admin-error-self-deactivate = You cannot deactivate your own account. If needed, ask another administrator to do it.
admin-invite-mail-subject = Your account on the { $brand } help desk
admin-invite-mail-body =
    Hello { $name },

    { $inviter } created an account for you on the { $brand } help desk. To sign in, create your password with this link (valid for { $hours } hours, and it works only once):

    { $link }

    Then sign in with your e-mail, { $email }, and the password you chose.

    If the link has expired, ask for a new one with "Forgot your password?" on the sign-in page.

## Contracts
admin-contracts-title = Support contracts
admin-contracts-intro = Each contract links an organisation to the support policy, its hourly rate and its VAT.
admin-contracts-caption = Registered contracts
admin-contracts-empty = There are no contracts yet.
admin-contracts-new = New contract
admin-contracts-no-orgs = Create an organisation first: every contract belongs to one.
admin-choose-org = Choose an organisation
admin-contracts-period = { $start } to { $end }
admin-contracts-from = From { $start }
admin-contracts-ends-hint = Leave it empty if the contract has no end date.
admin-contracts-rate-label = Hourly rate (pesos)
admin-contracts-rate-hint = In Colombian pesos, without decimals; for example: 150000.
admin-contracts-tax-label = VAT (IVA, %)
admin-contracts-tax-hint = A percentage; usually 19.
admin-contracts-overdraft = Allow hour overdraft
admin-contracts-overdraft-hint = If checked, work paid with an hour package may continue when the balance reaches zero.
admin-contracts-policy = Policy: { $name }, version { $version }. New contracts use the policy in force.
admin-contracts-create = Create contract
admin-msg-contract-created = The contract was created.
admin-col-contract = Contract
admin-col-period = Term
admin-col-rate = Hourly rate
admin-col-tax = VAT
admin-col-policy = Policy
admin-col-overdraft = Overdraft
admin-policy-key-version = { $key } v{ $version }

## Working hours of a contract
admin-hours-title = Working hours
admin-hours-intro = The hours in which each contract counts business time for its service targets, in the contract's time zone. Left empty, the contract works Monday to Friday, 08:00 to 18:00. Public holidays and closures are taken out separately.
admin-hours-hint = Days and hours, for example: mon-fri 08:00-12:00,14:00-18:00; sat 08:00-12:00. Days in English or Spanish (mon… sun, lun… dom); separate groups with ";". Empty: Monday to Friday, 08:00 to 18:00.
admin-hours-caption = Working hours of each contract
admin-hours-save = Save hours
admin-col-hours = Hours
admin-msg-hours-saved = The working hours were saved. Service times of its tickets are recomputed within a minute.
field-label-working_hours = Working hours
admin-hours-error-empty = Write at least one day with its hours, or leave the field empty.
admin-hours-error-too-long = The working hours are too long: at most { $max } characters.
admin-hours-error-unknown-day = "{ $text }" is not a day of the week. Use mon, tue, wed, thu, fri, sat, sun (or lun… dom).
admin-hours-error-missing-days = The day is missing before "{ $text }". Write the days first, for example: mon-fri 08:00-18:00.
admin-hours-error-missing-hours = The hours of "{ $text }" are missing. Write them after the days, for example: { $text } 08:00-12:00.
admin-hours-error-bad-interval = "{ $text }" is not a valid time range. Write HH:MM-HH:MM, the start before the end and up to 24:00; for example: 08:00-12:00.
admin-hours-error-overlap = The hours of { $day } overlap.
admin-hours-error-repeated-day = { $day } is given hours twice: write all its hours in one group.
admin-hours-day-mon = Monday
admin-hours-day-tue = Tuesday
admin-hours-day-wed = Wednesday
admin-hours-day-thu = Thursday
admin-hours-day-fri = Friday
admin-hours-day-sat = Saturday
admin-hours-day-sun = Sunday

## Calendar closures (SLA clock)
admin-closures-title = Calendar closures
admin-closures-intro = Days the office is closed, on top of public holidays: the business-hours service-time clock does not run on them. A closure applies to one contract or to all of them.
admin-closures-caption = Recorded closures
admin-closures-empty = No closures yet. Colombian public holidays are already taken into account.
admin-col-closure = Closure
admin-col-days = Days
admin-closures-every-contract = All contracts
admin-closures-delete = Delete
admin-closures-new = Add closure
admin-closures-add = Add closure
admin-closures-name-hint = For example: Company holidays 24 Dec – 2 Jan.
admin-closures-contract-hint = Choose a contract, or leave "All contracts".
admin-closures-last-hint = Included. A closure lasts at most 366 days; for a single day, repeat the date.
admin-msg-closure-added = The closure was recorded. Service times are recomputed within a minute.
admin-msg-closure-deleted = The closure was deleted. Service times are recomputed within a minute.
field-label-closure_name = Closure name
field-label-contract = Contract
field-label-first_day = First day
field-label-last_day = Last day

## Assets
admin-assets-title = Assets
admin-assets-intro = The delivered software and the servers each client's support covers. Clients pick one when they open a request.
admin-assets-caption = Registered assets
admin-assets-empty = There are no assets yet.
admin-assets-new = New asset
admin-assets-url-hint = Where it runs, with https://.
admin-assets-description-hint = Whatever helps agents find it: technology, environment, access.
admin-assets-create = Create asset
admin-msg-asset-created = The asset was created.
admin-kind-software = Delivered software
admin-kind-server = Server
admin-col-kind = Kind
admin-col-asset = Asset, address and description

## Policy
admin-policy-title = Support policy
admin-policy-intro = The policy in force: new contracts and request classification use it. To change it, edit the policy file with a new version number and restart the service.
admin-policy-facts = Policy details
admin-policy-key = Key
admin-policy-version = Version
admin-policy-procedure = When a request is not covered
admin-policy-categories = Categories
admin-policy-counts = { $covered } covered and { $not_covered } not covered.
admin-policy-id = Code
admin-policy-clause = Section { $clause } of the policy
admin-policy-hours-yes = Can be paid with an hour package
admin-policy-hours-no = Does not use hour packages
admin-policy-examples = Examples
admin-policy-sla = Service times by priority
admin-policy-sla-intro = Response targets by the request's priority.
admin-col-priority = Priority
admin-col-clock = Clock
admin-col-first-response = First response
admin-col-update = Update
admin-col-resolution = Resolution
admin-sla-clock-calendar = Calendar hours
admin-sla-clock-business = Business hours
admin-span-minutes = { $n } min
admin-span-hours = { $n } h
admin-span-day = { $n } day
admin-span-days = { $n } days
admin-span-business-day = { $n } business day
admin-span-business-days = { $n } business days
admin-policy-pausing = Statuses that stop the clock
admin-policy-pausing-intro = While a request is in one of these statuses no target accrues time (the "pausing" list of the policy's [sla] section). A closed request always stops the clock.
admin-policy-pausing-none = None: the clock stops only when the request is closed.

## API tokens
admin-tokens-title = API tokens
admin-tokens-intro = A token lets another system (a monitor, a script, another application) use the API on behalf of a user, with that user's permissions.
admin-tokens-new = Create token
admin-tokens-user-hint = The token acts as this person.
admin-tokens-label-hint = A name to recognise it by; for example: Server monitor.
admin-tokens-create = Create token
admin-tokens-created = Token created: "{ $label }" for { $name }.
admin-tokens-once = Copy this token now and keep it somewhere safe: it will not be shown again.
admin-tokens-field = New token
admin-tokens-usage = Send it in the Authorization header, with the word Bearer before the token.
admin-tokens-revoke-help = Revoking a token cuts off whoever uses it at once, and cannot be undone: if it is still needed, create a new one. Deactivating a user revokes all of their tokens at once.
admin-tokens-list = Existing tokens
admin-tokens-empty = No tokens yet. Create the first one with the form.
admin-tokens-col-token = Label and person
admin-tokens-col-created = Created
admin-tokens-col-last-used = Last used
admin-tokens-col-state = Status
admin-tokens-col-actions = Actions
admin-tokens-never-used = Never
admin-tokens-active = Active
admin-tokens-revoked = Revoked
admin-tokens-revoke = Revoke
admin-msg-token-revoked = Token "{ $label }" of { $name } was revoked. The API refuses it from now on.

## Outgoing e-mail
admin-outbox-title = Outgoing e-mail
admin-outbox-intro = The most recent messages the help desk prepared to send.
admin-outbox-smtp = Sending by e-mail (SMTP) is not configured yet, so messages wait here. If someone needs a link, copy it from the message and get it to them another way.
admin-outbox-empty = No e-mails are waiting.
admin-outbox-to = To
admin-outbox-created = Created
admin-outbox-pending = Waiting
admin-outbox-sent = Sent
admin-outbox-show = Show the message
admin-outbox-limit = Up to the 200 most recent are shown.
admin-outbox-open = Open Outgoing e-mail

# Background jobs
admin-nav-jobs = Jobs
admin-nav-hours = Hours
admin-jobs-title = Failed background jobs
admin-jobs-intro = Jobs that used all their attempts (retraining the classifier, expiring quotes and packages, notices). Read the error and retry once the cause is fixed.
admin-jobs-empty = No failed jobs.
admin-jobs-kind = Kind
admin-jobs-attempts = Attempts
admin-jobs-error = Last error
admin-jobs-when = Failed
admin-jobs-retry = Retry
admin-jobs-retried = The job is queued again and will run in a few seconds.
