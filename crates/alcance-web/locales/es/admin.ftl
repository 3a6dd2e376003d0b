# Administración (/admin), es-CO.

admin-title = Administración
admin-intro = Desde aquí gestiona los clientes de la agencia, las personas que usan la mesa de ayuda y los contratos de soporte.
admin-subnav-label = Secciones de administración
admin-nav-overview = Resumen
admin-nav-organizations = Organizaciones
admin-nav-users = Usuarios
admin-nav-contracts = Contratos
admin-nav-assets = Activos
admin-nav-policy = Política de soporte
admin-nav-tokens = Tokens de API
admin-nav-outbox = Correos salientes

admin-active = Activo
admin-inactive = Inactivo
admin-yes = Sí
admin-no = No
admin-percent = { $value } %
admin-optional-mark = (opcional)

## Resumen
admin-count-organizations = Organizaciones
admin-count-users = Usuarios
admin-count-users-active = { $count } activos
admin-count-contracts = Contratos de soporte
admin-count-assets = Activos
admin-overview-more = Más herramientas
admin-overview-policy = Consulte la política de soporte vigente: qué cubre, qué no y los tiempos de respuesta.
admin-overview-tokens = Cree tokens para que otros sistemas usen la API en nombre de un usuario.
admin-overview-outbox = Lea los correos que la mesa de ayuda tiene listos para enviar, como invitaciones y enlaces de contraseña.

## Organizaciones
admin-orgs-title = Organizaciones
admin-orgs-intro = Los clientes de la agencia. Cada organización agrupa a sus contactos, contratos y activos.
admin-orgs-empty = Aún no hay organizaciones. Cree la primera con el formulario.
admin-orgs-caption = Organizaciones registradas
admin-orgs-new = Nueva organización
admin-orgs-slug-hint = letras minúsculas, números y guiones; por ejemplo: camara-armenia. Identifica a la organización en la API.
admin-orgs-time-zone-hint = Las fechas y horas de esta organización se muestran en esta zona. Predeterminada: America/Bogota.
admin-orgs-create = Crear organización
admin-msg-org-created = La organización quedó creada.
admin-col-name = Nombre
admin-col-slug = Identificador
admin-col-time-zone = Zona horaria
admin-col-state = Estado

## Usuarios
admin-users-title = Usuarios
admin-users-intro = El personal de la agencia y los contactos de cada cliente. Una persona invitada crea su propia contraseña con el enlace que le llega.
admin-users-caption = Usuarios registrados
admin-users-filter = Filtrar por organización
admin-users-filter-all = Todas las organizaciones
admin-users-filter-submit = Filtrar
admin-users-empty = No hay usuarios con este filtro.
admin-users-staff = Personal de la agencia
admin-users-you = Usted
admin-col-name-email = Nombre y correo
admin-col-role = Rol
admin-col-organization = Organización
admin-col-actions = Acciones
admin-users-deactivate = Desactivar
admin-users-activate = Activar
admin-users-reset = Enviar enlace de contraseña
admin-invite-title = Invitar usuario
admin-invite-intro = La persona recibe un correo con un enlace para crear su contraseña. El enlace vale por 2 horas.
admin-invite-role-hint = Responsable: ve todas las solicitudes de su organización. Solicitante: solo las suyas. Agente y Administrador: personal de la agencia.
admin-invite-org-hint = Solo para Responsable y Solicitante. Déjelo en «Ninguna» para agentes y administradores.
admin-invite-org-none = Ninguna (personal de la agencia)
admin-invite-language-hint = El idioma de la invitación y de la interfaz para esta persona.
admin-invite-submit = Enviar invitación
admin-invite-org-required = Elija la organización: los responsables y solicitantes pertenecen a un cliente.
admin-invite-org-not-allowed = Los agentes y administradores no pertenecen a una organización: elija «Ninguna».
admin-lang-es = Español
admin-lang-en = English
admin-msg-invited = Invitación enviada a { $email }. Mientras no haya servidor de correo configurado, el mensaje espera en Correos salientes, desde donde puede copiar el enlace.
admin-msg-reset-sent = Enlace para restablecer la contraseña enviado a { $email }. Lo encuentra también en Correos salientes.
admin-msg-deactivated = Se desactivó la cuenta de { $name }. Sus sesiones abiertas y sus tokens de API se cerraron.
admin-msg-activated = La cuenta de { $name } está activa de nuevo.
admin-error-self-deactivate = No puede desactivar su propia cuenta. Si es necesario, pídale a otro administrador que lo haga.
admin-invite-mail-subject = Su cuenta en la mesa de ayuda de { $brand }
admin-invite-mail-body =
    Hola, { $name }:

    { $inviter } le creó una cuenta en la mesa de ayuda de { $brand }. Para entrar, cree su contraseña con este enlace (vale por { $hours } horas y sirve una sola vez):

    { $link }

    Después ingrese con su correo, { $email }, y la contraseña que eligió.

    Si el enlace venció, pida uno nuevo con la opción «¿Olvidó su contraseña?» de la página de inicio de sesión.

