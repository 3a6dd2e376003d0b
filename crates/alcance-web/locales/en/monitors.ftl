# Monitors, status pages and integrations.

## Links from other pages
monitors-queue-link = Monitoring
monitors-admin-nav = Monitoring
monitors-portal-link = See the status of your services

## States, kinds, categories and sources
monitors-state-up = Working
monitors-state-down = Having problems
monitors-state-pending = No data yet
monitors-state-paused = Paused
monitors-kind-http = Website (HTTP)
monitors-kind-tls = Security certificate (TLS)
monitors-kind-heartbeat = Scheduled job (heartbeat)
monitors-category-auto = Automatic (from what is found)
monitors-category-server_availability = Server availability
monitors-category-server_security_config = Server security and configuration
monitors-category-server_alert = Security and overload alerts
monitors-category-backup_restore = Backup and recovery
monitors-source-monitor = Alcance monitor
monitors-source-alertmanager = Alertmanager
monitors-source-checkmk = Checkmk
monitors-source-webhook = Webhook
monitors-none = None
monitors-no-limit = No limit
monitors-cert-days = Expires in { $days } days
monitors-cert-one-day = Expires in 1 day
monitors-cert-today = Expires today
monitors-cert-expired = Expired

## Ticket history (agent view)
monitors-event-alert = { $source } reported a problem: { $summary } ({ $code })
monitors-event-alert-detail = { $source } reported a problem: { $summary }. Detail: { $detail }
monitors-event-recovered = { $source }: the service recovered.
monitors-event-recovered-ms = { $source }: the service recovered (answered in { $ms }).

## Monitoring console (agents)
monitors-console-title = Server monitoring
monitors-console-intro = The websites, certificates and scheduled jobs Alcance checks by itself. When something fails, a ticket is opened automatically.
monitors-console-setup = Set up monitors
monitors-back-to-queue = Back to the queue
monitors-back-to-console = Back to monitoring
monitors-filter-label = Filter monitors
monitors-filter-all = All organizations
monitors-filter-apply = Filter
monitors-console-empty = There are no monitors yet. An admin can create them under Admin › Monitoring.
monitors-console-empty-org = This organization has no monitors yet.
monitors-console-hint = Uptime: the share of successful checks over the last 24 hours, 7 days and 30 days. A monitor "Having problems" has an open ticket, linked in the last column.
monitors-col-organization = Organization
monitors-col-name = Monitor
monitors-col-kind = Kind
monitors-col-state = State
monitors-col-last-check = Last check
monitors-col-response = Response
monitors-col-uptime-day = 24 h
monitors-col-uptime-week = 7 days
monitors-col-uptime-month = 30 days
monitors-col-certificate = Certificate
monitors-col-incident = Open ticket
monitors-col-target = Checked address
monitors-col-every = Frequency
monitors-col-actions = Actions
monitors-col-incident-title = Incident
monitors-col-opened = Started
monitors-col-resolved = Ended
monitors-col-duration = Duration
monitors-col-ticket = Ticket
monitors-col-token-name = Name
monitors-col-created = Created
monitors-col-last-used = Last used

## One monitor
monitors-edit = Edit
monitors-view = View details
monitors-status-page-link = Status page
monitors-open-incident = This monitor has an open incident. Ticket:
monitors-now-title = Now
monitors-last-ping = Last check-in of the job
monitors-settings-title = Settings
monitors-uptime-title = Uptime
monitors-uptime-day = Last 24 h
monitors-uptime-week = Last 7 days
monitors-uptime-month = Last 30 days
monitors-chart-heading = Response time over the last 24 hours
monitors-chart-title = Response time over the last 24 hours
monitors-chart-desc = Checks: { $checks }. Response time between { $min } and { $max }. Failed checks: { $failures }.
monitors-chart-desc-untimed = Checks: { $checks }, none answered. Failed checks: { $failures }.
monitors-chart-max = max. { $ms }
monitors-chart-min = min. { $ms }
monitors-chart-legend = The line shows how long the service took to answer at each check. Red marks with a dotted line are failed checks; hover over them to see the time and the reason.
monitors-chart-empty = No checks in the last 24 hours yet.
monitors-incidents-title = Incidents of the last 90 days
monitors-incidents-empty = No incidents in the last 90 days.
monitors-incident-ongoing = Ongoing
monitors-incident-resolved = Resolved

