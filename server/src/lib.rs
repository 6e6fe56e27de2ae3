//! Bình An server: a blind, durable relay for end-to-end encrypted case
//! events, device enrolment and membership, the signed shelter directory,
//! and de-identified statistics with the annual report.
//!
//! It never holds a key that opens a case.

pub mod report;
