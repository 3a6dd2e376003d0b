# Monitors, status pages and integrations.

## Enlaces desde otras páginas
monitors-queue-link = Monitoreo
monitors-admin-nav = Monitoreo
monitors-portal-link = Ver el estado de sus servicios

## Estados, tipos, categorías y orígenes
monitors-state-up = Funcionando
monitors-state-down = Con problemas
monitors-state-pending = Sin datos aún
monitors-state-paused = En pausa
monitors-kind-http = Sitio web (HTTP)
monitors-kind-tls = Certificado de seguridad (TLS)
monitors-kind-heartbeat = Tarea programada (latido)
monitors-category-auto = Automática (según lo que se detecte)
monitors-category-server_availability = Disponibilidad del servidor
monitors-category-server_security_config = Seguridad y configuración del servidor
monitors-category-server_alert = Alertas de seguridad y sobrecarga
monitors-category-backup_restore = Respaldo y recuperación
monitors-source-monitor = Monitor de Alcance
monitors-source-alertmanager = Alertmanager
monitors-source-checkmk = Checkmk
monitors-source-webhook = Webhook
monitors-none = Ninguno
monitors-no-limit = Sin límite
monitors-cert-days = Vence en { $days } días
monitors-cert-one-day = Vence en 1 día
monitors-cert-today = Vence hoy
monitors-cert-expired = Vencido

## Historial del caso (vista del agente)
monitors-event-alert = { $source } reportó un problema: { $summary } ({ $code })
monitors-event-alert-detail = { $source } reportó un problema: { $summary }. Detalle: { $detail }
monitors-event-recovered = { $source }: el servicio se recuperó.
monitors-event-recovered-ms = { $source }: el servicio se recuperó (respondió en { $ms }).

## Consola de monitoreo (agentes)
monitors-console-title = Monitoreo de servidores
monitors-console-intro = Los sitios, certificados y tareas programadas que Alcance revisa por su cuenta. Cuando algo falla, se abre un caso automáticamente.
monitors-console-setup = Configurar monitores
monitors-back-to-queue = Volver a la cola
monitors-back-to-console = Volver al monitoreo
monitors-filter-label = Filtrar monitores
monitors-filter-all = Todas las organizaciones
monitors-filter-apply = Filtrar
monitors-console-empty = Todavía no hay monitores. Un administrador puede crearlos en Administración › Monitoreo.
monitors-console-empty-org = Esta organización todavía no tiene monitores.
monitors-console-hint = Disponibilidad: porcentaje de revisiones exitosas en las últimas 24 horas, 7 días y 30 días. Un monitor «Con problemas» tiene un caso abierto, enlazado en la última columna.
monitors-col-organization = Organización
monitors-col-name = Monitor
monitors-col-kind = Tipo
monitors-col-state = Estado
monitors-col-last-check = Última revisión
monitors-col-response = Respuesta
monitors-col-uptime-day = 24 h
monitors-col-uptime-week = 7 días
monitors-col-uptime-month = 30 días
monitors-col-certificate = Certificado
monitors-col-incident = Caso abierto
monitors-col-target = Dirección revisada
monitors-col-every = Frecuencia
monitors-col-actions = Acciones
monitors-col-incident-title = Incidente
monitors-col-opened = Comenzó
monitors-col-resolved = Terminó
monitors-col-duration = Duración
monitors-col-ticket = Caso
monitors-col-token-name = Nombre
monitors-col-created = Creado
monitors-col-last-used = Último uso

## Un monitor
monitors-edit = Editar
monitors-view = Ver detalle
monitors-status-page-link = Página de estado
monitors-open-incident = Este monitor tiene un incidente abierto. Caso:
monitors-now-title = Ahora
monitors-last-ping = Último reporte de la tarea
monitors-settings-title = Configuración
monitors-uptime-title = Disponibilidad
monitors-uptime-day = Últimas 24 h
monitors-uptime-week = Últimos 7 días
monitors-uptime-month = Últimos 30 días
monitors-chart-heading = Tiempo de respuesta en las últimas 24 horas
monitors-chart-title = Tiempo de respuesta en las últimas 24 horas
monitors-chart-desc = Revisiones: { $checks }. Tiempo de respuesta entre { $min } y { $max }. Revisiones fallidas: { $failures }.
monitors-chart-desc-untimed = Revisiones: { $checks }, ninguna con respuesta. Revisiones fallidas: { $failures }.
monitors-chart-max = máx. { $ms }
monitors-chart-min = mín. { $ms }
monitors-chart-legend = La línea muestra cuánto tardó el servicio en responder en cada revisión. Las marcas rojas con línea punteada son revisiones fallidas; pase el cursor sobre ellas para ver la hora y el motivo.
monitors-chart-empty = Todavía no hay revisiones en las últimas 24 horas.
monitors-incidents-title = Incidentes de los últimos 90 días
monitors-incidents-empty = Sin incidentes en los últimos 90 días.
monitors-incident-ongoing = En curso
monitors-incident-resolved = Resuelto

