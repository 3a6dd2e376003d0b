//! The subject and body of a monitor's ticket, in the language of the person it is opened
//! for. These become ticket data (like a subject a client types), so they live next to the
//! flow rather than in the web layer's Fluent files.

use alcance_domain::monitor::Finding;

use crate::mail_templates::MailLang;

pub(crate) struct TicketText {
    pub subject: String,
    pub body: String,
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

pub(crate) fn for_finding(lang: MailLang, finding: &Finding, name: &str, target: &str) -> TicketText {
    let es = matches!(lang, MailLang::Es);
    let name = cut(name, 80);
    let subject = match (finding, es) {
        (Finding::Unreachable { .. }, true) => format!("{name} no responde"),
        (Finding::Unreachable { .. }, false) => format!("{name} is down"),
        (Finding::Slow { .. }, true) => format!("{name} responde lento (posible sobrecarga)"),
        (Finding::Slow { .. }, false) => format!("{name} is responding slowly (possible overload)"),
        (Finding::CertificateExpiring { days_left }, true) => {
            format!("El certificado TLS de {name} vence en {days_left} días")
        }
        (Finding::CertificateExpiring { days_left }, false) => {
            format!("The TLS certificate of {name} expires in {days_left} days")
        }
        (Finding::CertificateExpired, true) => format!("El certificado TLS de {name} está vencido"),
        (Finding::CertificateExpired, false) => format!("The TLS certificate of {name} has expired"),
        (Finding::CertificateInvalid { .. }, true) => format!("El certificado TLS de {name} no es válido"),
        (Finding::CertificateInvalid { .. }, false) => format!("The TLS certificate of {name} is not valid"),
        (Finding::HeartbeatMissed { .. }, true) => format!("{name}: la tarea programada no se reportó"),
        (Finding::HeartbeatMissed { .. }, false) => format!("{name}: the scheduled job did not check in"),
        (Finding::Healthy | Finding::Inconclusive { .. }, true) => format!("{name}: revisión del monitor"),
        (Finding::Healthy | Finding::Inconclusive { .. }, false) => format!("{name}: monitor check"),
    };
    let detail = detail(finding, es);
    let body = if es {
        format!(
            "El monitor **{name}** detectó un problema.\n\n- Objetivo: `{target}`\n- Hallazgo: {detail}\n\n\
             Alcance abrió esta solicitud automáticamente (cubierta por la política de soporte). \
             Cuando el monitor vea el servicio sano de nuevo, lo registrará aquí."
        )
    } else {
        format!(
            "The monitor **{name}** found a problem.\n\n- Target: `{target}`\n- Finding: {detail}\n\n\
             Alcance opened this request by itself (covered by the support policy). \
             When the monitor sees the service healthy again, it will say so here."
        )
    };
    TicketText { subject, body }
}

/// One line on what the check saw.
pub(crate) fn detail(finding: &Finding, es: bool) -> String {
    match (finding, es) {
        (Finding::Unreachable { code }, true) => format!("sin respuesta válida ({code})"),
        (Finding::Unreachable { code }, false) => format!("no valid answer ({code})"),
        (Finding::Slow { elapsed_ms, threshold_ms }, true) => {
            format!("respondió en {elapsed_ms} ms (límite {threshold_ms} ms)")
        }
        (Finding::Slow { elapsed_ms, threshold_ms }, false) => {
            format!("answered in {elapsed_ms} ms (limit {threshold_ms} ms)")
        }
        (Finding::CertificateExpiring { days_left }, true) => format!("quedan {days_left} días de vigencia"),
        (Finding::CertificateExpiring { days_left }, false) => format!("{days_left} days of validity left"),
        (Finding::CertificateExpired, true) => "el certificado ya venció".into(),
        (Finding::CertificateExpired, false) => "the certificate has expired".into(),
        (Finding::CertificateInvalid { code }, true) => format!("certificado inválido ({code})"),
        (Finding::CertificateInvalid { code }, false) => format!("invalid certificate ({code})"),
        (Finding::HeartbeatMissed { last_ping: Some(at) }, true) => {
            format!("último reporte {}", at.format("%Y-%m-%d %H:%M UTC"))
        }
        (Finding::HeartbeatMissed { last_ping: Some(at) }, false) => {
            format!("last check-in {}", at.format("%Y-%m-%d %H:%M UTC"))
        }
        (Finding::HeartbeatMissed { last_ping: None }, true) => "nunca se ha reportado".into(),
        (Finding::HeartbeatMissed { last_ping: None }, false) => "it never checked in".into(),
        (other, _) => other.code(),
    }
}
