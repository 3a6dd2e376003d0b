//! Deterministic randomness and realistic Spanish ticket text.

/// xorshift64*: small, deterministic, good enough to spread requests over a range.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `low..=high` (`low` if the range is empty).
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = (high - low) as u64 + 1;
        low + (self.next_u64() % span) as i64
    }
}

pub const PRIORITIES: [&str; 4] = ["normal", "high", "low", "critical"];

const SUBJECTS: [&str; 8] = [
    "No carga el formulario de contacto del sitio",
    "Error 500 al exportar el informe mensual",
    "El certificado SSL vence la próxima semana",
    "Los correos de confirmación llegan a spam",
    "Solicitud: agregar un campo al registro de afiliados",
    "La aplicación móvil se cierra al iniciar sesión",
    "Lentitud en el panel de administración",
    "Cambio de logo y colores en la página de inicio",
];

const OPENINGS: [&str; 6] = [
    "Buenos días, equipo. ",
    "Hola, ¿cómo están? ",
    "Buenas tardes. ",
    "Cordial saludo. ",
    "Hola de nuevo. ",
    "Estimados, ",
];

const DETAILS: [&str; 6] = [
    "Desde ayer en la tarde varios usuarios nos reportan el problema y no encontramos la causa. Ya probamos en Chrome y en Firefox, con y sin sesión iniciada, y el resultado es el mismo. ",
    "El problema aparece sobre todo en horas de la mañana, cuando hay más tráfico. Adjuntaremos capturas de pantalla si las necesitan; por ahora les compartimos los pasos para reproducirlo. ",
    "Nos escribió el área de comunicaciones porque necesitan tenerlo listo antes del evento del viernes. Entendemos que puede requerir una cotización aparte; por favor nos confirman. ",
    "Revisamos la configuración que nos dejaron en la entrega y no vemos cambios de nuestra parte. Creemos que pudo ser la actualización del servidor de la semana pasada. ",
    "Es urgente porque afecta a los afiliados que intentan renovar en línea. Mientras tanto estamos atendiendo por teléfono, pero el volumen de llamadas es alto. ",
    "No es algo crítico, pero sí nos gustaría resolverlo este mes. Quedamos atentos a sus comentarios y a la fecha estimada de solución. ",
];

const CLOSINGS: [&str; 4] = ["Muchas gracias.", "Quedo atenta.", "Gracias por su ayuda.", "Un saludo cordial."];

/// Subject and body (about 300 bytes) of the `i`-th ticket; varied, deterministic.
pub fn ticket(i: u64) -> (String, String) {
    let pick = |n: usize, salt: u64| (i.wrapping_mul(salt) % n as u64) as usize;
    let subject = format!("{} (ref. {})", SUBJECTS[pick(SUBJECTS.len(), 1)], 4000 + i);
    let body = format!(
        "{}{}Página afectada: https://cliente.example.co/tramites/{}\n\n{}",
        OPENINGS[pick(OPENINGS.len(), 7)],
        DETAILS[pick(DETAILS.len(), 13)],
        i % 97,
        CLOSINGS[pick(CLOSINGS.len(), 3)],
    );
    (subject, body)
}
