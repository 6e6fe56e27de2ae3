//! Tests of the annual report.