## Contratos
admin-contracts-title = Contratos de soporte
admin-contracts-intro = Cada contrato une a una organización con la política de soporte, su tarifa por hora y su IVA.
admin-contracts-caption = Contratos registrados
admin-contracts-empty = Aún no hay contratos.
admin-contracts-new = Nuevo contrato
admin-contracts-no-orgs = Primero cree una organización: todo contrato pertenece a una.
admin-choose-org = Elija una organización
admin-contracts-period = { $start } a { $end }
admin-contracts-from = Desde { $start }
admin-contracts-ends-hint = Déjelo vacío si el contrato no tiene fecha de fin.
admin-contracts-rate-label = Tarifa por hora (pesos)
admin-contracts-rate-hint = En pesos colombianos, sin decimales; por ejemplo: 150000.
admin-contracts-tax-label = IVA (%)
admin-contracts-tax-hint = Porcentaje; normalmente 19.
admin-contracts-overdraft = Permitir sobregiro de horas
admin-contracts-overdraft-hint = Si lo marca, el trabajo con paquete de horas puede continuar aunque el saldo llegue a cero.
admin-contracts-policy = Política: { $name }, versión { $version }. Los contratos nuevos usan la política vigente.
admin-contracts-create = Crear contrato
admin-msg-contract-created = El contrato quedó creado.
admin-col-contract = Contrato
admin-col-period = Vigencia
admin-col-rate = Tarifa por hora
admin-col-tax = IVA
admin-col-policy = Política
admin-col-overdraft = Sobregiro
admin-policy-key-version = { $key } v{ $version }

## Horario de atención de un contrato
admin-hours-title = Horario de atención
admin-hours-intro = Las horas en que cada contrato cuenta el tiempo hábil de sus tiempos de servicio, en la zona horaria del contrato. Si lo deja vacío, el contrato atiende de lunes a viernes de 08:00 a 18:00. Los festivos y los cierres se descuentan aparte.
admin-hours-hint = Días y horas, por ejemplo: lun-vie 08:00-12:00,14:00-18:00; sáb 08:00-12:00. Días en español o en inglés (lun… dom, mon… sun); separe los grupos con «;». Vacío: lunes a viernes de 08:00 a 18:00.
admin-hours-caption = Horario de atención de cada contrato
admin-hours-save = Guardar horario
admin-col-hours = Horario
admin-msg-hours-saved = El horario quedó guardado. Los tiempos de servicio de sus casos se recalculan en el próximo minuto.
field-label-working_hours = Horario de atención
admin-hours-error-empty = Escriba al menos un día con su horario, o deje el campo vacío.
admin-hours-error-too-long = El horario es demasiado largo: como máximo { $max } caracteres.
admin-hours-error-unknown-day = «{ $text }» no es un día de la semana. Use lun, mar, mié, jue, vie, sáb, dom (o mon… sun).
admin-hours-error-missing-days = Falta el día antes de «{ $text }». Escriba primero los días, por ejemplo: lun-vie 08:00-18:00.
admin-hours-error-missing-hours = Falta el horario de «{ $text }». Escríbalo después de los días, por ejemplo: { $text } 08:00-12:00.
admin-hours-error-bad-interval = «{ $text }» no es un horario válido. Escriba HORA:MINUTOS-HORA:MINUTOS, con el inicio antes del fin y hasta 24:00; por ejemplo: 08:00-12:00.
admin-hours-error-overlap = Los horarios del { $day } se cruzan.
admin-hours-error-repeated-day = El { $day } tiene horario dos veces: escriba todas sus horas en un mismo grupo.
admin-hours-day-mon = lunes
admin-hours-day-tue = martes
admin-hours-day-wed = miércoles
admin-hours-day-thu = jueves
admin-hours-day-fri = viernes
admin-hours-day-sat = sábado
admin-hours-day-sun = domingo