## Administración de monitores
monitors-admin-title = Monitoreo
monitors-admin-intro = Configure qué revisa Alcance por su cuenta, los permisos para que otras herramientas de monitoreo reporten alertas y qué ve cada cliente en su página de estado.
monitors-admin-list = Monitores
monitors-admin-empty = Aún no hay monitores. Cree el primero con el formulario de abajo.
monitors-admin-console-link = Ver la consola
monitors-new-title = Nuevo monitor
monitors-new-intro = Los campos numéricos se pueden dejar vacíos: Alcance usa valores prudentes según el tipo de monitor.
monitors-create = Crear monitor
monitors-edit-title = Editar monitor
monitors-edit-intro = Cambie la configuración del monitor o póngalo en pausa. El tipo y la organización no cambian; para eso, cree otro monitor.
monitors-save = Guardar cambios
monitors-back-to-admin = Volver a la lista de monitores
monitors-no-asset = Ninguno
monitors-msg-created = El monitor quedó creado.
monitors-msg-saved = Los cambios quedaron guardados.
monitors-msg-regenerated = Se creó una dirección nueva para la tarea programada. La anterior ya no funciona.
monitors-msg-token-revoked = Se revocó el token. Desde ahora las alertas que lo usen se rechazan.
monitors-msg-terms-saved = Las condiciones de monitoreo del contrato quedaron guardadas.

## Campos del formulario
monitors-label-organization = Organización
monitors-label-asset_id = Activo
monitors-label-name = Nombre
monitors-label-kind = Qué revisar
monitors-label-target = Dirección a revisar
monitors-label-method = Método de la petición
monitors-label-expected_status = Código de respuesta esperado
monitors-label-keyword = Texto que debe aparecer
monitors-label-interval_seconds = Cada cuántos segundos
monitors-label-timeout_seconds = Tiempo máximo de espera (segundos)
monitors-label-slow_ms = Lento a partir de (milisegundos)
monitors-label-failures_to_open = Fallas seguidas para abrir un caso
monitors-label-successes_to_close = Revisiones buenas seguidas para darlo por recuperado
monitors-label-category = Categoría del caso
monitors-label-grace_seconds = Margen de tolerancia (segundos)
monitors-label-enabled = Monitoreo activo
monitors-label-token_organization = Organización
monitors-label-token_name = Nombre del token
monitors-help-kind = Sitio web: Alcance visita la dirección y revisa que responda bien. Certificado: revisa el candado de seguridad (https) y avisa antes de que venza. Tarea programada: su copia de seguridad o tarea nocturna avisa a Alcance cada vez que termina; si deja de avisar, se abre un caso.
monitors-help-asset_id = Opcional: el sistema o servidor del cliente al que pertenece este monitor. Los casos que abra quedarán asociados a ese activo.
monitors-help-name = Un nombre que el cliente reconozca, por ejemplo «Portal web» o «Copia de seguridad nocturna». Aparece en los casos y en la página de estado.
monitors-help-target = Sitio web: la dirección completa, por ejemplo https://www.ejemplo.com/. Certificado: el nombre del servidor, por ejemplo www.ejemplo.com (puerto 443 si no se indica otro). Tarea programada: déjelo vacío.
monitors-help-method = Solo para sitios web. GET es lo normal; HEAD pide solo los encabezados (más liviano); POST, para servicios que lo exigen.
monitors-help-expected_status = Solo para sitios web. El código que indica que todo está bien; casi siempre 200. Vacío: 200.
monitors-help-keyword = Solo para sitios web. Si la página no contiene este texto, se cuenta como falla; útil para detectar una página en blanco o de error que responde «bien».
monitors-help-interval_seconds = Cada cuánto se revisa. Para tareas programadas: cada cuánto se espera el aviso (86400 = una vez al día). Vacío: 60 s para sitios web, 6 horas para certificados, 24 horas para tareas programadas.
monitors-help-timeout_seconds = Cuánto esperar una respuesta antes de contarla como falla (1 a 60). Vacío: 10.
monitors-help-slow_ms = Solo para sitios web. Si responde más lento que esto, cuenta como falla por sobrecarga (1000 ms = 1 segundo). Vacío: sin límite.
monitors-help-failures_to_open = Evita falsas alarmas: el caso se abre solo después de este número de fallas seguidas (1 a 20). Vacío: 2 para sitios web, 1 para los demás.
monitors-help-successes_to_close = El incidente termina después de este número de revisiones buenas seguidas (1 a 20). Vacío: 2 para sitios web, 1 para los demás.
monitors-help-category = Automática elige según el problema: caída → disponibilidad; certificado → seguridad; lentitud → sobrecarga; tarea que no avisa → respaldo. Elija una sola si quiere que todos los casos de este monitor vayan a la misma categoría.
monitors-help-grace_seconds = Solo para tareas programadas. Cuánto tiempo extra se espera el aviso antes de abrir un caso, por si la tarea tarda un poco más de lo normal (0 a 86400). Vacío: 600 (10 minutos).
monitors-help-enabled = Desmárquelo para poner el monitor en pausa (por ejemplo, durante un mantenimiento programado): no se hacen revisiones ni se abren casos hasta que lo vuelva a activar.

