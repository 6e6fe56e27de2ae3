//! Events and their fold: every change to a case is an immutable event with a
//! hybrid logical clock stamp and its author device, and a case's state is
//! the merge of its events, identical for any arrival order.

mod clock;
mod event;
mod fold;

pub use clock::{system_wall_ms, Hlc, HlcClock, WallClock};
pub use event::{Change, Event, MultiWrite, EVENT_FORMAT_VERSION};
pub use fold::{Attributed, CaseState, Conflict, ConflictValue, Stamp};

#[cfg(test)]
mod tests;