## Cierres del calendario (reloj del SLA)
admin-closures-title = Cierres del calendario
admin-closures-intro = Días en que la oficina no atiende, además de los festivos: el reloj de los tiempos de servicio en horario hábil no corre en ellos. Un cierre puede ser de un contrato o de todos.
admin-closures-caption = Cierres registrados
admin-closures-empty = Aún no hay cierres. Los festivos de Colombia ya se tienen en cuenta.
admin-col-closure = Cierre
admin-col-days = Días
admin-closures-every-contract = Todos los contratos
admin-closures-delete = Eliminar
admin-closures-new = Agregar cierre
admin-closures-add = Agregar cierre
admin-closures-name-hint = Por ejemplo: Vacaciones colectivas 24 dic – 2 ene.
admin-closures-contract-hint = Elija un contrato, o deje «Todos los contratos».
admin-closures-last-hint = Incluido. Un cierre dura como máximo 366 días; para un solo día, repita la fecha.
admin-msg-closure-added = El cierre quedó registrado. Los tiempos de servicio se recalculan en el próximo minuto.
admin-msg-closure-deleted = El cierre se eliminó. Los tiempos de servicio se recalculan en el próximo minuto.
field-label-closure_name = Nombre del cierre
field-label-contract = Contrato
field-label-first_day = Primer día
field-label-last_day = Último día

## Activos
admin-assets-title = Activos
admin-assets-intro = El software entregado y los servidores que cubre el soporte de cada cliente. Los clientes los eligen al abrir una solicitud.
admin-assets-caption = Activos registrados
admin-assets-empty = Aún no hay activos.
admin-assets-new = Nuevo activo
admin-assets-url-hint = La dirección donde funciona, con https://.
admin-assets-description-hint = Lo que ayude a los agentes a ubicarlo: tecnología, ambiente, acceso.
admin-assets-create = Crear activo
admin-msg-asset-created = El activo quedó creado.
admin-kind-software = Software entregado
admin-kind-server = Servidor
admin-col-kind = Tipo
admin-col-asset = Activo, dirección y descripción

