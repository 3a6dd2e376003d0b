//! Who is acting, and what they may see. Every read and change in the services goes
//! through these rules; a resource a contact may not see is reported as not found.

use alcance_domain::Role;
use alcance_domain::model::{Id, Ticket, User};

use crate::AppError;

/// The signed-in user on whose behalf a use case runs.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
}

impl Actor {
    pub fn id(&self) -> Id {
        self.user.id
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    pub fn is_staff(&self) -> bool {
        self.user.role.is_staff()
    }

    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// The organisation a client contact belongs to (none for staff).
    pub fn organization_id(&self) -> Option<Id> {
        if self.is_staff() { None } else { self.user.organization_id }
    }

    /// Whether the actor may see anything of organisation `org`.
    pub fn can_see_org(&self, org: Id) -> bool {
        self.is_staff() || self.user.organization_id == Some(org)
    }

    pub fn can_see_ticket(&self, ticket: &Ticket) -> bool {
        match self.user.role {
            Role::Admin | Role::Agent => true,
            Role::Manager => self.user.organization_id == Some(ticket.organization_id),
            Role::Requester => ticket.requester_id == self.user.id,
        }
    }

    /// Refuses unless the actor is agency staff. Contacts get not-found: they should not
    /// learn that staff-only resources exist.
    pub fn require_staff(&self) -> Result<(), AppError> {
        if self.is_staff() { Ok(()) } else { Err(AppError::Forbidden) }
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
    }
}
