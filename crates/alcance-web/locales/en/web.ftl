# Common texts of the web interface (English).

skip-to-content = Skip to content
nav-label = Main navigation
nav-queue = Queue
nav-admin = Administration
nav-my-requests = My requests
nav-new-request = New request
nav-scope = Our support scope
lang-label = Language
sign-out = Sign out
footer-text = Help desk with full traceability · Alcance
back-home = Back to the start

error-not-found = Not found
error-not-found-detail = The page or request does not exist, or you have no access to it.
error-forbidden = Not allowed
error-forbidden-detail = Your role does not allow this page.
error-csrf = The form expired
error-csrf-detail = For your security, reload the page and try again.
error-internal = Something went wrong
error-internal-detail = Something unexpected happened. It was logged; please try again in a moment.

login-title = Sign in
login-intro = Use the e-mail and password of your help desk account.
login-submit = Sign in
login-forgot = Forgot your password?
login-failed = Wrong e-mail or password.
login-throttled = Too many failed attempts. Wait { $minutes } minutes and try again, or reset your password.
signed-out = You are signed out.
forgot-title = Reset your password
forgot-intro = Type your account's e-mail and we will send you a link to set a new password.
forgot-submit = Send link
forgot-sent = If the e-mail belongs to an active account, we sent a link valid for 2 hours. Check your inbox.
back-to-login = Back to sign in
reset-title = Set a new password
reset-submit = Save password
reset-expired = This link was already used or has expired.
reset-ask-again = Ask for a new link
reset-done = Your password changed. You can sign in now.
password-hint = At least 10 characters.
reset-mail-subject = Reset your password
reset-mail-body =
    Hello { $name },

    We received a request to reset your password. Open this link to set a new one (valid for { $hours } hours, once):

    { $link }

    If it was not you, ignore this message: your password stays as it is.

field-label-email = E-mail
field-label-password = Password
field-label-new-password = New password
field-label-subject = Subject
field-label-body = Description
field-label-asset_id = Asset
field-label-priority = Priority
field-label-file = File
field-label-filename = File name
field-label-category = Category
field-label-coverage = Coverage
field-label-reason = Reason
field-label-assignee = Assignee
field-label-status = Status
field-label-internal = Internal note
field-label-name = Name
field-label-slug = Identifier
field-label-role = Role
field-label-organization = Organisation
field-label-time_zone = Time zone
field-label-language = Language
field-label-starts_on = Start
field-label-ends_on = End
field-label-hourly_rate_minor = Hourly rate
field-label-currency = Currency
field-label-tax_rate_basis_points = VAT
field-label-url = URL
field-label-description = Description
field-label-kind = Kind
field-label-label = Label
field-label-user = User
field-label-token = Link

status-new = New
status-open = Open
status-in_progress = In progress
status-waiting_on_client = Waiting on client
status-awaiting_decision = Not covered: awaiting decision
status-quote_requested = Quote requested
status-quoted = Quote sent
status-resolved = Resolved
status-closed = Closed
priority-critical = Critical
priority-high = High
priority-normal = Normal
priority-low = Low
coverage-pending = Unclassified
coverage-covered = Covered
coverage-not_covered = Not covered
channel-portal = Portal
channel-email = E-mail
channel-api = API
channel-monitor = Monitor
role-admin = Administrator
role-agent = Agent
role-manager = Manager
role-requester = Requester

## Attachments (portal and console)
upload-files-total = Together the files weigh more than { $limit }. Send some now and the rest in a reply.
upload-file-too-big = "{ $name }" is larger than { $limit }, the limit per file. You can compress it or send it in parts.
upload-file-empty = "{ $name }" is empty.
upload-file-bad-name = The file name "{ $name }" is not valid. Rename the file and try again.
upload-too-many-files = You can attach up to { $max } files at a time.