## Política
admin-policy-title = Política de soporte
admin-policy-intro = La política vigente: la usan los contratos nuevos y la clasificación de solicitudes. Para cambiarla, edite el archivo de la política con un número de versión nuevo y reinicie el servicio.
admin-policy-facts = Datos de la política
admin-policy-key = Clave
admin-policy-version = Versión
admin-policy-procedure = Cuando una solicitud no está cubierta
admin-policy-categories = Categorías
admin-policy-counts = { $covered } cubiertas y { $not_covered } no cubiertas.
admin-policy-id = Código
admin-policy-clause = Sección { $clause } de la política
admin-policy-hours-yes = Se puede pagar con paquete de horas
admin-policy-hours-no = No usa paquete de horas
admin-policy-examples = Ejemplos
admin-policy-sla = Tiempos de servicio por prioridad
admin-policy-sla-intro = Metas de atención según la prioridad de la solicitud.
admin-col-priority = Prioridad
admin-col-clock = Reloj
admin-col-first-response = Primera respuesta
admin-col-update = Actualización
admin-col-resolution = Solución
admin-sla-clock-calendar = Horas corridas
admin-sla-clock-business = Horario hábil
admin-span-minutes = { $n } min
admin-span-hours = { $n } h
admin-span-day = { $n } día
admin-span-days = { $n } días
admin-span-business-day = { $n } día hábil
admin-span-business-days = { $n } días hábiles
admin-policy-pausing = Estados que detienen el reloj
admin-policy-pausing-intro = Mientras la solicitud está en uno de estos estados ninguna meta acumula tiempo (lista «pausing» de la sección [sla] de la política). Una solicitud cerrada siempre detiene el reloj.
admin-policy-pausing-none = Ninguno: el reloj solo se detiene al cerrar la solicitud.

## Tokens de API
admin-tokens-title = Tokens de API
admin-tokens-intro = Un token permite que otro sistema (un monitor, un script, otra aplicación) use la API en nombre de un usuario, con los mismos permisos de ese usuario.
admin-tokens-new = Crear token
admin-tokens-user-hint = El token actúa como esta persona.
admin-tokens-label-hint = Un nombre para reconocerlo; por ejemplo: Monitor del servidor.
admin-tokens-create = Crear token
admin-tokens-created = Token creado: «{ $label }» para { $name }.
admin-tokens-once = Copie este token ahora y guárdelo en un lugar seguro: no se volverá a mostrar.
admin-tokens-field = Token nuevo
admin-tokens-usage = Úselo en el encabezado Authorization, con la palabra Bearer antes del token.
admin-tokens-revoke-help = Revocar un token corta de inmediato el acceso de quien lo use, y no se puede deshacer: si todavía hace falta, cree uno nuevo. Desactivar a un usuario revoca todos sus tokens a la vez.
admin-tokens-list = Tokens existentes
admin-tokens-empty = Aún no hay tokens. Cree el primero con el formulario.
admin-tokens-col-token = Etiqueta y persona
admin-tokens-col-created = Creado
admin-tokens-col-last-used = Último uso
admin-tokens-col-state = Estado
admin-tokens-col-actions = Acciones
admin-tokens-never-used = Nunca
admin-tokens-active = Activo
admin-tokens-revoked = Revocado
admin-tokens-revoke = Revocar
admin-msg-token-revoked = Se revocó el token «{ $label }» de { $name }. Desde ahora la API lo rechaza.

## Correos salientes
admin-outbox-title = Correos salientes
admin-outbox-intro = Los mensajes más recientes que la mesa de ayuda preparó para enviar.
admin-outbox-smtp = El envío por correo (SMTP) todavía no está configurado, así que los mensajes esperan aquí. Si alguien necesita un enlace, cópielo del mensaje y hágaselo llegar por otro medio.
admin-outbox-empty = No hay correos en espera.
admin-outbox-to = Para
admin-outbox-created = Creado
admin-outbox-pending = En espera
admin-outbox-sent = Enviado
admin-outbox-show = Ver el mensaje
admin-outbox-limit = Se muestran hasta los 200 más recientes.
admin-outbox-open = Abrir Correos salientes

# Background jobs
admin-nav-jobs = Trabajos
admin-nav-hours = Horas
admin-jobs-title = Trabajos en segundo plano fallidos
admin-jobs-intro = Trabajos que agotaron sus intentos (reentrenar el clasificador, vencer cotizaciones y paquetes, avisos). Revise el error y vuelva a intentarlo cuando la causa esté resuelta.
admin-jobs-empty = No hay trabajos fallidos.
admin-jobs-kind = Tipo
admin-jobs-attempts = Intentos
admin-jobs-error = Último error
admin-jobs-when = Falló
admin-jobs-retry = Reintentar
admin-jobs-retried = El trabajo volvió a la cola y se ejecutará en unos segundos.
