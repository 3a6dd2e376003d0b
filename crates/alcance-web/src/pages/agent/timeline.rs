//! The agent ticket page's timeline: each description, reply, note and history event as
//! one entry in words, with its download link when it added a file.

use alcance_app::agent_views::{Happening, TimelineItem};
use alcance_domain::ticket::{Coverage, Priority, Status};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::pages::PageCtx;
use crate::view;

pub(super) enum EntryKind {
    Description,
    Reply,
    Note,
    Event,
}

/// One entry of the timeline, ready to show.
pub(super) struct Entry {
    pub(super) kind: EntryKind,
    pub(super) author: String,
    pub(super) label: String,
    pub(super) at: String,
    pub(super) iso: String,
    pub(super) html: String,
    pub(super) text: String,
    pub(super) reason: Option<String>,
    pub(super) internal: bool,
    pub(super) download: Option<Download>,
}

/// An attachment's download address and link text.
pub(super) struct Download {
    pub(super) href: String,
    pub(super) label: String,
}

impl Entry {
    pub(super) fn class(&self) -> &'static str {
        match self.kind {
            EntryKind::Description => "entry description",
            EntryKind::Reply => "entry reply",
            EntryKind::Note => "entry note",
            EntryKind::Event if self.internal => "entry event internal",
            EntryKind::Event => "entry event",
        }
    }

    pub(super) fn is_event(&self) -> bool {
        matches!(self.kind, EntryKind::Event)
    }

    pub(super) fn is_note(&self) -> bool {
        matches!(self.kind, EntryKind::Note)
    }
}

pub(super) fn entry(ctx: &PageCtx, tz: Tz, item: &TimelineItem, quote: Option<(String, String)>) -> Entry {
    let base = |kind, author: String, at: DateTime<Utc>| Entry {
        kind,
        author,
        label: String::new(),
        at: view::datetime(ctx.lang, tz, at),
        iso: ctx.iso(&at),
        html: String::new(),
        text: String::new(),
        reason: None,
        internal: false,
        download: None,
    };
    match item {
        TimelineItem::Description { author, at, body } => Entry {
            label: ctx.t("agent-description"),
            html: ctx.markdown(body),
            ..base(EntryKind::Description, author.clone(), *at)
        },
        TimelineItem::Comment { author, comment } => {
            let (kind, label) = if comment.internal {
                (EntryKind::Note, ctx.t("agent-note-internal"))
            } else {
                (EntryKind::Reply, ctx.t("agent-reply-public"))
            };
            Entry {
                label,
                html: ctx.markdown(&comment.body),
                internal: comment.internal,
                ..base(kind, author.clone(), comment.created_at)
            }
        }
        TimelineItem::Event { actor, at, what, reason, internal } => {
            let actor = actor.clone().unwrap_or_else(|| ctx.t("agent-system"));
            let (text, download) = match quote {
                Some((number, status)) => (describe_quote(ctx, &actor, &number, &status), None),
                None => describe(ctx, &actor, what),
            };
            Entry {
                text,
                download,
                reason: reason.as_ref().map(|r| ctx.t1("agent-reason", "reason", r)),
                internal: *internal,
                ..base(EntryKind::Event, actor, *at)
            }
        }
    }
}

/// A quote's step in words: "Laura Gómez: cotización Q-2026-0001 enviada".
fn describe_quote(ctx: &PageCtx, actor: &str, number: &str, status: &str) -> String {
    let status = ctx.t(&format!("quote-status-{status}"));
    ctx.lang
        .text("agent-event-quote", &[("actor", actor.to_owned()), ("number", number.to_owned()), ("status", status)])
}

