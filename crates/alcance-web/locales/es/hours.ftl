# Paquetes de horas prepagadas y tiempo registrado (portal, agente, administración, estados de cuenta).

hours-nav = Horas
hours-file-prefix = estado-horas

hours-kind-purchase = Compra
hours-kind-consumption = Consumo
hours-kind-expiry = Vencimiento
hours-kind-adjustment = Ajuste
hours-kind-reversal = Reversión
hours-kind-reservation = Reserva
hours-kind-release = Liberación

hours-billing-covered = Cubierto (sin costo)
hours-billing-hours = Horas del paquete
hours-billing-quote = Cotización
hours-billing-unbilled = Sin facturar

hours-col-date = Fecha
hours-col-movement = Movimiento
hours-col-request = Solicitud
hours-col-note = Nota
hours-col-hours = Horas
hours-col-balance = Saldo
hours-col-package = Paquete
hours-col-bought = Compradas
hours-col-purchased = Fecha de compra
hours-col-expires = Vence
hours-col-price = Precio
hours-col-invoice = Factura
hours-col-entry = N.º
hours-col-worked-on = Fecha
hours-col-agent = Agente
hours-col-duration = Duración
hours-col-billing = Cobro

hours-label-from = Desde
hours-label-to = Hasta
hours-label-hours = Horas compradas
hours-label-price = Precio
hours-label-price-in = Precio ({ $currency })
hours-label-purchased_on = Fecha de compra
hours-label-expires_on = Fecha de vencimiento
hours-label-invoice_ref = Número de factura
hours-label-duration = Duración
hours-label-worked_on = Fecha del trabajo
hours-label-note = Nota
hours-label-entry = Movimiento
hours-label-minutes = Minutos

hours-pdf-title = Estado de cuenta de horas prepagadas
hours-pdf-client = Cliente
hours-pdf-period = Periodo
hours-pdf-period-value = del { $from } al { $to }
hours-pdf-empty = No hubo movimientos en este periodo.
hours-pdf-opening = Saldo inicial
hours-pdf-moved = Movimientos del periodo
hours-pdf-closing = Saldo final
hours-pdf-note = Los saldos incluyen todos los paquetes de la organización. Las horas se descuentan primero del paquete que vence antes; un paquete vencido no se puede usar.
hours-pdf-page = Página { $page } de { $pages }

hours-package-name = Paquete { $id }
hours-expired = Vencido
hours-expires-today = Vence hoy
hours-expires-in-one = Vence en 1 día
hours-expires-in = Vence en { $days } días

hours-portal-title = Horas prepagadas
hours-portal-intro = El saldo de horas de { $organization }, sus paquetes y cada movimiento.
hours-available = Saldo disponible
hours-available-hint = Horas que puede usar hoy en trabajos fuera del alcance del soporte que se pagan con su paquete.
hours-empty = No tiene horas disponibles. Para nuevos trabajos pagados con horas necesita un nuevo paquete.
hours-empty-overdraft = No tiene horas disponibles; su contrato permite sobregiro, que se factura aparte.
hours-packages-title = Paquetes
hours-packages-empty = Todavía no hay paquetes de horas.
hours-movements-title = Movimientos recientes
hours-movements-intro = Cada movimiento desde el { $from }, el más reciente primero.
hours-movements-all = Todos los movimientos
hours-movements-empty = No hay movimientos en este periodo.
hours-statement-title = Estado de cuenta
hours-statement-intro = Elija el periodo y descargue el estado de cuenta con el saldo después de cada movimiento.
hours-download-csv = Descargar CSV
hours-download-pdf = Descargar PDF

hours-time-title = Tiempo registrado en #{ $number }
hours-back-to-ticket = Volver al caso #{ $number }
hours-time-balance = Este trabajo se paga con horas del paquete: saldo disponible de la organización { $balance }.
hours-time-entries = Registros de tiempo
hours-time-empty = Todavía no hay tiempo registrado en este caso.
hours-time-total = Total
hours-time-log = Registrar tiempo
hours-time-submit = Registrar tiempo
hours-duration-hint = Por ejemplo «1,5», «90 min» o «1:30».
hours-worked-on-hint = AAAA-MM-DD; si la deja vacía, hoy ({ $today }).
hours-msg-logged = Tiempo registrado.

hours-admin-title = Paquetes de horas
hours-admin-intro = Compras de horas prepagadas por organización, su saldo y sus movimientos.
hours-admin-choose = Elegir organización
hours-admin-show = Ver horas
hours-purchase-title = Registrar una compra
hours-purchase-submit = Registrar compra
hours-hours-hint = Por ejemplo «40» o «12,5».
hours-purchased-on-hint = Si la deja vacía, hoy.
hours-reverse-title = Reversar un movimiento
hours-reverse-intro = Corrige un error con un movimiento opuesto; el original se conserva.
hours-reverse-none = No hay movimientos que se puedan reversar.
hours-reverse-choose = Elija un movimiento
hours-reverse-submit = Reversar
hours-reverse-note-hint = Explique por qué se reversa; queda en el estado de cuenta.
hours-msg-purchased = Compra registrada.
hours-msg-reversed = Movimiento reversado.