## Monitor admin
monitors-admin-title = Monitoring
monitors-admin-intro = Set up what Alcance checks by itself, the permissions other monitoring tools use to report alerts, and what each client sees on their status page.
monitors-admin-list = Monitors
monitors-admin-empty = There are no monitors yet. Create the first one with the form below.
monitors-admin-console-link = Open the console
monitors-new-title = New monitor
monitors-new-intro = Number fields may be left empty: Alcance uses sensible values for the kind of monitor.
monitors-create = Create monitor
monitors-edit-title = Edit monitor
monitors-edit-intro = Change the monitor's settings or pause it. Its kind and organization do not change; for that, create another monitor.
monitors-save = Save changes
monitors-back-to-admin = Back to the list of monitors
monitors-no-asset = None
monitors-msg-created = The monitor was created.
monitors-msg-saved = The changes were saved.
monitors-msg-regenerated = A new check-in address was created for the scheduled job. The old one no longer works.
monitors-msg-token-revoked = The token was revoked. Alerts that use it are refused from now on.
monitors-msg-terms-saved = The contract's monitoring terms were saved.

## Form fields
monitors-label-organization = Organization
monitors-label-asset_id = Asset
monitors-label-name = Name
monitors-label-kind = What to check
monitors-label-target = Address to check
monitors-label-method = Request method
monitors-label-expected_status = Expected response code
monitors-label-keyword = Text that must appear
monitors-label-interval_seconds = Every how many seconds
monitors-label-timeout_seconds = Maximum wait (seconds)
monitors-label-slow_ms = Slow from (milliseconds)
monitors-label-failures_to_open = Failures in a row to open a ticket
monitors-label-successes_to_close = Good checks in a row to call it recovered
monitors-label-category = Ticket category
monitors-label-grace_seconds = Grace period (seconds)
monitors-label-enabled = Monitoring active
monitors-label-token_organization = Organization
monitors-label-token_name = Token name
monitors-help-kind = Website: Alcance visits the address and checks that it answers well. Certificate: checks the security padlock (https) and warns before it expires. Scheduled job: your backup or nightly job tells Alcance each time it finishes; if it stops doing so, a ticket is opened.
monitors-help-asset_id = Optional: the client's system or server this monitor belongs to. The tickets it opens are linked to that asset.
monitors-help-name = A name the client recognizes, such as "Website" or "Nightly backup". It appears on tickets and on the status page.
monitors-help-target = Website: the full address, for example https://www.example.com/. Certificate: the server name, for example www.example.com (port 443 unless you give another). Scheduled job: leave it empty.
monitors-help-method = Websites only. GET is the usual one; HEAD asks for the headers only (lighter); POST, for services that require it.
monitors-help-expected_status = Websites only. The code that means all is well; almost always 200. Empty: 200.
monitors-help-keyword = Websites only. If the page does not contain this text, it counts as a failure; useful to catch a blank or error page that answers "fine".
monitors-help-interval_seconds = How often to check. For scheduled jobs: how often the check-in is expected (86400 = once a day). Empty: 60 s for websites, 6 hours for certificates, 24 hours for scheduled jobs.
monitors-help-timeout_seconds = How long to wait for an answer before counting a failure (1 to 60). Empty: 10.
monitors-help-slow_ms = Websites only. Answering slower than this counts as an overload failure (1000 ms = 1 second). Empty: no limit.
monitors-help-failures_to_open = Avoids false alarms: the ticket opens only after this many failures in a row (1 to 20). Empty: 2 for websites, 1 for the others.
monitors-help-successes_to_close = The incident ends after this many good checks in a row (1 to 20). Empty: 2 for websites, 1 for the others.
monitors-help-category = Automatic chooses from the problem: down → availability; certificate → security; slowness → overload; a job that does not check in → backup. Pick one if every ticket of this monitor should go to the same category.
monitors-help-grace_seconds = Scheduled jobs only. How much extra time to wait for the check-in before opening a ticket, in case the job runs a little longer than usual (0 to 86400). Empty: 600 (10 minutes).
monitors-help-enabled = Untick it to pause the monitor (for example during planned maintenance): no checks are made and no tickets opened until you turn it back on.