/// An event in words, and its download link when it added a file.
fn describe(ctx: &PageCtx, actor: &str, what: &Happening) -> (String, Option<Download>) {
    let unknown = || ctx.t("agent-unknown");
    let status = |s: &Option<Status>| s.as_ref().map_or_else(unknown, |s| ctx.status_label(s));
    let priority = |p: &Option<Priority>| p.as_ref().map_or_else(unknown, |p| ctx.priority_label(p));
    let coverage = |c: &Option<Coverage>| c.as_ref().map_or_else(unknown, |c| ctx.coverage_label(c));
    let say = |key: &str, args: Vec<(&'static str, String)>| {
        let mut all = vec![("actor", actor.to_owned())];
        all.extend(args);
        ctx.lang.text(key, &all)
    };
    let lang = ctx.lang_code();
    match what {
        Happening::Created { channel, priority: p } => {
            let channel = channel.as_ref().map_or_else(unknown, |c| ctx.channel_label(c));
            (say("agent-event-created", vec![("channel", channel), ("priority", priority(p))]), None)
        }
        Happening::Status { from, to } => {
            (say("agent-event-status", vec![("from", status(from)), ("to", status(to))]), None)
        }
        Happening::Priority { from, to } => {
            (say("agent-event-priority", vec![("from", priority(from)), ("to", priority(to))]), None)
        }
        Happening::Assignee { from, to } => {
            let text = match (from, to) {
                (None, Some(to)) if to == actor => say("agent-event-took", vec![]),
                (None, Some(to)) => say("agent-event-assigned", vec![("to", to.clone())]),
                (Some(from), Some(to)) => {
                    say("agent-event-reassigned", vec![("from", from.clone()), ("to", to.clone())])
                }
                (Some(from), None) => say("agent-event-unassigned", vec![("from", from.clone())]),
                (None, None) => say("agent-event-unassigned", vec![("from", unknown())]),
            };
            (text, None)
        }
        Happening::Classified { category, category_label, coverage: c, policy_name, policy_version } => {
            let args = vec![
                ("category", category_label.as_ref().map_or_else(|| category.clone(), |l| l.get(lang).to_owned())),
                ("coverage", coverage(c)),
                ("policy", policy_name.as_ref().map_or_else(unknown, |n| n.get(lang).to_owned())),
                ("version", policy_version.map_or_else(unknown, |v| v.to_string())),
            ];
            (say("agent-event-classified", args), None)
        }
        Happening::CoverageOverridden { from, to } => {
            (say("agent-event-override", vec![("from", coverage(from)), ("to", coverage(to))]), None)
        }
        Happening::Attachment { id, file_name, size_bytes } => {
            let size = view::bytes(ctx.lang, *size_bytes);
            let text = say("agent-event-attachment", vec![("file", file_name.clone()), ("size", size)]);
            let link = Download {
                href: format!("/api/v1/attachments/{id}"),
                label: ctx.t1("agent-download", "file", file_name),
            };
            (text, (*id > 0).then_some(link))
        }
        Happening::ClientDecision { choice, comment } => {
            let choice = ctx.t(match choice.as_str() {
                "quote" => "agent-decision-quote",
                "hours" => "agent-decision-hours",
                "decline" => "agent-decision-decline",
                _ => "agent-unknown",
            });
            let text = match comment {
                Some(comment) => {
                    say("agent-event-decision-comment", vec![("choice", choice), ("comment", comment.clone())])
                }
                None => say("agent-event-decision", vec![("choice", choice)]),
            };
            (text, None)
        }
        Happening::Sla { breached, metric, due } => {
            let metric = metric.map_or_else(unknown, |m| ctx.t(&format!("sla-metric-{}", m.as_str())));
            let due = due.as_ref().map_or_else(unknown, |d| ctx.when(d));
            let key = if *breached { "sla-event-breached" } else { "sla-event-warning" };
            (ctx.lang.text(key, &[("metric", metric), ("due", due)]), None)
        }
        Happening::MonitorAlert { .. } | Happening::MonitorRecovered { .. } => {
            (crate::pages::monitors::describe_event(ctx, what).unwrap_or_default(), None)
        }
        Happening::Other(kind) => (say("agent-event-other", vec![("kind", kind.as_str().to_owned())]), None),
    }
}