## Dirección de la tarea programada (se muestra una sola vez)
monitors-heartbeat-title = Dirección de aviso de «{ $name }»
monitors-heartbeat-once = Copie esta dirección ahora y guárdela en un lugar seguro: no se volverá a mostrar. Si la pierde, genere una nueva desde la página del monitor.
monitors-heartbeat-url = Dirección de aviso
monitors-heartbeat-url-hint = La tarea debe visitar esta dirección (GET o POST) cada vez que termine bien.
monitors-heartbeat-curl = Línea para agregar al final de su script
monitors-heartbeat-cron = Ejemplo en cron
monitors-heartbeat-cron-hint = Así, la copia de seguridad de las 2:30 a. m. avisa solo si terminó sin errores (el «&&» hace que el aviso se envíe solo si el script salió bien).
monitors-regenerate-title = Dirección de aviso
monitors-regenerate-intro = Si la dirección de aviso se perdió o alguien que no debía la conoce, genere una nueva. La anterior deja de funcionar de inmediato: actualice el script de la tarea con la nueva.
monitors-regenerate = Generar una dirección nueva

## Tokens de integración
monitors-tokens-title = Tokens de integración
monitors-tokens-intro = Permiten que otras herramientas de monitoreo (Prometheus Alertmanager, Checkmk, Nagios, Zabbix o un script propio) reporten alertas de una organización. Cada alerta abre o actualiza un caso cubierto; cuando la herramienta avisa que se resolvió, el caso lo registra.
monitors-tokens-empty = Aún no hay tokens de integración.
monitors-token-new = Nuevo token de integración
monitors-help-token_name = Para reconocerlo después, por ejemplo el nombre de la herramienta: «Alertmanager producción».
monitors-token-create = Crear token
monitors-token-created = Token «{ $name }» para { $org }
monitors-token-once = Copie este token ahora y guárdelo en un lugar seguro: no se volverá a mostrar. Abajo están los ejemplos listos para pegar en cada herramienta.
monitors-token-field = Token
monitors-token-alertmanager = Prometheus Alertmanager (alertmanager.yml)
monitors-token-alertmanager-hint = Agregue este receptor y diríjale las rutas de las alertas que deben abrir casos.
monitors-token-checkmk = Checkmk o Nagios (script de notificación)
monitors-token-checkmk-hint = Las variables son las de Checkmk. En Nagios o Icinga use sus macros: $HOSTNAME$, $SERVICEDESC$, $SERVICESTATE$ y $SERVICEOUTPUT$. El estado OK o UP da el problema por resuelto.
monitors-token-webhook = Webhook genérico (cualquier script)
monitors-token-webhook-hint = Envíe lo mismo con "status":"resolved" cuando el problema termine. La misma «key» identifica el mismo problema. Gravedad: critical, high, normal o low.
monitors-example-webhook-title = La copia de seguridad del NAS falló
monitors-example-webhook-details = El script de respaldo terminó con error.
monitors-token-never-used = Nunca
monitors-token-active = Activo
monitors-token-revoked = Revocado
monitors-token-revoke = Revocar

## Condiciones de monitoreo por contrato
monitors-terms-title = Condiciones de monitoreo por contrato
monitors-terms-intro = Para cada contrato activo: si la página de estado del cliente es pública y si un caso de monitoreo se resuelve solo cuando el servicio se recupera.
monitors-terms-empty = No hay contratos activos.
monitors-terms-public = Página de estado pública
monitors-terms-public-hint = Si la marca, cualquiera con el enlace la ve sin iniciar sesión (muestra nombres de servicios, disponibilidad y títulos de incidentes). Si no, solo su equipo y las personas de la organización.
monitors-terms-resolve = Resolver el caso cuando el servicio se recupere
monitors-terms-resolve-hint = Si la desmarca, el caso queda abierto para que un agente lo revise y lo cierre.
monitors-terms-save = Guardar

## Página de estado
monitors-status-title = Estado de los servicios de { $org }
monitors-status-kicker = Estado de los servicios
monitors-status-overall-ok = Todos los servicios operan normalmente
monitors-status-overall-problems = Hay servicios con problemas
monitors-status-overall-none = Todavía no hay servicios monitoreados
monitors-status-updated = Actualizado:
monitors-status-services = Servicios
monitors-status-history = Incidentes de los últimos 90 días
monitors-status-no-incidents = Sin incidentes en los últimos 90 días.
monitors-status-foot = La disponibilidad es el porcentaje de revisiones exitosas en cada periodo.
