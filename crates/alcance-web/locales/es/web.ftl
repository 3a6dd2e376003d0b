# Textos comunes de la interfaz web (es-CO).

skip-to-content = Saltar al contenido
nav-label = Navegación principal
nav-queue = Bandeja
nav-admin = Administración
nav-my-requests = Mis solicitudes
nav-new-request = Nueva solicitud
nav-scope = Nuestro alcance de soporte
lang-label = Idioma
sign-out = Cerrar sesión
footer-text = Mesa de ayuda con trazabilidad completa · Alcance
back-home = Volver al inicio

error-not-found = No encontrado
error-not-found-detail = La página o la solicitud no existe, o no tiene acceso a ella.
error-forbidden = Sin permiso
error-forbidden-detail = Su rol no permite ver esta página.
error-csrf = El formulario venció
error-csrf-detail = Por seguridad, recargue la página e intente de nuevo.
error-internal = Algo salió mal
error-internal-detail = Ocurrió un error inesperado. Quedó registrado; intente de nuevo en un momento.

login-title = Iniciar sesión
login-intro = Ingrese con el correo y la contraseña de su cuenta en la mesa de ayuda.
login-submit = Ingresar
login-forgot = ¿Olvidó su contraseña?
login-failed = Correo o contraseña incorrectos.
login-throttled = Demasiados intentos fallidos. Espere { $minutes } minutos e intente de nuevo, o restablezca su contraseña.
signed-out = Cerró sesión correctamente.
forgot-title = Restablecer contraseña
forgot-intro = Escriba el correo de su cuenta y le enviaremos un enlace para crear una contraseña nueva.
forgot-submit = Enviar enlace
forgot-sent = Si el correo pertenece a una cuenta activa, le enviamos un enlace válido por 2 horas. Revise su bandeja de entrada.
back-to-login = Volver a iniciar sesión
reset-title = Crear contraseña nueva
reset-submit = Guardar contraseña
reset-expired = Este enlace ya se usó o venció.
reset-ask-again = Pedir un enlace nuevo
reset-done = Su contraseña cambió. Ya puede iniciar sesión.
password-hint = Mínimo 10 caracteres.
reset-mail-subject = Restablecer su contraseña
reset-mail-body =
    Hola, { $name }:

    Recibimos una solicitud para restablecer su contraseña. Abra este enlace para crear una nueva (vale por { $hours } horas y sirve una sola vez):

    { $link }

    Si no fue usted, ignore este mensaje: su contraseña actual sigue igual.

field-label-email = Correo electrónico
field-label-password = Contraseña
field-label-new-password = Contraseña nueva
field-label-subject = Asunto
field-label-body = Descripción
field-label-asset_id = Activo
field-label-priority = Prioridad
field-label-file = Archivo
field-label-filename = Nombre del archivo
field-label-category = Categoría
field-label-coverage = Cobertura
field-label-reason = Motivo
field-label-assignee = Responsable
field-label-status = Estado
field-label-internal = Nota interna
field-label-name = Nombre
field-label-slug = Identificador
field-label-role = Rol
field-label-organization = Organización
field-label-time_zone = Zona horaria
field-label-language = Idioma
field-label-starts_on = Inicio
field-label-ends_on = Fin
field-label-hourly_rate_minor = Tarifa por hora
field-label-currency = Moneda
field-label-tax_rate_basis_points = IVA
field-label-url = URL
field-label-description = Descripción
field-label-kind = Tipo
field-label-label = Etiqueta
field-label-user = Usuario
field-label-token = Enlace

status-new = Nueva
status-open = Abierta
status-in_progress = En curso
status-waiting_on_client = Esperando al cliente
status-awaiting_decision = No cubierta: esperando decisión
status-quote_requested = Cotización solicitada
status-quoted = Cotización enviada
status-resolved = Resuelta
status-closed = Cerrada
priority-critical = Crítica
priority-high = Alta
priority-normal = Normal
priority-low = Baja
coverage-pending = Sin clasificar
coverage-covered = Cubierta
coverage-not_covered = No cubierta
channel-portal = Portal
channel-email = Correo
channel-api = API
channel-monitor = Monitor
role-admin = Administrador
role-agent = Agente
role-manager = Responsable
role-requester = Solicitante

## Archivos adjuntos (portal y consola)
upload-files-total = Los archivos juntos pesan más de { $limit }. Envíe algunos ahora y los demás en una respuesta.
upload-file-too-big = «{ $name }» pesa más de { $limit }, el máximo por archivo. Puede comprimirlo o enviarlo en partes.
upload-file-empty = «{ $name }» está vacío.
upload-file-bad-name = El nombre del archivo «{ $name }» no es válido. Cámbiele el nombre e intente de nuevo.
upload-too-many-files = Puede adjuntar hasta { $max } archivos a la vez.
