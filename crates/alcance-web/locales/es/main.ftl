# Textos de la API en español (es-CO). Las claves son estables; el código solo usa claves.

problem-invalid_field = Un dato no es válido
problem-malformed_json = El cuerpo no es JSON válido
problem-invalid_body = El cuerpo no tiene la forma esperada
problem-unsupported_media_type = Tipo de contenido no admitido
problem-payload_too_large = El contenido es demasiado grande
problem-not_found = No encontrado
problem-forbidden = No tiene permiso para esta acción
problem-unauthenticated = Debe iniciar sesión
problem-bad_credentials = Correo o contraseña incorrectos
problem-too_many_attempts = Demasiados intentos
problem-csrf_failed = Falta el token CSRF o no es válido
problem-invalid_transition = Cambio de estado no permitido
problem-ticket_closed = La solicitud está cerrada
problem-method_not_allowed = Método no permitido
problem-internal = Error interno del servidor

detail-malformed_json = El cuerpo de la solicitud no se pudo leer como JSON: { $detail }
detail-invalid_body = El cuerpo debe ser un objeto JSON con los campos de la operación.
detail-unsupported_media_type = Envíe el cuerpo con Content-Type: application/json.
detail-payload_too_large = El cuerpo supera el límite permitido.
detail-not_found = El recurso no existe o no tiene acceso a él.
detail-forbidden = Su rol no permite esta acción.
detail-unauthenticated = Envíe un token de API (Authorization: Bearer …) o inicie sesión.
detail-bad_credentials = Revise el correo y la contraseña e intente de nuevo.
detail-too_many_attempts = Hubo demasiados intentos fallidos con este correo. Espere { $minutes } minutos.
detail-csrf_failed = Las solicitudes con cookie de sesión deben enviar el encabezado X-CSRF-Token.
detail-invalid_transition = Una solicitud en estado «{ $from }» no puede pasar a «{ $to }».
detail-ticket_closed = Una solicitud cerrada no admite cambios; abra una nueva solicitud relacionada.
detail-method_not_allowed = Este recurso no admite ese método HTTP.
detail-internal = Ocurrió un error inesperado. Quedó registrado; intente de nuevo.

field-required = El campo «{ $field }» es obligatorio.
field-too_long = El campo «{ $field }» es demasiado largo (máximo { $detail }).
field-too_short = El campo «{ $field }» es demasiado corto (mínimo { $detail }).
field-invalid = El campo «{ $field }» no tiene un formato válido.
field-invalid_type = El campo «{ $field }» tiene un tipo de dato incorrecto: { $detail }.
field-unknown_value = El valor del campo «{ $field }» no es válido. Valores permitidos: { $detail }.
field-unknown_field = El campo «{ $field }» no existe en esta operación.
field-not_found = No se encontró lo indicado en el campo «{ $field }».
field-already_exists = Ya existe un registro con ese valor en «{ $field }».
field-not_allowed = El campo «{ $field }» no está permitido para su rol o en esta operación.
field-insufficient_balance = No hay saldo suficiente de horas para «{ $field }»: el saldo disponible es { $detail }.
field-out_of_range = El valor de «{ $field }» está fuera del rango permitido ({ $detail }).
