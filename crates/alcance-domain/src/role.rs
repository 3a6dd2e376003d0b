//! Who a user is to the agency: staff (admin, agent) or a client contact (manager, requester).

crate::string_enum!(
    Role {
        Admin => "admin",
        Agent => "agent",
        /// A client contact who approves quotes and sees all of the organisation's requests.
        Manager => "manager",
        /// A client contact who sees only the requests they opened.
        Requester => "requester",
    }
);

impl Role {
    /// Agency staff see every organisation.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Agent)
    }

    /// Client contacts belong to exactly one organisation.
    pub fn is_contact(self) -> bool {
        !self.is_staff()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldErrorCode;

    #[test]
    fn roles_round_trip_and_unknown_is_refused() {
        for role in Role::ALL {
            assert_eq!(Role::parse("role", role.as_str()), Ok(*role));
        }
        let err = Role::parse("role", "root").unwrap_err();
        assert_eq!(err.code, FieldErrorCode::UnknownValue);
        assert_eq!(err.field, "role");
        assert_eq!(err.detail.as_deref(), Some("admin, agent, manager, requester"));
        assert!(Role::Agent.is_staff() && Role::Manager.is_contact());
    }
}
