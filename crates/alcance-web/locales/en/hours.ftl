# Prepaid hour packages and time entries (portal, agent, admin, statements).

hours-nav = Hours
hours-file-prefix = hours-statement

hours-kind-purchase = Purchase
hours-kind-consumption = Consumption
hours-kind-expiry = Expiry
hours-kind-adjustment = Adjustment
hours-kind-reversal = Reversal
hours-kind-reservation = Reservation
hours-kind-release = Release

hours-billing-covered = Covered (no charge)
hours-billing-hours = Package hours
hours-billing-quote = Quote
hours-billing-unbilled = Unbilled

hours-col-date = Date
hours-col-movement = Movement
hours-col-request = Request
hours-col-note = Note
hours-col-hours = Hours
hours-col-balance = Balance
hours-col-package = Package
hours-col-bought = Bought
hours-col-purchased = Purchase date
hours-col-expires = Expires
hours-col-price = Price
hours-col-invoice = Invoice
hours-col-entry = No.
hours-col-worked-on = Date
hours-col-agent = Agent
hours-col-duration = Duration
hours-col-billing = Billing

hours-label-from = From
hours-label-to = To
hours-label-hours = Hours bought
hours-label-price = Price
hours-label-price-in = Price ({ $currency })
hours-label-purchased_on = Purchase date
hours-label-expires_on = Expiry date
hours-label-invoice_ref = Invoice number
hours-label-duration = Duration
hours-label-worked_on = Date worked
hours-label-note = Note
hours-label-entry = Movement
hours-label-minutes = Minutes

hours-pdf-title = Prepaid hours statement
hours-pdf-client = Client
hours-pdf-period = Period
hours-pdf-period-value = { $from } to { $to }
hours-pdf-empty = There were no movements in this period.
hours-pdf-opening = Opening balance
hours-pdf-moved = Movements in the period
hours-pdf-closing = Closing balance
hours-pdf-note = Balances include every package of the organisation. Hours are taken first from the package that expires first; an expired package cannot be used.
hours-pdf-page = Page { $page } of { $pages }

hours-package-name = Package { $id }
hours-expired = Expired
hours-expires-today = Expires today
hours-expires-in-one = Expires in 1 day
hours-expires-in = Expires in { $days } days

hours-portal-title = Prepaid hours
hours-portal-intro = { $organization }'s hour balance, its packages and every movement.
hours-available = Available balance
hours-available-hint = Hours you can use today on work outside the support scope paid with your package.
hours-empty = You have no hours available. New work paid with hours needs a new package.
hours-empty-overdraft = You have no hours available; your contract allows an overdraft, billed separately.
hours-packages-title = Packages
hours-packages-empty = There are no hour packages yet.
hours-movements-title = Recent movements
hours-movements-intro = Every movement since { $from }, newest first.
hours-movements-all = All movements
hours-movements-empty = There are no movements in this period.
hours-statement-title = Statement
hours-statement-intro = Choose the period and download the statement with the balance after each movement.
hours-download-csv = Download CSV
hours-download-pdf = Download PDF

hours-time-title = Time logged on #{ $number }
hours-back-to-ticket = Back to ticket #{ $number }
hours-time-balance = This work is paid with package hours: the organisation's available balance is { $balance }.
hours-time-entries = Time entries
hours-time-empty = No time has been logged on this ticket yet.
hours-time-total = Total
hours-time-log = Log time
hours-time-submit = Log time
hours-duration-hint = For example "1.5", "90 min" or "1:30".
hours-worked-on-hint = YYYY-MM-DD; today ({ $today }) when left empty.
hours-msg-logged = Time logged.

hours-admin-title = Hour packages
hours-admin-intro = Prepaid hour purchases per organisation, their balance and their movements.
hours-admin-choose = Choose an organisation
hours-admin-show = Show hours
hours-purchase-title = Record a purchase
hours-purchase-submit = Record purchase
hours-hours-hint = For example "40" or "12.5".
hours-purchased-on-hint = Today when left empty.
hours-reverse-title = Reverse a movement
hours-reverse-intro = Corrects a mistake with an opposite movement; the original is kept.
hours-reverse-none = There are no movements that can be reversed.
hours-reverse-choose = Choose a movement
hours-reverse-submit = Reverse
hours-reverse-note-hint = Say why it is reversed; it appears on the statement.
hours-msg-purchased = Purchase recorded.
hours-msg-reversed = Movement reversed.
