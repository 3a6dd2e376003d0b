//! Incoming e-mail: one RFC 5322 message becomes a ticket, a reply, or is held, ignored or
//! rejected (decided by `alcance-mail`). (Being written.)
