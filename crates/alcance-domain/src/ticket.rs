//! Tickets: the closed sets of values they carry and the lifecycle rules between statuses.

use crate::Role;

crate::string_enum!(
    /// Where a request came from.
    Channel {
        Portal => "portal",
        Email => "email",
        Api => "api",
        Monitor => "monitor",
    }
);

crate::string_enum!(
    Priority {
        Critical => "critical",
        High => "high",
        Normal => "normal",
        Low => "low",
    }
);

crate::string_enum!(
    /// The policy decision: is the request inside the support contract?
    Coverage {
        Pending => "pending",
        Covered => "covered",
        NotCovered => "not_covered",
    }
);

crate::string_enum!(
    Status {
        /// Opened, coverage not decided yet.
        New => "new",
        /// Covered, ready for work.
        Open => "open",
        InProgress => "in_progress",
        /// The SLA clock pauses here.
        WaitingOnClient => "waiting_on_client",
        /// Not covered: the client chooses between a quote, hours, or declining.
        AwaitingDecision => "awaiting_decision",
        QuoteRequested => "quote_requested",
        Quoted => "quoted",
        Resolved => "resolved",
        Closed => "closed",
    }
);

/// Why a status change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionError {
    /// The lifecycle has no edge between these statuses.
    NotAllowed,
    /// This role may not make this change (e.g. a client cannot start work).
    Forbidden,
    /// Closing a request that was never worked (spam, duplicate) needs a written reason.
    ReasonRequired,
}

impl Status {
    /// Statuses in which the request is still being handled.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }

    /// The edges of the lifecycle that agency staff may take.
    fn staff_can_go_to(self, to: Status) -> bool {
        use Status::*;
        match self {
            New => matches!(to, Open | AwaitingDecision | Closed),
            Open => matches!(to, InProgress | WaitingOnClient | Resolved | Closed),
            InProgress => matches!(to, WaitingOnClient | Resolved | Closed),
            WaitingOnClient => matches!(to, InProgress | Resolved | Closed),
            AwaitingDecision => matches!(to, QuoteRequested | InProgress | Closed),
            QuoteRequested => matches!(to, Quoted | Closed),
            Quoted => matches!(to, InProgress | Closed),
            Resolved => matches!(to, Closed | Open),
            Closed => false,
        }
    }

    /// Client contacts may confirm or reopen a resolution, withdraw an open request, and
    /// answer a "not covered" classification by asking for a quote.
    fn contact_can_go_to(self, to: Status) -> bool {
        match (self, to) {
            (Status::Resolved, Status::Open) => true,
            (Status::AwaitingDecision, Status::QuoteRequested) => true,
            // Choosing to pay with prepaid hours starts the work (through the decision use
            // case, which checks the balance; a bare status change is refused there).
            (Status::AwaitingDecision, Status::InProgress) => true,
            (Status::Closed, _) => false,
            (_, Status::Closed) => true,
            _ => false,
        }
    }

    /// Decides whether `role` may move a ticket from `self` to `to`.
    /// Staff closing a request that is not resolved must say why; a reason is optional elsewhere.
    pub fn check_transition(self, to: Status, role: Role, has_reason: bool) -> Result<(), TransitionError> {
        let allowed_by_lifecycle = self.staff_can_go_to(to) || self.contact_can_go_to(to);
        if !allowed_by_lifecycle {
            return Err(TransitionError::NotAllowed);
        }
        let allowed_for_role = if role.is_staff() { self.staff_can_go_to(to) } else { self.contact_can_go_to(to) };
        if !allowed_for_role {
            return Err(TransitionError::Forbidden);
        }
        if role.is_staff() && to == Status::Closed && self != Status::Resolved && !has_reason {
            return Err(TransitionError::ReasonRequired);
        }
        Ok(())
    }

    /// The status a ticket takes when it is classified, if classification moves it.
    pub fn after_classification(self, coverage: Coverage) -> Option<Status> {
        match (self, coverage) {
            (Status::New, Coverage::Covered) => Some(Status::Open),
            (Status::New, Coverage::NotCovered) => Some(Status::AwaitingDecision),
            _ => None,
        }
    }

