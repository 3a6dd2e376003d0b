# Consola de agentes (/agent), es-CO. Claves con prefijo agent-.

## Bandeja
agent-queue-title = Bandeja de casos
agent-queue-intro = Clasifique, asigne y atienda las solicitudes de los clientes.
agent-views-label = Vistas guardadas
agent-view-unclassified = Sin clasificar
agent-view-mine = Mis casos
agent-view-waiting = Esperando al cliente
agent-view-open = Todos abiertos
agent-filters-label = Buscar y filtrar
agent-filter-search = Buscar
agent-filter-search-hint = Palabras del asunto o número del caso (por ejemplo, #1042).
agent-filter-more = Más filtros
agent-filter-apply = Aplicar
agent-filter-clear = Quitar filtros
agent-filter-view-status = Según la vista
agent-filter-any-status = Todos los estados
agent-filter-any = Cualquiera
agent-filter-me = Yo
agent-filter-unassigned = Sin asignar
agent-col-number = N.º
agent-col-subject = Asunto
agent-col-client = Cliente y solicitante
agent-col-status = Estado
agent-col-priority = Prioridad
agent-col-category = Categoría
agent-col-assignee = Responsable
agent-col-activity = Última actividad
agent-sort-hint = (cambiar orden)
agent-queue-caption = { $view }, página { $page }
agent-queue-empty = No hay casos en esta vista con estos filtros.
agent-queue-empty-hint = Pruebe otra vista o quite los filtros.
agent-pager-label = Páginas de la bandeja
agent-pager-prev = Anterior
agent-pager-next = Siguiente
agent-pager-page = Página { $page }
agent-keys-label = Teclado:
agent-keys-move = moverse entre casos
agent-keys-enter = Enter
agent-keys-open = abrir
agent-keys-search = buscar
agent-none = Sin asignar
agent-no-category = Sin categoría

## Caso
agent-back-to-queue = Volver a la bandeja
agent-ticket-number = Caso #{ $number }
agent-timeline = Historial del caso
agent-description = Descripción
agent-reply-public = Respuesta pública
agent-note-internal = Nota interna
agent-internal = Interno
agent-system = El sistema
agent-unknown = sin dato
agent-reason = Motivo: { $reason }
agent-download = Descargar { $file }
agent-event-created = { $actor } abrió la solicitud por { $channel }, con prioridad { $priority }.
agent-event-status = { $actor } cambió el estado de «{ $from }» a «{ $to }».
agent-event-priority = { $actor } cambió la prioridad de { $from } a { $to }.
agent-event-took = { $actor } tomó el caso.
agent-event-assigned = { $actor } asignó el caso a { $to }.
agent-event-reassigned = { $actor } reasignó el caso de { $from } a { $to }.
agent-event-unassigned = { $actor } quitó la asignación a { $from }.
agent-event-classified = { $actor } clasificó el caso como «{ $category }» ({ $coverage }) según { $policy }, versión { $version }.
agent-event-override = { $actor } cambió la cobertura de «{ $from }» a «{ $to }», distinta de la que indica la política.
agent-event-attachment = { $actor } adjuntó { $file } ({ $size }).
agent-event-other = { $actor } registró un cambio ({ $kind }).
agent-event-decision = El cliente eligió: { $choice }.
agent-event-decision-comment = El cliente eligió: { $choice }. Comentario: «{ $comment }»
agent-decision-quote = cotización
agent-decision-hours = usar horas de su paquete (confirmar el saldo de horas)
agent-decision-decline = no continuar

## De un vistazo
agent-glance = De un vistazo
agent-requester = Solicitante
agent-organization = Organización
agent-contract = Contrato
agent-contract-none = Sin contrato activo: se aplica la política por defecto.
agent-contract-range = Del { $start } al { $end }
agent-contract-since = Desde el { $start }
agent-rate = Tarifa por hora
agent-rate-value = { $rate } + IVA { $tax } %
agent-asset = Activo
agent-asset-none = Ninguno
agent-asset-kind-software = Software entregado
agent-asset-kind-server = Servidor
agent-channel = Canal
agent-opened = Abierto
agent-updated = Última actividad
agent-category = Categoría
agent-policy = Política
agent-policy-value = { $name }, versión { $version }
agent-assignee = Responsable

## Acciones
agent-actions = Acciones
agent-classify-title = Clasificar
agent-classify-category = Categoría
agent-classify-choose = Elija una categoría
agent-classify-coverage = Cobertura
agent-classify-by-policy = La que indica la política
agent-classify-coverage-hint = Cámbiela solo si el caso lo justifica, y explique por qué.
agent-classify-reason = Motivo del cambio de cobertura
agent-classify-submit = Clasificar
agent-assign-title = Responsable
agent-assign-to = Asignar a
agent-assign-submit = Asignar
agent-assign-me = Asignarme
agent-status-title = Estado
agent-status-current = Estado actual: { $status }
agent-status-choose = Elija el nuevo estado
agent-status-to = Pasar a
agent-status-reason = Motivo
agent-status-reason-hint = Obligatorio para cerrar un caso que no se resolvió.
agent-status-submit = Cambiar estado
agent-status-none = Este estado no tiene cambios posibles.
agent-priority-title = Prioridad
agent-priority-to = Prioridad
agent-priority-submit = Cambiar prioridad
agent-closed-note = Este caso está cerrado: no admite cambios ni respuestas. Si el cliente necesita algo más, abra un caso nuevo relacionado.

## Responder
agent-reply-title = Responder o anotar
agent-reply-kind = Tipo de mensaje
agent-reply-public-hint = La ve el cliente en el portal.
agent-note-internal-hint = Solo la ve el equipo de la agencia.
agent-reply-body = Mensaje
agent-reply-body-hint = Admite Markdown: **negrita**, listas, enlaces y bloques de código.
agent-attachments = Adjuntos
agent-dropzone-text = Arrastre archivos aquí o elíjalos.
agent-attachments-hint = Hasta { $count } archivos de { $size } cada uno. Con una nota interna, los adjuntos también son internos.
agent-reply-submit-public = Enviar respuesta
agent-reply-submit-internal = Guardar nota interna

## Errores
agent-error-title = No se pudo guardar el cambio: { $message }
agent-error-go-to-form = Ir al formulario
agent-error-transition = Un caso en estado «{ $from }» no puede pasar a «{ $to }».
agent-error-reason-required = Escriba el motivo para cerrar un caso que no se resolvió.
agent-error-override-reason = Escriba el motivo para cambiar la cobertura que indica la política.
agent-error-status-required = Elija el nuevo estado.
agent-error-category-required = Elija una categoría.
agent-error-closed = El caso está cerrado: no admite cambios.
agent-error-body-required = Escriba un mensaje o adjunte un archivo.
agent-error-bad-form = No se pudo leer el formulario. Intente de nuevo.

## Avisos
agent-msg-classified = Caso clasificado.
agent-msg-assigned = Responsable actualizado.
agent-msg-status = Estado actualizado.
agent-msg-priority = Prioridad actualizada.
agent-msg-replied = Respuesta enviada al cliente.
agent-msg-noted = Nota interna guardada.
agent-msg-attached = Archivos adjuntados.

## Otros agentes en el caso
agent-viewers = También está viendo este caso: { $names }

## Sugerencia del clasificador
agent-col-suggestion = Sugerencia
agent-suggestion-confidence-of = Confianza: { $percent }
agent-suggestion-none = Sin sugerencia
agent-suggestion-title = Sugerencia
agent-suggestion-confidence = Confianza
agent-suggestion-percent = { $percent } %
agent-suggestion-clause = Cláusula de la política
agent-suggestion-clause-value = Sección { $section }: { $label }
agent-suggestion-words = Palabras que más pesaron
agent-suggestion-accept = Aceptar sugerencia
agent-suggestion-correct = Clasificar de otra forma

## Calidad de la clasificación (/agent/triage)
agent-triage-link = Calidad de la clasificación
agent-triage-title = Calidad de la clasificación
agent-triage-intro = Qué hicieron los agentes con las sugerencias de categoría desde la semana del { $date } (semanas de lunes a domingo, hora UTC).
agent-triage-back = Volver a la bandeja
agent-triage-rate = Aceptación
agent-triage-rate-hint = Aceptación: sugerencias aceptadas con un clic o confirmadas a mano, entre todas las ya decididas.
agent-triage-no-decisions = Sin decisiones
agent-triage-by-category = Por categoría sugerida
agent-triage-by-week = Por semana (últimas 12)
agent-triage-col-category = Categoría sugerida
agent-triage-col-week = Semana
agent-triage-week-of = Semana del { $date }
agent-triage-suggested = Sugeridas
agent-triage-accepted = Aceptadas
agent-triage-agreed = Confirmadas a mano
agent-triage-corrected = Corregidas
agent-triage-pending = Pendientes
agent-triage-total = Total
agent-triage-empty = Aún no hay sugerencias en este periodo.
agent-triage-chart-caption = Sugerencias por semana: verde, aceptadas o confirmadas; rojo, corregidas; gris, pendientes. Las cifras exactas están en la tabla.

# Business reports (/agent/reports)
agent-reports-title = Informes de horas y cotizaciones
agent-reports-intro = Para líderes: cuántas horas compraron y usaron los clientes, y qué pasó con las cotizaciones.
agent-reports-quotes = Cotizaciones enviadas en { $year }
agent-reports-sent = Enviadas
agent-reports-accepted = Aceptadas
agent-reports-rejected = Rechazadas
agent-reports-expired = Vencidas
agent-reports-open = Esperando respuesta
agent-reports-conversion = Tasa de conversión
agent-reports-conversion-hint = Aceptadas sobre las que el cliente aceptó, rechazó o dejó vencer.
agent-reports-no-decisions = Sin decisiones aún
agent-reports-value = Valor de las cotizaciones
agent-reports-currency = Moneda
agent-reports-value-sent = Valor enviado (IVA incluido)
agent-reports-value-accepted = Valor aceptado (IVA incluido)
agent-reports-hours = Horas prepagadas por cliente y mes
agent-reports-hours-since = Desde el { $date }.
agent-reports-hours-empty = Ningún cliente tiene movimientos de horas en este periodo.
agent-reports-organization = Cliente
agent-reports-month = Mes
agent-reports-bought = Compradas
agent-reports-used = Usadas
agent-reports-remaining = Saldo al cierre
agent-reports-link = Horas y cotizaciones