## The scheduled job's address (shown once)
monitors-heartbeat-title = Check-in address of "{ $name }"
monitors-heartbeat-once = Copy this address now and keep it somewhere safe: it will not be shown again. If you lose it, generate a new one from the monitor's page.
monitors-heartbeat-url = Check-in address
monitors-heartbeat-url-hint = The job must visit this address (GET or POST) each time it finishes well.
monitors-heartbeat-curl = Line to add at the end of your script
monitors-heartbeat-cron = Example in cron
monitors-heartbeat-cron-hint = This way the 2:30 a.m. backup checks in only when it finished without errors (the "&&" sends the check-in only if the script succeeded).
monitors-regenerate-title = Check-in address
monitors-regenerate-intro = If the check-in address was lost or someone who should not know it does, generate a new one. The old one stops working at once: update the job's script with the new one.
monitors-regenerate = Generate a new address

## Integration tokens
monitors-tokens-title = Integration tokens
monitors-tokens-intro = They let other monitoring tools (Prometheus Alertmanager, Checkmk, Nagios, Zabbix or your own script) report alerts for an organization. Each alert opens or updates a covered ticket; when the tool says it is resolved, the ticket records it.
monitors-tokens-empty = There are no integration tokens yet.
monitors-token-new = New integration token
monitors-help-token_name = To recognize it later, for example the tool's name: "Production Alertmanager".
monitors-token-create = Create token
monitors-token-created = Token "{ $name }" for { $org }
monitors-token-once = Copy this token now and keep it somewhere safe: it will not be shown again. Below are examples ready to paste into each tool.
monitors-token-field = Token
monitors-token-alertmanager = Prometheus Alertmanager (alertmanager.yml)
monitors-token-alertmanager-hint = Add this receiver and route to it the alerts that should open tickets.
monitors-token-checkmk = Checkmk or Nagios (notification script)
monitors-token-checkmk-hint = The variables are Checkmk's. In Nagios or Icinga use their macros: $HOSTNAME$, $SERVICEDESC$, $SERVICESTATE$ and $SERVICEOUTPUT$. The state OK or UP marks the problem as resolved.
monitors-token-webhook = Generic webhook (any script)
monitors-token-webhook-hint = Send the same with "status":"resolved" when the problem ends. The same "key" identifies the same problem. Severity: critical, high, normal or low.
monitors-example-webhook-title = The NAS backup failed
monitors-example-webhook-details = The backup script ended with an error.
monitors-token-never-used = Never
monitors-token-active = Active
monitors-token-revoked = Revoked
monitors-token-revoke = Revoke

## Monitoring terms per contract
monitors-terms-title = Monitoring terms per contract
monitors-terms-intro = For each active contract: whether the client's status page is public, and whether a monitoring ticket resolves itself when the service recovers.
monitors-terms-empty = There are no active contracts.
monitors-terms-public = Public status page
monitors-terms-public-hint = When ticked, anyone with the link sees it without signing in (it shows service names, uptime and incident titles). Otherwise, only your team and the organization's people.
monitors-terms-resolve = Resolve the ticket when the service recovers
monitors-terms-resolve-hint = When unticked, the ticket stays open for an agent to review and close.
monitors-terms-save = Save

## Status page
monitors-status-title = Status of { $org }'s services
monitors-status-kicker = Service status
monitors-status-overall-ok = All services are operating normally
monitors-status-overall-problems = Some services are having problems
monitors-status-overall-none = No services are monitored yet
monitors-status-updated = Updated:
monitors-status-services = Services
monitors-status-history = Incidents of the last 90 days
monitors-status-no-incidents = No incidents in the last 90 days.
monitors-status-foot = Uptime is the share of successful checks in each period.