    /// A client's public reply wakes a ticket that was waiting on them.
    pub fn after_client_reply(self) -> Option<Status> {
        match self {
            Status::WaitingOnClient => Some(Status::InProgress),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_is_allowed_for_staff() {
        let path = [
            Status::New,
            Status::Open,
            Status::InProgress,
            Status::WaitingOnClient,
            Status::InProgress,
            Status::Resolved,
            Status::Closed,
        ];
        for pair in path.windows(2) {
            assert_eq!(pair[0].check_transition(pair[1], Role::Agent, false), Ok(()), "{:?}", pair);
        }
    }

    #[test]
    fn the_not_covered_branch() {
        assert_eq!(Status::New.after_classification(Coverage::NotCovered), Some(Status::AwaitingDecision));
        for to in [Status::QuoteRequested, Status::InProgress] {
            assert_eq!(Status::AwaitingDecision.check_transition(to, Role::Agent, false), Ok(()));
        }
        assert_eq!(Status::QuoteRequested.check_transition(Status::Quoted, Role::Agent, false), Ok(()));
        assert_eq!(Status::Quoted.check_transition(Status::InProgress, Role::Agent, false), Ok(()));
        assert_eq!(
            Status::AwaitingDecision.check_transition(Status::Open, Role::Agent, false),
            Err(TransitionError::NotAllowed)
        );
    }

    #[test]
    fn closed_is_final_and_skipping_steps_is_refused() {
        for to in Status::ALL {
            for role in Role::ALL {
                assert!(Status::Closed.check_transition(*to, *role, true).is_err());
            }
        }
        assert_eq!(Status::New.check_transition(Status::Resolved, Role::Admin, true), Err(TransitionError::NotAllowed));
    }

    #[test]
    fn staff_need_a_reason_to_close_unresolved_work() {
        assert_eq!(
            Status::New.check_transition(Status::Closed, Role::Agent, false),
            Err(TransitionError::ReasonRequired)
        );
        assert_eq!(Status::New.check_transition(Status::Closed, Role::Agent, true), Ok(()));
        assert_eq!(Status::Resolved.check_transition(Status::Closed, Role::Agent, false), Ok(()));
    }

    #[test]
    fn contacts_may_only_close_or_reopen() {
        assert_eq!(
            Status::Open.check_transition(Status::InProgress, Role::Requester, false),
            Err(TransitionError::Forbidden)
        );
        assert_eq!(Status::Open.check_transition(Status::Closed, Role::Requester, false), Ok(()));
        assert_eq!(Status::Resolved.check_transition(Status::Open, Role::Manager, false), Ok(()));
        assert_eq!(Status::Resolved.check_transition(Status::Closed, Role::Requester, false), Ok(()));
    }

    #[test]
    fn a_contact_answers_a_not_covered_classification() {
        for role in [Role::Requester, Role::Manager] {
            assert_eq!(Status::AwaitingDecision.check_transition(Status::QuoteRequested, role, false), Ok(()));
            // Declining closes the request.
            assert_eq!(Status::AwaitingDecision.check_transition(Status::Closed, role, false), Ok(()));
            // Choosing to spend prepaid hours starts the work (the decision use case checks the
            // balance; a bare status change by a contact is refused there).
            assert_eq!(Status::AwaitingDecision.check_transition(Status::InProgress, role, false), Ok(()));
            // Nowhere else may a contact start work.
            for from in [Status::Open, Status::Quoted, Status::WaitingOnClient] {
                assert_eq!(from.check_transition(Status::InProgress, role, false), Err(TransitionError::Forbidden));
            }
            // A quote is asked for only while a decision is awaited.
            for from in [Status::New, Status::Open, Status::InProgress, Status::Quoted, Status::Resolved] {
                assert!(from.check_transition(Status::QuoteRequested, role, false).is_err(), "{from:?}");
            }
            assert_eq!(
                Status::QuoteRequested.check_transition(Status::Quoted, role, false),
                Err(TransitionError::Forbidden)
            );
        }
        assert_eq!(Status::AwaitingDecision.check_transition(Status::QuoteRequested, Role::Agent, false), Ok(()));
    }

    #[test]
    fn a_client_reply_wakes_a_waiting_ticket_only() {
        assert_eq!(Status::WaitingOnClient.after_client_reply(), Some(Status::InProgress));
        assert_eq!(Status::Open.after_client_reply(), None);
        assert_eq!(Status::Open.after_classification(Coverage::Covered), None);
    }
}
