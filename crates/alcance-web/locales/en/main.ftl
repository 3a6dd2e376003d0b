# API texts in English. Keys are stable; the code only uses keys.

problem-invalid_field = A value is not valid
problem-malformed_json = The body is not valid JSON
problem-invalid_body = The body does not have the expected shape
problem-unsupported_media_type = Unsupported content type
problem-payload_too_large = The content is too large
problem-not_found = Not found
problem-forbidden = You are not allowed to do this
problem-unauthenticated = Sign-in required
problem-bad_credentials = Wrong e-mail or password
problem-too_many_attempts = Too many attempts
problem-csrf_failed = Missing or invalid CSRF token
problem-invalid_transition = Status change not allowed
problem-ticket_closed = The request is closed
problem-method_not_allowed = Method not allowed
problem-internal = Internal server error

detail-malformed_json = The request body could not be read as JSON: { $detail }
detail-invalid_body = The body must be a JSON object with the operation's fields.
detail-unsupported_media_type = Send the body with Content-Type: application/json.
detail-payload_too_large = The body exceeds the allowed size.
detail-not_found = The resource does not exist or you have no access to it.
detail-forbidden = Your role does not allow this action.
detail-unauthenticated = Send an API token (Authorization: Bearer …) or sign in.
detail-bad_credentials = Check the e-mail and password and try again.
detail-too_many_attempts = There were too many failed attempts for this e-mail. Wait { $minutes } minutes.
detail-csrf_failed = Requests made with a session cookie must send the X-CSRF-Token header.
detail-invalid_transition = A request in status "{ $from }" cannot move to "{ $to }".
detail-ticket_closed = A closed request cannot change; open a new related request.
detail-method_not_allowed = This resource does not support that HTTP method.
detail-internal = Something unexpected went wrong. It was logged; please try again.

field-required = The field "{ $field }" is required.
field-too_long = The field "{ $field }" is too long (at most { $detail }).
field-too_short = The field "{ $field }" is too short (at least { $detail }).
field-invalid = The field "{ $field }" is not in a valid format.
field-invalid_type = The field "{ $field }" has the wrong type: { $detail }.
field-unknown_value = The value of "{ $field }" is not allowed. Allowed values: { $detail }.
field-unknown_field = The field "{ $field }" does not exist in this operation.
field-not_found = What "{ $field }" names was not found.
field-already_exists = A record with that "{ $field }" already exists.
field-not_allowed = The field "{ $field }" is not allowed for your role or in this operation.
field-insufficient_balance = There are not enough prepaid hours for "{ $field }": the available balance is { $detail }.
field-out_of_range = The value of "{ $field }" is out of the allowed range ({ $detail }).
